import { type WaitingFor, waitingContext } from '../../budgets/budget-errors.ts';
import { classifyFailure, type FailureFacts, type FailureStep } from '../../core/handoff/failure-policy.ts';
import { ProviderError } from '../../errors.ts';

function failureFactsOf(error: unknown): FailureFacts {
  if (!(error instanceof ProviderError)) return { kind: 'other', retryable: false };
  return {
    kind: 'provider',
    retryable: error.retryable,
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.code ? { code: error.code } : {}),
  };
}

/** What a parked contact records about the provider's refusal. */
export interface Parkable {
  /** Which provider refused. */
  provider: ProviderError['provider'];
  message: string;
  code: string | undefined;
  /** Set when the work can be replayed by itself once the budget or credentials return. */
  waiting: { waitingFor?: WaitingFor };
}

/**
 * Applies the failure policy (core/handoff/failure-policy.ts): returns what to park the affected contacts with,
 * or rethrows the error for the job to retry or to fail.
 */
export function parkableOrThrow(error: unknown, step: FailureStep): Parkable {
  const { action } = classifyFailure(failureFactsOf(error), step);
  if (action !== 'park') throw error;
  const provider = error as ProviderError;
  return { provider: provider.provider, message: provider.message, code: provider.code, waiting: waitingContext(error) };
}
