import type { PgBoss } from 'pg-boss';
import { z } from 'zod';

/** One job per turn on a run; `stately` with the run as singleton keeps one queued and one running per run. */
export const BACKFILL_QUEUE = 'backfill';

export const backfillJobData = z.strictObject({ runId: z.string().regex(/^\d{1,18}$/) });
export type BackfillJobData = z.output<typeof backfillJobData>;

/**
 * A turn lasts at most a slice (10 min) and then hands on to a new job, far inside the expiry. A replica that
 * dies stops heart-beating; after ~10 s its job is retried, and the retry resumes from the checkpoint.
 */
const QUEUE_OPTIONS = { retryLimit: 20, retryDelay: 5, expireInSeconds: 3600, heartbeatSeconds: 10 };

/** Backfill workers of this process, by the pg-boss instance they work on: a turn queued here wakes them. */
const localWorkers = new WeakMap<PgBoss, Set<string>>();

export async function createBackfillQueue(boss: PgBoss): Promise<void> {
  if (await boss.getQueue(BACKFILL_QUEUE)) await boss.updateQueue(BACKFILL_QUEUE, QUEUE_OPTIONS);
  else await boss.createQueue(BACKFILL_QUEUE, { policy: 'stately', ...QUEUE_OPTIONS });
}

/** Lets `enqueueBackfill` wake this worker at once instead of at its next poll (seconds of a short run). */
export function registerLocalWorker(boss: PgBoss, workerId: string): void {
  const ids = localWorkers.get(boss) ?? new Set<string>();
  ids.add(workerId);
  localWorkers.set(boss, ids);
}

/** Queues a turn on the run; a turn already queued for it absorbs this one. A worker of this process fetches it now. */
export async function enqueueBackfill(boss: PgBoss, runId: string): Promise<void> {
  await boss.send(BACKFILL_QUEUE, { runId } satisfies BackfillJobData, { singletonKey: `run-${runId}` });
  for (const workerId of localWorkers.get(boss) ?? []) boss.notifyWorker(workerId);
}
