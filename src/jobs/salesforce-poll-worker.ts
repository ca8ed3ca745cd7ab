import type { PgBoss } from 'pg-boss';
import { waitingForOf } from '../budgets/budget-errors.ts';
import { decidePollRound } from '../core/sales/change-events/decide-poll-round.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { CHANGE_EVENT_LEASE, readCdcState } from '../store/cdc-lease.ts';
import { withSalesforceChangesLock } from '../store/change-lock.ts';
import { readSyncState, writeSyncState } from '../store/sync-state.ts';
import { type PeriodicJob, startPeriodicJob } from './periodic-job.ts';
import { type LeadPollDeps, type PollSummary, pollLeadChanges } from './salesforce-poll/poll-leads.ts';
import { type OpportunityPollSummary, pollOpportunityChanges } from './salesforce-poll/poll-opportunities.ts';

const SALESFORCE_POLL_QUEUE = 'salesforce-lead-poll';
/** When the last poll round ran (any replica), so the drift check keeps its interval across replicas and restarts. */
const LAST_ROUND_KEY = 'salesforce.poll.last_round';

export type PollWorkerDeps = LeadPollDeps & { metrics?: LeadPollDeps['metrics'] & Partial<Pick<Metrics, 'pollSkipped'>> };

/** A round's Leads, and its converted Leads' Opportunities (absent while revenue.yaml follows no deals). */
export type PollRoundSummary = PollSummary & { opportunities?: OpportunityPollSummary };

/**
 * One poll round, or none: when a budget or refused credentials stop it, the round is skipped and counted.
 * Leads first, so a conversion the round sees links its Opportunity before the Opportunities are read. Each
 * watermark only advances after a page is recorded, so the next round reads the same records again. The round
 * holds the changes lock, so a change-event batch never carries out the same Lead at the same time.
 */
export async function pollOrSkip(deps: PollWorkerDeps): Promise<PollRoundSummary | { skipped: string }> {
  try {
    return await withSalesforceChangesLock(deps.db, async () => {
      const leads = await pollLeadChanges(deps);
      const opportunities = await pollOpportunityChanges(deps);
      await writeSyncState(deps.db, LAST_ROUND_KEY, { at: deps.now().toISOString() });
      return opportunities ? { ...leads, opportunities } : leads;
    });
  } catch (error) {
    const waitingFor = waitingForOf(error);
    if (!waitingFor) throw error;
    deps.metrics?.pollSkipped?.(waitingFor);
    deps.logger.info('salesforce poll round skipped', { module: 'salesforce-poll', waitingFor, reason: (error as Error).message });
    return { skipped: waitingFor };
  }
}

/**
 * A timed round: while change events arrive live, only every `driftCheckMs` (the drift check); otherwise at the
 * poll's own interval, carrying every change.
 */
export async function timedPollRound(deps: PollWorkerDeps, driftCheckMs: number): Promise<PollRoundSummary | { skipped: string }> {
  const path = await readCdcState(deps.db, CHANGE_EVENT_LEASE);
  const last = await readSyncState<{ at: string }>(deps.db, LAST_ROUND_KEY);
  const decision = decidePollRound(path, last ? new Date(last.at) : undefined, deps.now(), driftCheckMs);
  if (!decision.run) return { skipped: decision.reason };
  return pollOrSkip(deps);
}

/**
 * Salesforce is asked for changed Leads (and their Opportunities) every `intervalMs`, by one replica at a time;
 * while change events are live, only every `driftCheckMs`.
 */
export function startSalesforcePollWorker(
  boss: PgBoss,
  deps: PollWorkerDeps,
  intervalMs: number,
  driftCheckMs: number = intervalMs,
): Promise<PeriodicJob> {
  return startPeriodicJob(boss, {
    queue: SALESFORCE_POLL_QUEUE,
    intervalMs,
    run: () => timedPollRound(deps, driftCheckMs),
    logger: deps.logger.child({ module: 'salesforce-poll' }),
  });
}
