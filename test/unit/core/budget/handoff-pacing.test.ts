import { describe, expect, it } from '@jest/globals';
import { decidePacing, type PacingInput, shareAllowance, shareRoomInMs } from '../../../../src/core/budget/handoff-pacing.ts';

const NOW = 1_000_000;
/** HubSpot's burst window: HUBSPOT_BURST_LIMIT (here 100) calls per rolling 10 s; a 50 % share allows 50 handoff calls. */
const base: PacingInput = {
  waiting: { ready: 0, oldestAgeMs: 0 },
  batchSize: 100,
  window: { max: 100, windowMs: 10_000 },
  share: 0.5,
  handoffCallStarts: [],
  callsPerBatch: 1,
  now: NOW,
  checkEveryMs: 250,
  idleCheckMs: 2_000,
};
/** `count` handoff calls started `agesMs` ago (one age per call, or the same age for all). */
const callsAgo = (count: number, ageMs: (i: number) => number) => Array.from({ length: count }, (_, i) => NOW - ageMs(i));

describe('decidePacing: budget-aware batching of handoffs', () => {
  it.each<
    [string, Partial<PacingInput>, { fetchBatches: number; nextCheckMs: number; holdMs: number; shareInUse: number; reason: string }]
  >([
    ['nothing waits: look again after the idle gap', {}, { fetchBatches: 0, nextCheckMs: 2_000, holdMs: 0, shareInUse: 0, reason: 'idle' }],
    [
      'one waits, the window is empty: it goes at once',
      { waiting: { ready: 1, oldestAgeMs: 3 } },
      { fetchBatches: 1, nextCheckMs: 250, holdMs: 0, shareInUse: 0, reason: 'within_share' },
    ],
    [
      'a few wait, the share has room for one more batch: it goes at once',
      { waiting: { ready: 7, oldestAgeMs: 40 }, handoffCallStarts: callsAgo(49, (i) => i * 100) },
      { fetchBatches: 1, nextCheckMs: 250, holdMs: 0, shareInUse: 0.98, reason: 'within_share' },
    ],
    [
      'the share is spent: held until the oldest call of the window leaves it',
      // 50 calls, the oldest 9 s ago: it leaves in 1 s, and then one batch fits.
      { waiting: { ready: 3, oldestAgeMs: 200 }, handoffCallStarts: callsAgo(50, (i) => 9_000 - i * 10) },
      { fetchBatches: 0, nextCheckMs: 1_000, holdMs: 200, shareInUse: 1, reason: 'grouping' },
    ],
    [
      'over the share (other replicas, booked calls): held until enough calls leave for the batch to fit',
      // 53 calls: 4 must leave; the 4th oldest started 8,970 ms ago and leaves in 1,030 ms.
      { waiting: { ready: 3, oldestAgeMs: 200 }, handoffCallStarts: callsAgo(53, (i) => 9_000 - i * 10) },
      { fetchBatches: 0, nextCheckMs: 1_030, holdMs: 200, shareInUse: 1, reason: 'grouping' },
    ],
    [
      'calls older than the window do not count',
      { waiting: { ready: 3, oldestAgeMs: 200 }, handoffCallStarts: [...callsAgo(60, () => 10_000), ...callsAgo(10, () => 5)] },
      { fetchBatches: 1, nextCheckMs: 250, holdMs: 0, shareInUse: 0.2, reason: 'within_share' },
    ],
    [
      'calls booked to start later (the rate limiter made them wait) count, and leave a window after their start',
      { waiting: { ready: 3, oldestAgeMs: 0 }, handoffCallStarts: callsAgo(50, () => -500) },
      { fetchBatches: 0, nextCheckMs: 10_000, holdMs: 0, shareInUse: 1, reason: 'grouping' },
    ],
    [
      'never held past one window: the wait is cut at the oldest job having waited a window',
      { waiting: { ready: 3, oldestAgeMs: 9_700 }, handoffCallStarts: callsAgo(50, () => 1_000) },
      { fetchBatches: 0, nextCheckMs: 300, holdMs: 9_700, shareInUse: 1, reason: 'grouping' },
    ],
    [
      'the oldest has waited a window: its batch goes although the share is spent',
      { waiting: { ready: 3, oldestAgeMs: 10_000 }, handoffCallStarts: callsAgo(50, () => 1_000) },
      { fetchBatches: 1, nextCheckMs: 250, holdMs: 0, shareInUse: 1, reason: 'max_hold' },
    ],
    [
      'a full batch goes at once although the share is spent: waiting cannot make it cheaper',
      { waiting: { ready: 100, oldestAgeMs: 5 }, handoffCallStarts: callsAgo(50, () => 1_000) },
      { fetchBatches: 1, nextCheckMs: 250, holdMs: 0, shareInUse: 1, reason: 'full_batch' },
    ],
    [
      'full batches and a remainder, share spent: the full ones go, the remainder waits its turn',
      { waiting: { ready: 250, oldestAgeMs: 5 }, handoffCallStarts: callsAgo(49, () => 1_000) },
      { fetchBatches: 2, nextCheckMs: 250, holdMs: 0, shareInUse: 0.98, reason: 'full_batch' },
    ],
    [
      'full batches and a remainder, room for all three: the remainder goes with them',
      { waiting: { ready: 250, oldestAgeMs: 5 }, handoffCallStarts: callsAgo(47, () => 1_000) },
      { fetchBatches: 3, nextCheckMs: 250, holdMs: 0, shareInUse: 0.94, reason: 'full_batch' },
    ],
    [
      'a batch that costs three calls needs room for three: with 48 of 50 used, one call must leave',
      { waiting: { ready: 3, oldestAgeMs: 0 }, callsPerBatch: 3, handoffCallStarts: callsAgo(48, (i) => 9_000 - i * 10) },
      { fetchBatches: 0, nextCheckMs: 1_000, holdMs: 0, shareInUse: 0.96, reason: 'grouping' },
    ],
    [
      'a 100 % share lets handoffs use the whole window before grouping',
      { waiting: { ready: 3, oldestAgeMs: 0 }, share: 1, handoffCallStarts: callsAgo(99, () => 1_000) },
      { fetchBatches: 1, nextCheckMs: 250, holdMs: 0, shareInUse: 0.99, reason: 'within_share' },
    ],
    [
      'a call starting now (a fetched batch the window does not show yet) counts',
      { waiting: { ready: 2, oldestAgeMs: 0 }, handoffCallStarts: [...callsAgo(49, () => 9_000), NOW] },
      { fetchBatches: 0, nextCheckMs: 1_000, holdMs: 0, shareInUse: 1, reason: 'grouping' },
    ],
    [
      'the share spent by calls starting now: held until a window after now when they are what must leave',
      { waiting: { ready: 2, oldestAgeMs: 0 }, handoffCallStarts: callsAgo(50, () => 0) },
      { fetchBatches: 0, nextCheckMs: 10_000, holdMs: 0, shareInUse: 1, reason: 'grouping' },
    ],
  ])('%s', (_case, input, expected) => {
    expect(decidePacing({ ...base, ...input })).toEqual(expected);
  });

  describe('an even pace once the burst is spent (burst: 5 calls; 50 allowed per 10 s: the other 45 one every 222 ms)', () => {
    const paced = { ...base, burst: 5, waiting: { ready: 2, oldestAgeMs: 20 } };
    it.each<[string, number[], { fetchBatches: number; nextCheckMs?: number; reason: string }]>([
      [
        'five calls just made spend the burst: the next batch waits for one call of pace',
        callsAgo(5, () => 10),
        { fetchBatches: 0, nextCheckMs: 213, reason: 'grouping' },
      ],
      ['a trickle slower than the pace never waits', callsAgo(10, (i) => 300 * (i + 1)), { fetchBatches: 1, reason: 'within_share' }],
      ['after a quiet spell the burst is back', callsAgo(5, () => 2_000), { fetchBatches: 1, reason: 'within_share' }],
      [
        'ten calls in the last second (twice the pace): held until the pace allows one more',
        callsAgo(10, (i) => 100 * i),
        { fetchBatches: 0, nextCheckMs: 434, reason: 'grouping' },
      ],
    ])('%s', (_case, handoffCallStarts, expected) => {
      expect(decidePacing({ ...paced, handoffCallStarts })).toMatchObject(expected);
    });

    it('without a burst given, the whole share may go back to back (the window alone decides)', () => {
      expect(decidePacing({ ...paced, burst: undefined, handoffCallStarts: callsAgo(40, () => 10) })).toMatchObject({
        fetchBatches: 1,
        reason: 'within_share',
      });
    });
  });

  it('lets a tiny share still pass one batch per window', () => {
    expect(shareAllowance({ max: 100, windowMs: 10_000 }, 0.001, 1)).toBe(1);
    expect(shareAllowance({ max: 190, windowMs: 10_000 }, 0.5, 1)).toBe(95);
    const one = decidePacing({ ...base, share: 0.001, waiting: { ready: 1, oldestAgeMs: 0 } });
    expect(one).toMatchObject({ fetchBatches: 1, reason: 'within_share' });
    const held = decidePacing({
      ...base,
      share: 0.001,
      waiting: { ready: 1, oldestAgeMs: 0 },
      handoffCallStarts: callsAgo(1, () => 4_000),
    });
    expect(held).toMatchObject({ fetchBatches: 0, nextCheckMs: 6_000, reason: 'grouping' });
  });

  it('reports the share in use without letting it pass 1', () => {
    expect(decidePacing({ ...base, handoffCallStarts: callsAgo(80, () => 10) }).shareInUse).toBe(1);
    expect(decidePacing({ ...base, handoffCallStarts: callsAgo(25, () => 10) }).shareInUse).toBe(0.5);
  });
});

