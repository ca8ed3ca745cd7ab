import { describe, expect, it } from '@jest/globals';
import { windowStep, windowTiming } from '../../../src/jobs/handoff/batch-window.ts';

describe('batch window decision', () => {
  const timing = windowTiming(2_000, 100);

  it('reads the queue every quarter window (50 ms to 1 s) while jobs wait, and an empty queue every window (250 ms to 2 s)', () => {
    expect(timing).toEqual({ windowMs: 2_000, batchSize: 100, checkEveryMs: 500, idleCheckMs: 2_000 });
    expect(windowTiming(60_000, 100)).toMatchObject({ checkEveryMs: 1_000, idleCheckMs: 2_000 });
    expect(windowTiming(100, 100)).toMatchObject({ checkEveryMs: 50, idleCheckMs: 250 });
  });

  it.each([
    ['nothing waits: look again after the idle gap', { ready: 0, oldestAgeMs: 0 }, { fetchBatches: 0, nextCheckMs: 2_000 }],
    [
      'a few, young: hold; look again within a check to see the batch fill',
      { ready: 5, oldestAgeMs: 100 },
      { fetchBatches: 0, nextCheckMs: 500 },
    ],
    ['a few, due soon: look again when the oldest is due', { ready: 5, oldestAgeMs: 1_800 }, { fetchBatches: 0, nextCheckMs: 200 }],
    ['a few, the oldest has waited the window: one batch', { ready: 5, oldestAgeMs: 2_000 }, { fetchBatches: 1, nextCheckMs: 500 }],
    ['a full batch, young: it goes at once', { ready: 100, oldestAgeMs: 10 }, { fetchBatches: 1, nextCheckMs: 500 }],
    ['two and a half batches, young: the two full ones go', { ready: 250, oldestAgeMs: 10 }, { fetchBatches: 2, nextCheckMs: 500 }],
    [
      'a full batch and more, overdue: one batch takes the oldest, the rest is looked at again',
      { ready: 150, oldestAgeMs: 5_000 },
      { fetchBatches: 1, nextCheckMs: 500 },
    ],
  ])('%s', (_case, waiting, step) => {
    expect(windowStep(waiting, timing)).toEqual(step);
  });
});
