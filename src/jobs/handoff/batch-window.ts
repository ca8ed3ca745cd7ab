import type { Db } from 'pg-boss';
import type { Logger } from '../../log.ts';
import { type FetchLoop, type FetchStep, startFetchLoop, type WindowClock } from './fetch-loop.ts';

/**
 * The call-saving batch window (HANDOFF_BATCH_WINDOW_MS > 0). Waiting handoff jobs are held until the oldest has
 * waited the window or a full batch is waiting, then taken as one batch. The jobs wait in pg-boss, shared by every
 * replica, so a crash loses nothing; each replica reads the queue and decides on its own when to fetch, and
 * pg-boss's SKIP LOCKED claim keeps two replicas from taking the same job.
 *
 * A job is held at most the window plus one read of the queue (checkEveryMs, ≤ 1 s) plus the wait for a free lane;
 * jobs this replica was not woken for (another replica's, a retry, a restart's sweep) are seen within idleCheckMs.
 *
 * Time is pg-boss's: a job's age is measured on its job_now(), read on pg-boss's own connection, and the reads are
 * scheduled (fetch-loop.ts) on a WindowClock that should be the one pg-boss was given: the process clock in the service, a test's
 * TestClock (which also moves job_now()) in tests, so a test decides when the window closes, not the machine's speed.
 */

/** Handoff jobs a lane could claim now, and how long the oldest of them has waited (database clock). */
export interface WaitingHandoffs {
  ready: number;
  oldestAgeMs: number;
}

export interface WindowTiming {
  windowMs: number;
  batchSize: number;
  /** How often the queue is read while jobs wait: the bound on "a full batch goes at once". */
  checkEveryMs: number;
  /** How often an empty queue is read, for jobs this replica was not told about (other replicas, retries). */
  idleCheckMs: number;
}

export type WindowStep = FetchStep;

/** Reads in between are capped and floored so a long window still sees a full batch within a second. */
export function windowTiming(windowMs: number, batchSize: number): WindowTiming {
  const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
  return { windowMs, batchSize, checkEveryMs: clamp(Math.round(windowMs / 4), 50, 1_000), idleCheckMs: clamp(windowMs, 250, 2_000) };
}

/**
 * What to do with the jobs waiting now: every full batch goes at once; a partial batch goes when its oldest job
 * has waited the window (pg-boss fetches oldest first, so that batch takes it); otherwise look again when the
 * oldest is due, or sooner to see a batch fill.
 */
export function windowStep(waiting: WaitingHandoffs, timing: WindowTiming): WindowStep {
  if (waiting.ready === 0) return { fetchBatches: 0, nextCheckMs: timing.idleCheckMs };
  const full = Math.floor(waiting.ready / timing.batchSize);
  const overdue = waiting.oldestAgeMs >= timing.windowMs;
  const fetchBatches = Math.max(full, overdue ? 1 : 0);
  if (fetchBatches > 0) return { fetchBatches, nextCheckMs: timing.checkEveryMs };
  const untilDue = Math.max(1, Math.ceil(timing.windowMs - waiting.oldestAgeMs));
  return { fetchBatches: 0, nextCheckMs: Math.min(untilDue, timing.checkEveryMs) };
}

/**
 * Jobs of a stately queue (the handoff queue) that a fetch could claim now, counted up to `limit`: waiting, due, not
 * blocked and not behind an active job of the same contact, in the terms of pg-boss's own fetch, so its indexes serve
 * both the order and the active-job probe. Only the first `limit` in pg-boss's fetch order are counted, so the read
 * costs the same with 50 jobs waiting or 5,000 (0.5 ms against 3 ms for the whole count, measured on 5,000 waiting
 * and 300 active); a caller passes what it could fetch at once. `oldestAgeMs` is the age of the oldest of
 * them. Read on pg-boss's connection (`boss.getDb()`), so "now" is the job_now() pg-boss itself fetches by.
 */
export async function waitingHandoffs(db: Db, queue: string, limit: number, schema = 'pgboss'): Promise<WaitingHandoffs> {
  const { rows } = (await db.executeSql(
    `SELECT count(*)::int AS ready,
            (EXTRACT(EPOCH FROM (${schema}.job_now() - min(ready.created_on))) * 1000)::float8 AS oldest_age_ms
       FROM (SELECT j.created_on FROM ${schema}.job j
              WHERE j.name = $1 AND j.state < 'active' AND NOT j.blocked AND j.start_after <= ${schema}.job_now()
                AND NOT EXISTS (SELECT 1 FROM ${schema}.job a
                                 WHERE a.name = j.name AND a.state = 'active' AND a.policy = 'stately'
                                   AND COALESCE(a.singleton_key, '') = COALESCE(j.singleton_key, ''))
              ORDER BY j.priority DESC, j.created_on
              LIMIT $2) ready`,
    [queue, limit],
  )) as { rows: { ready: number; oldest_age_ms: number | null }[] };
  const row = rows[0];
  return { ready: row?.ready ?? 0, oldestAgeMs: row?.oldest_age_ms ?? 0 };
}

export interface BatchWindowOptions {
  timing: WindowTiming;
  read: () => Promise<WaitingHandoffs>;
  /** Wakes this many lanes, each to fetch one batch. */
  fetch: (batches: number) => void;
  logger: Logger;
  /** Default: the process clock. */
  clock?: WindowClock;
}

/** The fixed window on the shared fetch loop: a wake looks within one check, a failed read again after the idle gap. */
export function startBatchWindow(options: BatchWindowOptions): FetchLoop {
  const { timing, read } = options;
  return startFetchLoop({
    step: async () => windowStep(await read(), timing),
    wakeAfterMs: timing.checkEveryMs,
    retryAfterMs: timing.idleCheckMs,
    fetch: options.fetch,
    logger: options.logger,
    ...(options.clock ? { clock: options.clock } : {}),
  });
}
