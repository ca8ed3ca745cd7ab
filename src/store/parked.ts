import type { Provider } from '../errors.ts';
import type { Queryable } from './database.ts';

/** The entry a new one continues after a failed replay: its attempts and replay history carry over. */
export interface ParkedChain {
  chainId: string;
  attempts: number;
}

export interface ParkInput {
  /** The job or step that failed, e.g. 'handoff' or 'status_sync'. */
  kind: string;
  /** What it was working on, e.g. a HubSpot contact id. */
  recordKey: string;
  provider?: Provider | null;
  message: string;
  /** `code` (the provider's error code) and `waitingFor` (a condition to resume on) are read by filters. */
  context?: Record<string, unknown>;
  /** Set when this failure is the outcome of replaying an earlier entry. */
  continues?: ParkedChain;
}

export interface ParkedWork {
  id: string;
  kind: string;
  recordKey: string;
  provider: Provider | null;
  message: string;
  context: Record<string, unknown>;
  parkedAt: Date;
  resolvedAt: Date | null;
  attempts: number;
  /** The first entry of this work's replay chain (its own id when it has not been replayed before). */
  chainId: string;
  /** `context.waitingFor`: the condition (an API budget, a login) whose return resumes it automatically. */
  waitingFor: string | null;
}

export interface ParkedFilter {
  /** Only unresolved items. */
  open?: boolean;
  kind?: string;
  provider?: Provider;
  /** The provider's error code, `context.code`. */
  code?: string;
  waitingFor?: string;
  /** Only items with some `waitingFor` value. */
  waiting?: boolean;
  /** Only items parked at most this many times. */
  maxAttempts?: number;
  limit?: number;
  /** Newest first (the default, for people) or oldest first (for replaying in order). */
  order?: 'newest' | 'oldest';
}

const PARKED_COLUMNS = `id::text AS id, kind, record_key AS "recordKey", provider, message, context,
  parked_at AS "parkedAt", resolved_at AS "resolvedAt", attempts, coalesce(chain_id, id)::text AS "chainId",
  context ->> 'waitingFor' AS "waitingFor"`;

/**
 * Parks failed work for a person. Parking the same open work again updates the message and counts an
 * attempt instead of adding a second entry; work that failed again after a replay continues its chain.
 */
export async function park(db: Queryable, input: ParkInput): Promise<ParkedWork> {
  const result = await db.query<ParkedWork>(
    `INSERT INTO parked_work (kind, record_key, provider, message, context, attempts, chain_id)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7::bigint)
     ON CONFLICT (kind, record_key) WHERE resolved_at IS NULL DO UPDATE
       SET provider = EXCLUDED.provider, message = EXCLUDED.message, context = EXCLUDED.context,
           attempts = parked_work.attempts + 1
     RETURNING ${PARKED_COLUMNS}`,
    [
      input.kind,
      input.recordKey,
      input.provider ?? null,
      input.message,
      JSON.stringify(input.context ?? {}),
      (input.continues?.attempts ?? 0) + 1,
      input.continues?.chainId ?? null,
    ],
  );
  const row = result.rows[0];
  if (!row) throw new Error('park returned no row');
  return row;
}

/**
 * park for many entries in one statement, returning each entry in input order. One statement cannot update a row
 * twice, so inputs naming the same work twice are parked one at a time, in order: the outcome is always park's.
 */
export async function parkMany(db: Queryable, inputs: ParkInput[]): Promise<ParkedWork[]> {
  if (inputs.length === 0) return [];
  const workKey = (kind: string, recordKey: string) => JSON.stringify([kind, recordKey]);
  if (new Set(inputs.map((input) => workKey(input.kind, input.recordKey))).size < inputs.length) {
    const parked: ParkedWork[] = [];
    for (const input of inputs) parked.push(await park(db, input));
    return parked;
  }
  const rows = inputs.map((input) => ({
    kind: input.kind,
    record_key: input.recordKey,
    provider: input.provider ?? null,
    message: input.message,
    context: input.context ?? {},
    attempts: (input.continues?.attempts ?? 0) + 1,
    chain_id: input.continues?.chainId ?? null,
  }));
  const result = await db.query<ParkedWork>(
    `INSERT INTO parked_work (kind, record_key, provider, message, context, attempts, chain_id)
     SELECT kind, record_key, provider, message, context, attempts, chain_id
     FROM jsonb_to_recordset($1::jsonb) AS p(kind text, record_key text, provider text, message text, context jsonb,
       attempts integer, chain_id bigint)
     ON CONFLICT (kind, record_key) WHERE resolved_at IS NULL DO UPDATE
       SET provider = EXCLUDED.provider, message = EXCLUDED.message, context = EXCLUDED.context,
           attempts = parked_work.attempts + 1
     RETURNING ${PARKED_COLUMNS}`,
    [JSON.stringify(rows)],
  );
  const byWork = new Map(result.rows.map((row) => [workKey(row.kind, row.recordKey), row]));
  return inputs.map((input) => {
    const row = byWork.get(workKey(input.kind, input.recordKey));
    if (!row) throw new Error('parkMany returned no row for an entry');
    return row;
  });
}

