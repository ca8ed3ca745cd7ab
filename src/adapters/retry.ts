import pRetry from 'p-retry';
import { ProviderError } from '../errors.ts';
import type { Logger } from '../log.ts';

/** How hard an adapter tries before it gives up and the work is parked. */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 30_000 };

export interface RetryDecision {
  retry: boolean;
  reason: string;
  waitMs: number;
}

/**
 * Pure retry decision. Retryable provider errors (429, 5xx, timeouts, network) wait as the provider
 * asked (Retry-After) or a full-jitter exponential delay, capped; anything else is permanent.
 */
export function decideRetry(
  error: unknown,
  attempt: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  random: () => number = Math.random,
): RetryDecision {
  if (attempt >= policy.maxAttempts) {
    return { retry: false, reason: `gave up after ${attempt} attempts`, waitMs: 0 };
  }
  if (!(error instanceof ProviderError)) {
    return { retry: false, reason: `not a provider error: ${(error as Error)?.message ?? String(error)}`, waitMs: 0 };
  }
  if (!error.retryable) {
    return { retry: false, reason: `permanent ${error.provider} error${error.status ? ` ${error.status}` : ''}`, waitMs: 0 };
  }
  const what = error.status ? `${error.provider} ${error.status}` : `${error.provider} ${error.code ?? 'network error'}`;
  if (error.retryAfterMs !== undefined) {
    return { retry: true, reason: `${what}: waiting as told by Retry-After`, waitMs: Math.min(error.retryAfterMs, policy.maxDelayMs) };
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return { retry: true, reason: `${what}: transient, backing off`, waitMs: Math.floor(random() * ceiling) };
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export interface RetryContext {
  logger: Logger;
  operation: string;
  policy?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `operation` through p-retry, with every wait chosen by `decideRetry`. */
export async function withRetry<T>(run: () => Promise<T>, context: RetryContext): Promise<T> {
  const policy = context.policy ?? DEFAULT_RETRY_POLICY;
  const sleep = context.sleep ?? realSleep;
  let last: RetryDecision | undefined;
  return pRetry(run, {
    retries: Math.max(0, policy.maxAttempts - 1),
    minTimeout: 0,
    maxTimeout: 0,
    factor: 1,
    onFailedAttempt: async ({ error, attemptNumber }) => {
      last = decideRetry(error, attemptNumber, policy, context.random);
      context.logger.warn('provider call failed', {
        operation: context.operation,
        attempt: attemptNumber,
        retry: last.retry,
        reason: last.reason,
        waitMs: last.waitMs,
        error: error.message,
      });
      if (last.retry) await sleep(last.waitMs);
    },
    shouldRetry: () => last?.retry === true,
  });
}
