import type { PgBoss } from 'pg-boss';
import { pollLeadChanges, type LeadPollDeps } from './salesforce-poll/poll-leads.ts';

/** One poll at a time across every replica: each replica asks on its timer, the queue keeps one. */
export const SALESFORCE_POLL_QUEUE = 'salesforce-lead-poll';
const POLL_KEY = 'leads';

export interface PollWorker {
  /** Ask for a poll now (coalesced with one already queued). */
  trigger(): Promise<void>;
  stop(): void;
}

export async function startSalesforcePollWorker(boss: PgBoss, deps: LeadPollDeps, intervalMs: number): Promise<PollWorker> {
  const log = deps.logger.child({ module: 'salesforce-poll' });
  const options = { retryLimit: 3, retryDelay: 5, expireInSeconds: 600, heartbeatSeconds: 10 };
  if (await boss.getQueue(SALESFORCE_POLL_QUEUE)) await boss.updateQueue(SALESFORCE_POLL_QUEUE, options);
  else await boss.createQueue(SALESFORCE_POLL_QUEUE, { policy: 'stately', ...options });
  const workerId = await boss.work(SALESFORCE_POLL_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async () => {
    await pollLeadChanges(deps);
  });
  const trigger = async () => {
    try {
      await boss.send(SALESFORCE_POLL_QUEUE, {}, { singletonKey: POLL_KEY });
      boss.notifyWorker(workerId);
    } catch (error) {
      log.warn('could not queue a Salesforce poll', { error });
    }
  };
  await trigger();
  const timer = setInterval(() => void trigger(), intervalMs);
  timer.unref();
  return { trigger, stop: () => clearInterval(timer) };
}
