import type { PgBoss } from 'pg-boss';
import { startPeriodicJob, type PeriodicJob } from './periodic-job.ts';
import { pollLeadChanges, type LeadPollDeps } from './salesforce-poll/poll-leads.ts';

export const SALESFORCE_POLL_QUEUE = 'salesforce-lead-poll';

/** Salesforce is asked for changed Leads every `intervalMs`, by one replica at a time. */
export function startSalesforcePollWorker(boss: PgBoss, deps: LeadPollDeps, intervalMs: number): Promise<PeriodicJob> {
  return startPeriodicJob(boss, { queue: SALESFORCE_POLL_QUEUE, intervalMs, run: () => pollLeadChanges(deps), logger: deps.logger.child({ module: 'salesforce-poll' }) });
}
