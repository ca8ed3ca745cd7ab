import { describe, expect, it } from '@jest/globals';
import { createLaneGate, type LaneGateOptions } from '../../../src/jobs/lane-gate.ts';

/** A gate on a fake clock that only moves when a lane sleeps; `onSleep` sees the total slept so far. */
function gateOnFakeClock(options: Omit<LaneGateOptions, 'sleep' | 'now'>, onSleep: (slept: number) => void = () => {}) {
  const clock = { at: 1_000, slept: 0 };
  const gate = createLaneGate({
    checkEveryMs: 25,
    ...options,
    now: () => clock.at,
    sleep: async (ms) => {
      clock.at += ms;
      clock.slept += ms;
      onSleep(clock.slept);
    },
  });
  return { gate, clock };
}

describe('worker lane gate', () => {
  it('lets lanes in side by side while intake is calm', async () => {
    const gate = createLaneGate({
      intakeBusy: () => false,
      sleep: async () => {
        throw new Error('should not wait');
      },
    });
    await gate.enter();
    await gate.enter();
    await gate.enter();
  });

  it('holds a second lane while intake is busy, until the first leaves', async () => {
    const { gate, clock } = gateOnFakeClock({ intakeBusy: () => true, busyGapMs: 0 }, (slept) => {
      if (slept === 100) gate.leave();
    });
    await gate.enter();
    await gate.enter();
    expect(clock.slept).toBe(100);
  });

  it.each([
    ['while busy, starts the next lane no sooner than busyGapMs after the previous one started', true, 250],
    ['does not space lanes out while intake is calm', false, 0],
  ])('%s', async (_name, busy, expectedSleepMs) => {
    const { gate, clock } = gateOnFakeClock({ intakeBusy: () => busy, busyGapMs: 250 });
    await gate.enter();
    gate.leave();
    await gate.enter();
    expect(clock.slept).toBe(expectedSleepMs);
  });

  it('lets the waiting lane in as soon as intake calms', async () => {
    let busy = true;
    const { gate, clock } = gateOnFakeClock({ intakeBusy: () => busy }, (slept) => {
      if (slept === 50) busy = false;
    });
    await gate.enter();
    await gate.enter();
    expect(clock.slept).toBe(50);
  });

  it('never holds a lane longer than maxWaitMs under a long flood', async () => {
    const { gate, clock } = gateOnFakeClock({ intakeBusy: () => true, maxWaitMs: 2_000 });
    await gate.enter();
    await gate.enter();
    expect(clock.slept).toBe(2_000);
  });
});
