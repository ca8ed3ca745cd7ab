import { randomUUID } from 'node:crypto';
import type { PgBoss } from 'pg-boss';
import { activeRun } from '../../store/backfill-runs.ts';
import { BACKFILL_QUEUE, backfillJobData, enqueueBackfill, registerLocalWorker } from './backfill-queue.ts';
import { type BackfillDeps, runBackfill } from './run-backfill.ts';

export interface BackfillWorker {
  /** Stop taking new units: the turn in hand commits what is in flight and pauses (another turn is queued). */
  stop(): void;
}

/**
 * The backfill's own queue and worker (one job at a time), apart from the handoff worker's queue, so a long
 * run never holds up real-time handoffs; each unit's commit is one short transaction.
 */
export async function startBackfillWorker(boss: PgBoss, deps: BackfillDeps): Promise<BackfillWorker> {
  const log = deps.logger.child({ module: 'backfill-worker' });
  let stopping = false;
  const workerId = await boss.work(BACKFILL_QUEUE, { batchSize: 1, pollingIntervalSeconds: 2 }, async ([job]) => {
    if (!job) return;
    const data = backfillJobData.safeParse(job.data);
    if (!data.success) {
      log.error('backfill job with invalid data dropped', { jobId: job.id, problems: data.error.issues.map((issue) => issue.message) });
      return;
    }
    const { runId } = data.data;
    const token = `${job.id}/${job.retryCount}/${randomUUID()}`;
    const end = await runBackfill(runId, deps, { token, stopping: () => stopping || job.signal.aborted });
    log.info('backfill turn ended', { runId, end, jobId: job.id });
    if (end === 'paused' || end === 'continued')
      await enqueueBackfill(boss, runId).catch((error: unknown) =>
        log.warn('could not queue the next turn; it is queued again at start', { runId, error }),
      );
  });
  registerLocalWorker(boss, workerId);
  // A run left active by a process that stopped or died is queued again (coalesced with a turn still queued).
  const left = await activeRun(deps.db);
  if (left) {
    await enqueueBackfill(boss, left.id);
    log.info('backfill run queued to resume', { runId: left.id, status: left.status, pagesDone: left.checkpoint.pages });
  }
  return {
    stop: () => {
      stopping = true;
    },
  };
}