describe('shareRoomInMs: the write-back keeps the window within the share too', () => {
  const room = (starts: number[], heldForMs = 0) =>
    shareRoomInMs({ window: base.window, share: 0.5, handoffCallStarts: starts, calls: 2, heldForMs, now: NOW });
  it('held for a window in all, it goes whatever the window holds; held a while, it waits only the rest of one', () => {
    const full = callsAgo(49, (i) => i * 100);
    expect([room(full, 0), room(full, 6_000), room(full, 10_000), room(full, 12_000)]).toEqual([5_200, 4_000, 0, 0]);
  });
  it.each<[string, number[], number]>([
    ['an empty window: at once', [], 0],
    ['48 of the 50 in use: two more fit now', callsAgo(48, (i) => i * 100), 0],
    // 49 in use: one must leave, the oldest (started 4,800 ms ago) in 5,200 ms.
    ['49 in use: until the oldest leaves', callsAgo(49, (i) => i * 100), 5_200],
    // 53 in use (ages 0 to 5,200 ms): five must leave; the fifth oldest started 4,800 ms ago.
    ['over the share (reads booked ahead, another replica): until enough leave', callsAgo(53, (i) => i * 100), 5_200],
    // 60 in use, seven of them booked to start later (ages -700 to 5,200 ms): twelve must leave; the twelfth oldest is 4,100 ms old.
    ['more over the share: the more must leave', callsAgo(60, (i) => i * 100 - 700), 5_900],
    ['calls older than the window do not count', [...callsAgo(60, () => 10_000), ...callsAgo(10, () => 5)], 0],
    ['never more than one window, even for calls booked far ahead', callsAgo(50, () => -20_000), 10_000],
  ])('%s', (_name, starts, expected) => {
    expect(room(starts)).toBe(expected);
  });
});
