import type { Priority } from '../../core/budget/priority.ts';
import type { Logger } from '../../log.ts';
import { type RetryPolicy, withRetry } from '../retry.ts';
import type { HubSpotCallBudget } from './call-budget.ts';
import { toProviderError } from './errors.ts';

/** Runs one SDK call with our retries; whatever it throws comes out as a ProviderError. */
export type HubSpotCall = <T>(operation: string, run: () => Promise<T>) => Promise<T>;

export interface CallOptions {
  logger: Logger;
  retryPolicy?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  /** The shared budget: each attempt (first try and every retry) is admitted by it. Left out: no limits of ours. */
  budget?: HubSpotCallBudget | undefined;
  priority?: Priority;
}

/** CRM search has its own lower limit (HUBSPOT_LIMITS.searchRateLimit); our operation names end in `.search`. */
const isSearch = (operation: string) => operation.endsWith('.search');

export function createHubSpotCall(options: CallOptions): HubSpotCall {
  const { budget } = options;
  const priority = options.priority ?? 'sync';
  return (operation, run) =>
    withRetry(
      async () => {
        const ended = budget ? await budget.beforeCall(priority, isSearch(operation) ? 'search' : 'standard') : undefined;
        try {
          return await run();
        } catch (error) {
          const failure = toProviderError(operation, error);
          throw budget && failure.status === 429 ? await budget.onRateLimited(failure) : failure;
        } finally {
          // The answer is in either way; failing to note when must not turn it into a failure.
          await ended?.().catch((error: unknown) =>
            options.logger.warn('could not record when a HubSpot call ended', { operation, error }),
          );
        }
      },
      { logger: options.logger, operation: `hubspot.${operation}`, policy: options.retryPolicy, sleep: options.sleep },
    );
}
