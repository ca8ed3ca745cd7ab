import { describe, expect, it } from '@jest/globals';
import { decideRetry, parseRetryAfter, withRetry } from '../../../src/adapters/retry.ts';
import { ProviderError } from '../../../src/errors.ts';
import { silentLogger } from '../../../src/log.ts';

const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 };
const transient = new ProviderError('salesforce', 'unavailable', { status: 503, retryable: true });

describe('decideRetry', () => {
  it.each([
    ['a 503 on the first attempt', transient, 1, 0.99, { retry: true, waitMs: 99 }],
    ['a 503 on the third attempt (ceiling 400)', transient, 3, 0.5, { retry: true, waitMs: 200 }],
    [
      'a 429 with Retry-After',
      new ProviderError('hubspot', 'slow down', { status: 429, retryable: true, retryAfterMs: 700 }),
      1,
      0,
      { retry: true, waitMs: 700 },
    ],
    [
      'a Retry-After beyond the cap',
      new ProviderError('hubspot', 'slow down', { status: 429, retryable: true, retryAfterMs: 60_000 }),
      1,
      0,
      { retry: true, waitMs: 1_000 },
    ],
    ['a permanent 400', new ProviderError('hubspot', 'bad', { status: 400, retryable: false }), 1, 0, { retry: false, waitMs: 0 }],
    ['a bug', new TypeError('x is undefined'), 1, 0, { retry: false, waitMs: 0 }],
    ['the last attempt', transient, 4, 0, { retry: false, waitMs: 0 }],
  ])('%s', (_label, error, attempt, random, expected) => {
    const decision = decideRetry(error, attempt, policy, () => random);
    expect({ retry: decision.retry, waitMs: decision.waitMs }).toEqual(expected);
    expect(decision.reason.length).toBeGreaterThan(0);
  });
});

it('caps the exponential ceiling at maxDelayMs', () => {
  const long = { maxAttempts: 20, baseDelayMs: 100, maxDelayMs: 1_000 };
  expect(decideRetry(transient, 10, long, () => 0.999).waitMs).toBe(999);
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', Date.parse('2026-01-01T00:00:00Z'))).toBe(10_000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('withRetry', () => {
  it('retries transient failures with the decided waits, then succeeds', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls += 1;
        if (calls < 3) throw transient;
        return 'done';
      },
      { logger: silentLogger(), operation: 'test', policy, sleep: async (ms) => void waits.push(ms), random: () => 0.5 },
    );
    expect(result).toBe('done');
    expect(calls).toBe(3);
    expect(waits).toEqual([50, 100]);
  });

  it('passes every retry through sleep, even a zero-jitter wait', async () => {
    const waits: number[] = [];
    let calls = 0;
    await withRetry(
      async () => {
        calls += 1;
        if (calls < 3) throw transient;
        return 'done';
      },
      { logger: silentLogger(), operation: 'test', policy, sleep: async (ms) => void waits.push(ms), random: () => 0 },
    );
    expect(waits).toEqual([0, 0]);
  });

  it('stops at once on a permanent error', async () => {
    let calls = 0;
    const permanent = new ProviderError('hubspot', 'invalid property', { status: 400, retryable: false });
    await expect(
      withRetry(
        async () => {
          calls += 1;
          throw permanent;
        },
        { logger: silentLogger(), operation: 'test', policy, sleep: async () => undefined },
      ),
    ).rejects.toBe(permanent);
    expect(calls).toBe(1);
  });

  it('gives up after maxAttempts', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls += 1;
          throw transient;
        },
        { logger: silentLogger(), operation: 'test', policy, sleep: async () => undefined },
      ),
    ).rejects.toBe(transient);
    expect(calls).toBe(4);
  });
});