/** Parked work matching the filter, newest first unless asked otherwise. */
export async function listParked(db: Queryable, filter: ParkedFilter = {}): Promise<ParkedWork[]> {
  const order = filter.order === 'oldest' ? 'parked_at, id' : 'parked_at DESC, id DESC';
  const result = await db.query<ParkedWork>(
    `SELECT ${PARKED_COLUMNS} FROM parked_work
     WHERE ($1::boolean IS NOT TRUE OR resolved_at IS NULL)
       AND ($2::text IS NULL OR kind = $2)
       AND ($3::text IS NULL OR provider = $3)
       AND ($4::text IS NULL OR context ->> 'code' = $4)
       AND ($5::text IS NULL OR context ->> 'waitingFor' = $5)
       AND ($6::boolean IS NOT TRUE OR context ->> 'waitingFor' IS NOT NULL)
       AND ($7::int IS NULL OR attempts <= $7)
     ORDER BY ${order} LIMIT $8`,
    [
      filter.open ?? false,
      filter.kind ?? null,
      filter.provider ?? null,
      filter.code ?? null,
      filter.waitingFor ?? null,
      filter.waiting ?? false,
      filter.maxAttempts ?? null,
      filter.limit ?? 500,
    ],
  );
  return result.rows;
}

/** One entry by id, open or resolved. */
export async function getParked(db: Queryable, id: string): Promise<ParkedWork | undefined> {
  const result = await db.query<ParkedWork>(`SELECT ${PARKED_COLUMNS} FROM parked_work WHERE id = $1::bigint`, [id]);
  return result.rows[0];
}

/** Marks an entry resolved. False when it does not exist or was already resolved. */
export async function resolveParked(db: Queryable, id: string): Promise<boolean> {
  const result = await db.query('UPDATE parked_work SET resolved_at = now() WHERE id = $1::bigint AND resolved_at IS NULL', [id]);
  return result.rowCount > 0;
}

/**
 * Newer work on these records did what their open entries were waiting to do (e.g. a later poll synced the
 * Lead's current state): the entries are resolved, and each chain records who settled it and why.
 * Returns the settled entries' ids.
 */
export async function settleSuperseded(
  db: Queryable,
  input: { kind: string; recordKeys: string[]; actor: string; message: string },
): Promise<string[]> {
  if (input.recordKeys.length === 0) return [];
  const result = await db.query<{ id: string }>(
    `WITH settled AS (
       UPDATE parked_work SET resolved_at = now() WHERE kind = $1 AND record_key = ANY($2::text[]) AND resolved_at IS NULL
       RETURNING id, coalesce(chain_id, id) AS chain_id)
     INSERT INTO parked_replays (parked_id, chain_id, actor, outcome, message)
     SELECT id, chain_id, $3, 'superseded', $4 FROM settled
     RETURNING parked_id::text AS id`,
    [input.kind, input.recordKeys, input.actor, input.message],
  );
  return result.rows.map((row) => row.id);
}

/**
 * A replay that failed again: the entry stays open with the new message and one more attempt.
 * Returns the attempts, or undefined when the entry is no longer open.
 */
export async function countFailedReplay(db: Queryable, id: string, message: string): Promise<number | undefined> {
  const result = await db.query<{ attempts: number }>(
    `UPDATE parked_work SET attempts = attempts + 1, message = $2 WHERE id = $1::bigint AND resolved_at IS NULL RETURNING attempts`,
    [id, message],
  );
  return result.rows[0]?.attempts;
}
