import type { Priority } from '../../core/budget/priority.ts';
import type { ProviderError } from '../../errors.ts';

/** What one answer's X-HubSpot-RateLimit-* headers said. */
export interface HubSpotRateHeaders {
  max?: number;
  intervalMs?: number;
  remaining?: number;
  daily?: number;
  dailyRemaining?: number;
}

export type HubSpotCallKind = 'standard' | 'search';

/**
 * What the HubSpot client asks of an API budget around each call. The budget that answers (shared across replicas,
 * in budgets/) implements it; the client only needs these three doors.
 */
export interface HubSpotCallBudget {
  /**
   * Before every HTTP call: refuses (typed error) when the daily budget of `priority` is spent, else waits for a
   * window slot; resolves to what to call once the answer (or the failure) is in.
   */
  beforeCall(priority: Priority, kind: HubSpotCallKind): Promise<() => Promise<void>>;
  /** After every answer: what HubSpot reported about its limits. */
  observe(headers: HubSpotRateHeaders): Promise<void>;
  /** A 429 from HubSpot: a burst 429 pauses the window everywhere; a DAILY 429 becomes a budget refusal. */
  onRateLimited(error: ProviderError): Promise<ProviderError>;
}
