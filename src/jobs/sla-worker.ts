import type { PgBoss } from 'pg-boss';
import { slaTick, type SlaTickDeps } from './sla/sla-tick.ts';

/** One SLA pass at a time across replicas; each replica asks on its timer and the queue keeps one. */
export const SLA_QUEUE = 'sla-tick';

export interface SlaWorker {
  stop(): void;
}

export async function startSlaWorker(boss: PgBoss, deps: SlaTickDeps, intervalMs: number): Promise<SlaWorker> {
  const log = deps.logger.child({ module: 'sla' });
  const options = { retryLimit: 2, retryDelay: 5, expireInSeconds: 300, heartbeatSeconds: 10 };
  if (await boss.getQueue(SLA_QUEUE)) await boss.updateQueue(SLA_QUEUE, options);
  else await boss.createQueue(SLA_QUEUE, { policy: 'stately', ...options });
  const workerId = await boss.work(SLA_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async () => {
    await slaTick(deps);
  });
  const trigger = async () => {
    try {
      await boss.send(SLA_QUEUE, {}, { singletonKey: 'tick' });
      boss.notifyWorker(workerId);
    } catch (error) {
      log.warn('could not queue an SLA tick', { error });
    }
  };
  await trigger();
  const timer = setInterval(() => void trigger(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
