import type { Priority } from '../../core/budget/priority.ts';
import type { ProviderError } from '../../errors.ts';
import type { ApiUsage } from './salesforce-port.ts';

/** What only the Salesforce client can do for its budget: ask /limits, and try the refresh token. */
export interface SalesforceProbes {
  probeLimits(): Promise<ApiUsage>;
  refreshToken(): Promise<void>;
}

/**
 * What the Salesforce client asks of an API budget around each call. The budget that answers (shared across
 * replicas, in budgets/) implements it.
 */
export interface SalesforceCallBudget {
  connect(probes: SalesforceProbes): void;
  /** Before every HTTP call: refuses (typed error) when credentials or this priority's budget are out, else counts the call. */
  beforeCall(priority: Priority): Promise<void>;
  /** After every answer: the org's usage from Sforce-Limit-Info. */
  afterAnswer(usage: ApiUsage | undefined): Promise<void>;
  /** REQUEST_LIMIT_EXCEEDED and refused credentials open a shared outage (and its one alert). */
  onFailure(error: ProviderError): Promise<void>;
}
