import { type BackfillCounts, countsFrom } from '../core/backfill/counts.ts';
import type { BackfillFilter } from '../core/backfill/filter.ts';
import type { SampleEntry } from '../core/backfill/sample.ts';
import type { Queryable } from './database.ts';

export type BackfillMode = 'handoff' | 'resync';
export type BackfillStatus = 'queued' | 'running' | 'paused' | 'done' | 'failed' | 'cancelled';
/** list: HubSpot's list endpoint; search: HubSpot search with the run's filter; links: our own record links. */
export type BackfillSource = 'list' | 'search' | 'links';

/** Where to pick up: the cursor after the last committed page (null: from the start) and pages done. */
export interface BackfillCheckpoint {
  after: string | null;
  pages: number;
}

export interface BackfillRun {
  id: string;
  mode: BackfillMode;
  filter: BackfillFilter;
  dryRun: boolean;
  status: BackfillStatus;
  source: BackfillSource;
  checkpoint: BackfillCheckpoint;
  counts: BackfillCounts;
  total: number | null;
  sample: SampleEntry[];
  error: string | null;
  requestedBy: string;
  cancelRequested: boolean;
  attempts: number;
  readAtResume: number;
  createdAt: Date;
  startedAt: Date | null;
  resumedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
}

export interface NewBackfillRun {
  mode: BackfillMode;
  filter: BackfillFilter;
  dryRun: boolean;
  source: BackfillSource;
  requestedBy: string;
}

/** Statuses of a run that is not over: at most one such run exists. */
const ACTIVE_STATUSES: readonly BackfillStatus[] = ['queued', 'running', 'paused'];

const COLUMNS = `id::text AS id, mode, filter, dry_run AS "dryRun", status, source, checkpoint, counts, total, sample, error,
  requested_by AS "requestedBy", cancel_requested_at IS NOT NULL AS "cancelRequested", attempts, read_at_resume AS "readAtResume",
  created_at AS "createdAt", started_at AS "startedAt", resumed_at AS "resumedAt", finished_at AS "finishedAt", updated_at AS "updatedAt"`;

type Row = Omit<BackfillRun, 'counts'> & { counts: Record<string, unknown> };
const toRun = (row: Row): BackfillRun => ({ ...row, counts: countsFrom(row.counts), total: row.total === null ? null : Number(row.total) });

async function one(db: Queryable, sql: string, params: unknown[]): Promise<BackfillRun | undefined> {
  const result = await db.query<Row>(sql, params);
  const row = result.rows[0];
  return row ? toRun(row) : undefined;
}

export async function getRun(db: Queryable, id: string): Promise<BackfillRun | undefined> {
  return one(db, `SELECT ${COLUMNS} FROM backfill_runs WHERE id = $1`, [id]);
}

export async function activeRun(db: Queryable): Promise<BackfillRun | undefined> {
  return one(db, `SELECT ${COLUMNS} FROM backfill_runs WHERE status = ANY($1::text[])`, [ACTIVE_STATUSES]);
}

export async function listRuns(db: Queryable, limit = 50): Promise<BackfillRun[]> {
  const result = await db.query<Row>(`SELECT ${COLUMNS} FROM backfill_runs ORDER BY id DESC LIMIT $1`, [limit]);
  return result.rows.map(toRun);
}

export type CreateRunResult = { ok: true; run: BackfillRun } | { ok: false; active: BackfillRun };

