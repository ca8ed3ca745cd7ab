import { describe, expect, it, jest } from '@jest/globals';
import { windowStep, windowTiming } from '../../../src/jobs/handoff/batch-window.ts';
import { createListAddGroup } from '../../../src/jobs/handoff/list-add-group.ts';

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

describe('grouped sales-ready list adds', () => {
  const recorder = () => {
    const calls: { listId: string; ids: string[] }[] = [];
    const addToList = async (listId: string, ids: string[]) => void calls.push({ listId, ids });
    return { calls, addToList };
  };

  it('sends one call once as many batches wait as there are lanes', async () => {
    const { calls, addToList } = recorder();
    const group = createListAddGroup({ addToList, maxWaiting: 3, spanMs: 60_000 });
    const waits = [group.add('L1', ['1', '2']), group.add('L1', ['3']), group.add('L1', ['2', '4'])];
    await Promise.all(waits);
    expect(calls).toEqual([{ listId: 'L1', ids: ['1', '2', '3', '4'] }]);
  });

  it('sends what waits after the span, and everything at once when closed', async () => {
    jest.useFakeTimers();
    try {
      const { calls, addToList } = recorder();
      const group = createListAddGroup({ addToList, maxWaiting: 3, spanMs: 4_000 });
      const first = group.add('L1', ['1']);
      jest.advanceTimersByTime(3_999);
      expect(calls).toHaveLength(0);
      jest.advanceTimersByTime(1);
      await first;
      expect(calls).toEqual([{ listId: 'L1', ids: ['1'] }]);
      const held = group.add('L1', ['2']);
      group.close();
      await held;
      await group.add('L1', ['3']);
      expect(calls.map((call) => call.ids)).toEqual([['1'], ['2'], ['3']]);
    } finally {
      jest.useRealTimers();
    }
  });

  it("hands the call's failure to every batch in the group, so each retries or parks as it would alone", async () => {
    const group = createListAddGroup({
      addToList: async () => {
        throw new Error('HubSpot 503');
      },
      maxWaiting: 2,
      spanMs: 60_000,
    });
    const outcomes = await Promise.allSettled([group.add('L1', ['1']), group.add('L1', ['2'])]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
  });
});
