import type { PgBoss } from 'pg-boss';
import type { BackfillCounts } from '../../core/backfill/counts.ts';
import { type BackfillFilter, isEmptyFilter } from '../../core/backfill/filter.ts';
import { formatDuration, type Progress, progressOf } from '../../core/backfill/progress.ts';
import type { SampleEntry } from '../../core/backfill/sample.ts';
import {
  type BackfillMode,
  type BackfillRun,
  type BackfillStatus,
  createRun,
  getRun,
  listRuns,
  reopenRun,
  requestCancel,
} from '../../store/backfill-runs.ts';
import type { Database } from '../../store/database.ts';
import { enqueueBackfill } from './backfill-queue.ts';
import { sourceFor } from './contact-source.ts';

/** A run as people see it: the record without worker internals, and where it stands. */
export interface BackfillRunView {
  id: string;
  mode: BackfillMode;
  dryRun: boolean;
  filter: BackfillFilter;
  status: BackfillStatus;
  cancelRequested: boolean;
  source: BackfillRun['source'];
  counts: BackfillCounts;
  progress: Progress & { eta: string };
  pagesDone: number;
  sample: SampleEntry[];
  error: string | null;
  requestedBy: string;
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
}

export interface StartBackfill {
  mode: BackfillMode;
  dryRun: boolean;
  filter: BackfillFilter;
  requestedBy: string;
}

export type StartOutcome = { ok: true; run: BackfillRunView } | { ok: false; active: BackfillRunView };
export type CancelOutcome = { kind: 'cancelled' | 'requested' | 'over'; run: BackfillRunView };
export type ResumeOutcome = { kind: 'queued' | 'done'; run: BackfillRunView } | { kind: 'conflict'; active: BackfillRunView };

/** What the admin API and the CLI (through it) can do with backfill runs. */
export interface BackfillPort {
  start(input: StartBackfill): Promise<StartOutcome>;
  list(limit: number): Promise<BackfillRunView[]>;
  get(id: string): Promise<BackfillRunView | undefined>;
  cancel(id: string): Promise<CancelOutcome | undefined>;
  resume(id: string): Promise<ResumeOutcome | undefined>;
}

export function createBackfillService(deps: { db: Database; boss: PgBoss; now: () => Date }): BackfillPort {
  const view = (run: BackfillRun) => viewOf(run, deps.now());
  return {
    async start(input) {
      const created = await createRun(deps.db, { ...input, source: sourceFor(input.mode, !isEmptyFilter(input.filter)) });
      if (!created.ok) return { ok: false, active: view(created.active) };
      await enqueueBackfill(deps.boss, created.run.id);
      return { ok: true, run: view(created.run) };
    },
    list: async (limit) => (await listRuns(deps.db, limit)).map(view),
    async get(id) {
      const run = await getRun(deps.db, id);
      return run ? view(run) : undefined;
    },
    async cancel(id) {
      const outcome = await requestCancel(deps.db, id);
      return outcome ? { kind: outcome.kind, run: view(outcome.run) } : undefined;
    },
    async resume(id) {
      const outcome = await reopenRun(deps.db, id);
      if (!outcome) return undefined;
      if (outcome.kind === 'conflict') return { kind: 'conflict', active: view(outcome.active) };
      if (outcome.kind === 'done') return { kind: 'done', run: view(outcome.run) };
      // Reopened, or still active: (re)queue its turn, so a run whose job was lost carries on too.
      await enqueueBackfill(deps.boss, outcome.run.id);
      return { kind: 'queued', run: view(outcome.run) };
    },
  };
}

function viewOf(run: BackfillRun, now: Date): BackfillRunView {
  // A run not being worked on keeps the rate it had when its worker last committed.
  const asOf = run.status === 'running' ? now : (run.finishedAt ?? run.updatedAt);
  const progress = progressOf({
    read: run.counts.read,
    total: run.total,
    resumedAt: run.resumedAt,
    readAtResume: run.readAtResume,
    now: asOf,
  });
  const iso = (date: Date | null) => (date ? new Date(date).toISOString() : null);
  return {
    id: run.id,
    mode: run.mode,
    dryRun: run.dryRun,
    filter: run.filter,
    status: run.status,
    cancelRequested: run.cancelRequested,
    source: run.source,
    counts: run.counts,
    progress: { ...progress, eta: formatDuration(progress.etaSeconds) },
    pagesDone: run.checkpoint.pages,
    sample: run.sample,
    error: run.error,
    requestedBy: run.requestedBy,
    attempts: run.attempts,
    createdAt: iso(run.createdAt)!,
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    updatedAt: iso(run.updatedAt)!,
  };
}