/** Creates a queued run, unless one is active: then that one is answered (the unique index settles races). */
export async function createRun(db: Queryable, input: NewBackfillRun): Promise<CreateRunResult> {
  const created = await one(
    db,
    `INSERT INTO backfill_runs (mode, filter, dry_run, source, requested_by) VALUES ($1, $2::jsonb, $3, $4, $5)
     ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
    [input.mode, JSON.stringify(input.filter), input.dryRun, input.source, input.requestedBy],
  );
  if (created) return { ok: true, run: created };
  const active = await activeRun(db);
  if (!active) throw new Error('backfill run refused, yet no run is active');
  return { ok: false, active };
}

/**
 * A worker takes a run up: running, under its token (a worker still holding an older token can no longer
 * commit). Only an active run can be claimed; a run whose cancel was asked for is claimed so it can finish.
 */
export async function claimRun(db: Queryable, id: string, token: string): Promise<BackfillRun | undefined> {
  return one(
    db,
    `UPDATE backfill_runs SET status = 'running', worker_token = $2, attempts = attempts + 1,
       started_at = coalesce(started_at, now()), resumed_at = now(), read_at_resume = coalesce((counts->>'read')::integer, 0),
       updated_at = now()
     WHERE id = $1 AND status = ANY($3::text[]) RETURNING ${COLUMNS}`,
    [id, token, ACTIVE_STATUSES],
  );
}

export interface Progress {
  checkpoint: BackfillCheckpoint;
  counts: BackfillCounts;
  sample: SampleEntry[];
  total?: number | null;
}

/** Commits progress under the worker's token; false when another worker holds the run now. */
export async function commitProgress(db: Queryable, id: string, token: string, progress: Progress): Promise<boolean> {
  const result = await db.query(
    `UPDATE backfill_runs SET checkpoint = $3::jsonb, counts = $4::jsonb, sample = $5::jsonb,
       total = CASE WHEN $6::boolean THEN $7::integer ELSE total END, updated_at = now()
     WHERE id = $1 AND worker_token = $2 AND status = 'running'`,
    [
      id,
      token,
      JSON.stringify(progress.checkpoint),
      JSON.stringify(progress.counts),
      JSON.stringify(progress.sample),
      progress.total !== undefined,
      progress.total ?? null,
    ],
  );
  return result.rowCount > 0;
}

/** Ends the worker's hold: done, failed or cancelled (over), or paused (picked up again later). */
export async function releaseRun(
  db: Queryable,
  id: string,
  token: string,
  status: Exclude<BackfillStatus, 'queued' | 'running'>,
  error: string | null = null,
): Promise<boolean> {
  const result = await db.query(
    `UPDATE backfill_runs SET status = $3, error = $4, worker_token = NULL, updated_at = now(),
       finished_at = CASE WHEN $3 = 'paused' THEN NULL ELSE now() END
     WHERE id = $1 AND worker_token = $2 AND status = 'running'`,
    [id, token, status, error],
  );
  return result.rowCount > 0;
}

export type CancelResult = { kind: 'cancelled' | 'requested' | 'over'; run: BackfillRun };

/**
 * A queued or paused run is cancelled at once; a running one is asked to stop, and its worker cancels it
 * after committing the pages in flight. A run that is over stays as it is.
 */
export async function requestCancel(db: Queryable, id: string): Promise<CancelResult | undefined> {
  const stopped = await one(
    db,
    `UPDATE backfill_runs SET status = 'cancelled', finished_at = now(), worker_token = NULL, updated_at = now()
     WHERE id = $1 AND status IN ('queued', 'paused') RETURNING ${COLUMNS}`,
    [id],
  );
  if (stopped) return { kind: 'cancelled', run: stopped };
  const asked = await one(
    db,
    `UPDATE backfill_runs SET cancel_requested_at = coalesce(cancel_requested_at, now()), updated_at = now()
     WHERE id = $1 AND status = 'running' RETURNING ${COLUMNS}`,
    [id],
  );
  if (asked) return { kind: 'requested', run: asked };
  const run = await getRun(db, id);
  return run ? { kind: 'over', run } : undefined;
}

export type ReopenResult =
  | { kind: 'reopened' | 'active'; run: BackfillRun }
  | { kind: 'done'; run: BackfillRun }
  | { kind: 'conflict'; active: BackfillRun };

/**
 * Resume: a cancelled or failed run is queued again from its checkpoint; an active run is answered as it is
 * (its job may be queued again). A finished run cannot be resumed, nor one while another is active.
 */
export async function reopenRun(db: Queryable, id: string): Promise<ReopenResult | undefined> {
  const run = await getRun(db, id);
  if (!run) return undefined;
  if (ACTIVE_STATUSES.includes(run.status)) return { kind: 'active', run };
  if (run.status === 'done') return { kind: 'done', run };
  const active = await activeRun(db);
  if (active) return { kind: 'conflict', active };
  try {
    const reopened = await one(
      db,
      `UPDATE backfill_runs SET status = 'queued', error = NULL, cancel_requested_at = NULL, finished_at = NULL, updated_at = now()
       WHERE id = $1 AND status IN ('cancelled', 'failed') RETURNING ${COLUMNS}`,
      [id],
    );
    if (reopened) return { kind: 'reopened', run: reopened };
  } catch (error) {
    // Another run became active in between: the unique index refused this one.
    const other = await activeRun(db);
    if (other) return { kind: 'conflict', active: other };
    throw error;
  }
  return reopenRun(db, id);
}
