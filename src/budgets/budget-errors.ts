import type { BudgetDecision } from '../core/budget/decide-budget.ts';
import { type Provider, ProviderError } from '../errors.ts';

/** Why parked work waits; the replay of parked work asks `isBudgetAvailable(waitingFor)` before running it. */
export const WAITING_FOR = ['salesforce_budget', 'hubspot_budget', 'salesforce_auth'] as const;
export type WaitingFor = (typeof WAITING_FOR)[number];

/** Codes of calls refused by our own budget, before anything was sent. */
export const BUDGET_CODES = {
  /** This priority's share of a budget is spent; more urgent work may still run. */
  reserved: 'BUDGET_RESERVED',
  /** The provider said its budget is spent; nothing runs until it returns. */
  exhausted: 'BUDGET_EXHAUSTED',
  /** Salesforce refused our refresh token; nothing runs until a person fixes the connected app. */
  authFailed: 'AUTH_FAILED',
} as const;

/** Salesforce OAuth errors that need a person (RFC 6749 names), and a session Salesforce will not refresh. */
const SALESFORCE_AUTH_CODES = new Set([
  'invalid_grant',
  'invalid_client',
  'invalid_client_id',
  'unsupported_grant_type',
  'invalid_request',
  'INVALID_SESSION_ID',
  BUDGET_CODES.authFailed,
]);
const BUDGET_ERROR_CODES: Record<Provider, Set<string>> = {
  salesforce: new Set([BUDGET_CODES.reserved, BUDGET_CODES.exhausted, 'REQUEST_LIMIT_EXCEEDED']),
  hubspot: new Set([BUDGET_CODES.reserved, BUDGET_CODES.exhausted, 'RATE_LIMIT_DAILY']),
};

/** A refusal by our budget: typed, never retried in-process, with the time the budget returns. */
export function budgetRefusal(provider: Provider, code: string, decision: Pick<BudgetDecision, 'reason' | 'waitMs'>): ProviderError {
  return new ProviderError(provider, decision.reason, { code, retryable: false, retryAfterMs: decision.waitMs });
}

/** Whether a Salesforce error means the connected app's credentials no longer work. */
export function isSalesforceAuthFailure(error: unknown): boolean {
  return (
    error instanceof ProviderError && error.provider === 'salesforce' && !error.retryable && SALESFORCE_AUTH_CODES.has(error.code ?? '')
  );
}

/** What work refused by this error waits for; undefined when it is not a budget or credentials matter. */
export function waitingForOf(error: unknown): WaitingFor | undefined {
  if (!(error instanceof ProviderError) || error.retryable) return undefined;
  if (isSalesforceAuthFailure(error)) return 'salesforce_auth';
  if (BUDGET_ERROR_CODES[error.provider].has(error.code ?? ''))
    return error.provider === 'salesforce' ? 'salesforce_budget' : 'hubspot_budget';
  return undefined;
}

/** Context for `parkResult`: `{ waitingFor }` when the work can be replayed once the budget or credentials return. */
export function waitingContext(error: unknown): { waitingFor?: WaitingFor } {
  const waitingFor = waitingForOf(error);
  return waitingFor ? { waitingFor } : {};
}
