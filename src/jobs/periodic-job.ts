import type { PgBoss } from 'pg-boss';
import type { Logger } from '../log.ts';

export interface PeriodicJob {
  /** Ask for a run now (coalesced with one already queued). */
  trigger(): Promise<void>;
  stop(): void;
}

/**
 * Work that runs every `intervalMs` on one replica at a time: each replica asks on its own timer, and the
 * `stately` queue keeps at most one queued and one running job, so asks from many replicas collapse into one.
 * A replica that dies mid-run stops heart-beating and its job is retried.
 */
export async function startPeriodicJob(
  boss: PgBoss,
  job: { queue: string; intervalMs: number; run: () => Promise<unknown>; logger: Logger; expireInSeconds?: number },
): Promise<PeriodicJob> {
  const options = { retryLimit: 3, retryDelay: 5, expireInSeconds: job.expireInSeconds ?? 600, heartbeatSeconds: 10 };
  if (await boss.getQueue(job.queue)) await boss.updateQueue(job.queue, options);
  else await boss.createQueue(job.queue, { policy: 'stately', ...options });
  const workerId = await boss.work(job.queue, { batchSize: 1, pollingIntervalSeconds: 1 }, async () => {
    await job.run();
  });
  const trigger = async () => {
    try {
      await boss.send(job.queue, {}, { singletonKey: job.queue });
      boss.notifyWorker(workerId);
    } catch (error) {
      job.logger.warn('could not queue a periodic job', { queue: job.queue, error });
    }
  };
  await trigger();
  const timer = setInterval(() => void trigger(), job.intervalMs);
  timer.unref();
  return { trigger, stop: () => clearInterval(timer) };
}
