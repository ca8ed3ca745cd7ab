/**
 * What the HubSpot write-back flusher does with a failed send. The outbox changes the old rule (core/handoff/
 * failure-policy.ts parks even retryable write-back failures, because retrying the batch would repeat its Salesforce
 * writes): a row of the outbox is retried alone, so a rate limit, a 5xx, a network failure or our own budget's
 * refusal keeps the row for a later try; only a permanent refusal (or a retryable one that never passes) is parked.
 */
export interface WriteBackFailureFacts {
  /** `provider`: HubSpot answered with an error or could not be reached; `other`: anything else (a bug). */
  kind: 'provider' | 'other';
  /** A timeout, 5xx or 429, as the adapter judged it. */
  retryable: boolean;
  /** Our own API budget refused the call before it was sent (it returns by itself). */
  budget: boolean;
  /** When the provider or the budget said to come back. */
  retryAfterMs?: number;
  /** Failed sends of this row before this one. */
  attempts: number;
}

export type WriteBackFailureAction =
  | { action: 'retry'; waitMs: number; reason: string }
  /** Parked as `hubspot_writeback` parked work, for the admin's replay. */
  | { action: 'park'; reason: string }
  /** A bug: logged loudly and kept (never parked); tried again after the wait, in case the bug was transient. */
  | { action: 'fail'; waitMs: number; reason: string };

export const WRITEBACK_RETRY = {
  firstWaitMs: 1_000,
  maxWaitMs: 5 * 60_000,
  /** After this many failed retryable sends (about half an hour of backoff) the row is parked for a person. */
  maxAttempts: 12,
} as const;

/** Doubling backoff from the first wait, capped. `attempts` counts the failed sends before this one. */
export function writeBackBackoffMs(attempts: number): number {
  return Math.min(WRITEBACK_RETRY.maxWaitMs, WRITEBACK_RETRY.firstWaitMs * 2 ** Math.min(attempts, 20));
}

/** Pure: the one rule for a failed write-back send. */
export function decideWriteBackFailure(facts: WriteBackFailureFacts): WriteBackFailureAction {
  const backoff = writeBackBackoffMs(facts.attempts);
  const waitMs = Math.max(backoff, facts.retryAfterMs ?? 0);
  if (facts.kind !== 'provider') return { action: 'fail', waitMs: backoff, reason: 'not a provider error: a bug, kept and logged' };
  // The budget says when it returns; its refusals are not failures of the row, so they neither grow the backoff nor park.
  if (facts.budget)
    return { action: 'retry', waitMs: facts.retryAfterMs ?? backoff, reason: 'our HubSpot budget refused the call: kept until it returns' };
  if (!facts.retryable) return { action: 'park', reason: "permanent refusal: parked with HubSpot's message" };
  if (facts.attempts + 1 >= WRITEBACK_RETRY.maxAttempts)
    return { action: 'park', reason: `retryable failure ${WRITEBACK_RETRY.maxAttempts} times in a row: parked for a person` };
  return { action: 'retry', waitMs, reason: 'retryable failure: kept, tried again after a backoff' };
}
