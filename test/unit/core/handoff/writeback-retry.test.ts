import { describe, expect, it } from '@jest/globals';
import {
  decideWriteBackFailure,
  WRITEBACK_RETRY,
  type WriteBackFailureFacts,
  writeBackBackoffMs,
} from '../../../../src/core/handoff/writeback-retry.ts';

const provider = (facts: Partial<WriteBackFailureFacts>): WriteBackFailureFacts => ({
  kind: 'provider',
  retryable: false,
  budget: false,
  attempts: 0,
  ...facts,
});

describe('a failed HubSpot write-back send', () => {
  const table: Array<[string, WriteBackFailureFacts, string, number | undefined]> = [
    ['429 / 5xx / network, first failure', provider({ retryable: true }), 'retry', 1_000],
    ['retryable, third failure doubles the wait', provider({ retryable: true, attempts: 2 }), 'retry', 4_000],
    ['retryable with Retry-After longer than the backoff', provider({ retryable: true, retryAfterMs: 10_000 }), 'retry', 10_000],
    ['retryable, backoff capped', provider({ retryable: true, attempts: 10 }), 'retry', WRITEBACK_RETRY.maxWaitMs],
    ['retryable for the last allowed time', provider({ retryable: true, attempts: WRITEBACK_RETRY.maxAttempts - 1 }), 'park', undefined],
    ['our budget refused it (returns by itself)', provider({ budget: true, retryAfterMs: 30_000, attempts: 40 }), 'retry', 30_000],
    ['permanent refusal (400)', provider({}), 'park', undefined],
    ['not a provider error: a bug', { kind: 'other', retryable: false, budget: false, attempts: 0 }, 'fail', 1_000],
  ];
  it.each(table)('%s → %s', (_name, facts, action, waitMs) => {
    const decision = decideWriteBackFailure(facts);
    expect(decision.action).toBe(action);
    expect('waitMs' in decision ? decision.waitMs : undefined).toBe(waitMs);
    expect(decision.reason.length).toBeGreaterThan(0);
  });

  it('backs off by doubling from one second up to five minutes', () => {
    expect([0, 1, 2, 3, 8, 9, 50].map(writeBackBackoffMs)).toEqual([1_000, 2_000, 4_000, 8_000, 256_000, 300_000, 300_000]);
  });
});
