import { describe, expect, it } from '@jest/globals';
import { decidePollRound } from '../../../../src/core/sales/change-events/decide-poll-round.ts';
import {
  backoffMs,
  DEFAULT_RECONNECT_POLICY,
  decideStreamFailure,
  type StreamFailureKind,
} from '../../../../src/core/sales/change-events/decide-stream-failure.ts';

const policy = { baseDelayMs: 1_000, maxDelayMs: 60_000, unavailableRetryMs: 900_000 };

// Pub/Sub API Developer Guide: "Subscribe RPC Method" (keep-alive within 270 s), "Event Message Durability" (72 h), "Handle Errors".
describe('decideStreamFailure', () => {
  it.each([
    ['replay-rejected', 1, 'catch-up'],
    ['topic-unavailable', 1, 'fall-back'],
    ['unauthenticated', 1, 'reconnect'],
    ['silence', 1, 'reconnect'],
    ['stream-ended', 1, 'reconnect'],
    ['unavailable', 3, 'reconnect'],
    ['other', 1, 'reconnect'],
  ] as Array<[StreamFailureKind, number, string]>)('%s (failure %i in a row) → %s', (kind, inARow, action) => {
    expect(decideStreamFailure({ kind, message: 'm' }, inARow, policy, () => 0.5).action).toBe(action);
  });

  it('an org without change events is asked again after the configured wait', () => {
    expect(decideStreamFailure({ kind: 'topic-unavailable', message: 'm' }, 1, policy)).toMatchObject({ retryAfterMs: 900_000 });
  });

  it.each([
    [1, 0, 500],
    [1, 1, 1_000],
    [2, 0, 1_000],
    [4, 1, 8_000],
    [7, 0, 30_000],
    [7, 1, 60_000],
    [30, 1, 60_000],
  ])('backoff after %i failures in a row with random %d waits %i ms: half the ceiling always, capped', (n, random, wait) => {
    expect(backoffMs(n, policy, () => random)).toBe(wait);
  });

  it('the default policy reconnects within a minute at worst', () => {
    expect(DEFAULT_RECONNECT_POLICY.maxDelayMs).toBe(60_000);
  });
});

describe('decidePollRound', () => {
  const now = new Date('2026-12-07T12:00:00Z');
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const drift = 600_000;
  it.each([
    ['no subscriber ever ran', undefined, ago(1), true, 'no-change-events'],
    ['the lease lapsed', { status: 'live', held: false }, ago(1), true, 'change-events-not-live'],
    ['reconnecting', { status: 'reconnecting', held: true }, ago(1), true, 'change-events-not-live'],
    ['an org without CDC', { status: 'unavailable', held: true }, ago(1), true, 'change-events-not-live'],
    ['live, drift check not due', { status: 'live', held: true }, ago(drift - 1), false, 'change-events-live'],
    ['live, drift check due', { status: 'live', held: true }, ago(drift), true, 'drift-check-due'],
    ['live, never polled', { status: 'live', held: true }, undefined, true, 'drift-check-due'],
  ] as const)('%s → run %s (%s)', (_name, path, last, run, reason) => {
    expect(decidePollRound(path, last, now, drift)).toEqual({ run, reason });
  });
});
