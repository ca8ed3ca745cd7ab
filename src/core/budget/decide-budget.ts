import { ceilingFor, type Priority, type PriorityShares } from './priority.ts';

/** When used units come back: all at once at a reset (a daily quota), or bucket by bucket (a rolling 24 h). */
export type Release = { kind: 'at'; at: number } | { kind: 'rolling'; expiries: ReadonlyArray<{ at: number; calls: number }> };

/** One countable budget, e.g. "our Salesforce allocation" or "HubSpot's daily limit". */
export interface Quota {
  name: string;
  used: number;
  limit: number;
  shares: PriorityShares;
  release: Release;
}

/** What the provider itself said: nothing passes until `until` (REQUEST_LIMIT_EXCEEDED, a DAILY 429). */
export interface Outage {
  reason: string;
  until: number;
}

export interface BudgetSnapshot {
  provider: string;
  quotas: readonly Quota[];
  outage?: Outage | undefined;
}

export interface BudgetDecision {
  proceed: boolean;
  waitMs: number;
  reason: string;
}

/** A refused call is never told to come back sooner than this: budgets do not return in milliseconds. */
const MIN_BUDGET_WAIT_MS = 1_000;

/** How long until enough of a quota's use has been released for `used` to fall below `ceiling`. */
export function releaseWaitMs(quota: Quota, ceiling: number, now: number): number {
  if (quota.release.kind === 'at') return Math.max(MIN_BUDGET_WAIT_MS, quota.release.at - now);
  const mustRelease = quota.used - ceiling + 1;
  let released = 0;
  const expiries = [...quota.release.expiries].sort((a, b) => a.at - b.at);
  for (const expiry of expiries) {
    released += expiry.calls;
    if (released >= mustRelease) return Math.max(MIN_BUDGET_WAIT_MS, expiry.at - now);
  }
  // The buckets do not account for all the use (counted elsewhere): by the last expiry at the latest.
  const last = expiries.at(-1)?.at ?? now;
  return Math.max(MIN_BUDGET_WAIT_MS, last - now);
}

/**
 * Whether a call of `priority` may spend one unit now. A provider-reported outage stops every priority;
 * otherwise each quota lets a priority use its share (bulk stops first, handoffs last). A refusal says when
 * that priority's budget returns, so the work can be parked rather than held in memory.
 */
export function decideBudget(snapshot: BudgetSnapshot, priority: Priority, now: number): BudgetDecision {
  if (snapshot.outage && snapshot.outage.until > now) {
    return {
      proceed: false,
      waitMs: Math.max(MIN_BUDGET_WAIT_MS, snapshot.outage.until - now),
      reason: `${snapshot.provider} budget exhausted (${snapshot.outage.reason}); checked again at ${new Date(snapshot.outage.until).toISOString()}`,
    };
  }
  const refusals: { quota: Quota; ceiling: number; waitMs: number }[] = [];
  for (const quota of snapshot.quotas) {
    const ceiling = ceilingFor(quota.limit, quota.shares, priority);
    if (quota.used + 1 > ceiling) refusals.push({ quota, ceiling, waitMs: releaseWaitMs(quota, ceiling, now) });
  }
  if (refusals.length === 0) {
    const summary = snapshot.quotas.map((q) => `${q.name} ${q.used}/${q.limit}`).join(', ');
    return { proceed: true, waitMs: 0, reason: summary ? `within budget: ${summary}` : 'no budget applies' };
  }
  const waitMs = Math.max(...refusals.map((r) => r.waitMs));
  const what = refusals
    .map(
      ({ quota, ceiling }) =>
        `${quota.name}: ${quota.used} of ${quota.limit} used, ${priority} may use ${ceiling} (${Math.round(quota.shares[priority] * 100)} %)`,
    )
    .join('; ');
  return { proceed: false, waitMs, reason: `${snapshot.provider} budget reserved for more urgent work: ${what}` };
}
