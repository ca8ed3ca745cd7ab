import type { PgBoss } from 'pg-boss';
import { waitingForOf } from '../budgets/budget-errors.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { type PeriodicJob, startPeriodicJob } from './periodic-job.ts';
import { type LeadPollDeps, type PollSummary, pollLeadChanges } from './salesforce-poll/poll-leads.ts';
import { type OpportunityPollSummary, pollOpportunityChanges } from './salesforce-poll/poll-opportunities.ts';

const SALESFORCE_POLL_QUEUE = 'salesforce-lead-poll';

export type PollWorkerDeps = LeadPollDeps & { metrics?: LeadPollDeps['metrics'] & Partial<Pick<Metrics, 'pollSkipped'>> };

/** A round's Leads, and its converted Leads' Opportunities (absent while revenue.yaml follows no deals). */
export type PollRoundSummary = PollSummary & { opportunities?: OpportunityPollSummary };

/**
 * One poll round, or none: when a budget or refused credentials stop it, the round is skipped and counted.
 * Leads first, so a conversion the round sees links its Opportunity before the Opportunities are read. Each
 * watermark only advances after a page is recorded, so the next round reads the same records again.
 */
export async function pollOrSkip(deps: PollWorkerDeps): Promise<PollRoundSummary | { skipped: string }> {
  try {
    const leads = await pollLeadChanges(deps);
    const opportunities = await pollOpportunityChanges(deps);
    return opportunities ? { ...leads, opportunities } : leads;
  } catch (error) {
    const waitingFor = waitingForOf(error);
    if (!waitingFor) throw error;
    deps.metrics?.pollSkipped?.(waitingFor);
    deps.logger.info('salesforce poll round skipped', { module: 'salesforce-poll', waitingFor, reason: (error as Error).message });
    return { skipped: waitingFor };
  }
}

/** Salesforce is asked for changed Leads (and their Opportunities) every `intervalMs`, by one replica at a time. */
export function startSalesforcePollWorker(boss: PgBoss, deps: PollWorkerDeps, intervalMs: number): Promise<PeriodicJob> {
  return startPeriodicJob(boss, {
    queue: SALESFORCE_POLL_QUEUE,
    intervalMs,
    run: () => pollOrSkip(deps),
    logger: deps.logger.child({ module: 'salesforce-poll' }),
  });
}
