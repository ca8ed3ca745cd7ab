import type { Logger } from '../../log.ts';
import { withRetry, type RetryPolicy } from '../retry.ts';
import { toProviderError } from './errors.ts';

/** Runs one SDK call with our retries; whatever it throws comes out as a ProviderError. */
export type HubSpotCall = <T>(operation: string, run: () => Promise<T>) => Promise<T>;

export interface CallOptions {
  logger: Logger;
  retryPolicy?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
}

export function createHubSpotCall(options: CallOptions): HubSpotCall {
  return (operation, run) =>
    withRetry(
      async () => {
        try {
          return await run();
        } catch (error) {
          throw toProviderError(operation, error);
        }
      },
      { logger: options.logger, operation: `hubspot.${operation}`, policy: options.retryPolicy, sleep: options.sleep },
    );
}

