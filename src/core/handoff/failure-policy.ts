/** A failure seen by the handoff, as plain data (see failureFactsOf in jobs/handoff/failure.ts). */
export interface FailureFacts {
  /** `provider`: HubSpot or Salesforce answered with an error or could not be reached; `other`: anything else. */
  kind: 'provider' | 'other';
  /** Whether trying again may succeed (a timeout, a 5xx, a 429), as the adapter judged it. */
  retryable: boolean;
  status?: number;
  code?: string;
}

/** Where in the flow it happened. */
export interface FailureStep {
  /**
   * Salesforce already holds this batch's handoff (the HubSpot write-back). A job retry would repeat the Salesforce
   * writes, so a provider failure here, even a retryable one, is parked for replay instead.
   */
  salesforceDone: boolean;
}

export type FailureAction =
  /** Throw: the job fails this attempt and the queue tries it again. */
  | { action: 'retry'; reason: string }
  /** Park the affected contacts with the provider's message, for replay; the rest of the batch goes on. */
  | { action: 'park'; reason: string }
  /** Throw: not a provider's answer, so a bug; it must fail loudly, never become parked work. */
  | { action: 'fail'; reason: string };

/** Pure: the one rule for every failure in a handoff batch. */
export function classifyFailure(facts: FailureFacts, step: FailureStep): FailureAction {
  if (facts.kind !== 'provider') return { action: 'fail', reason: 'not a provider error: a bug, which fails the job' };
  const what = `provider error${facts.status !== undefined ? ` ${facts.status}` : ''}${facts.code ? ` ${facts.code}` : ''}`;
  if (facts.retryable && step.salesforceDone)
    return { action: 'park', reason: `retryable ${what} after the Salesforce writes: parked, a retry would repeat them` };
  if (facts.retryable) return { action: 'retry', reason: `retryable ${what}: the job tries again` };
  return { action: 'park', reason: `permanent ${what}: parked with the provider's message` };
}
