import { describe, expect, it } from '@jest/globals';
import { createLaneGate } from '../../../src/jobs/lane-gate.ts';

describe('worker lane gate', () => {
  it('lets lanes in side by side while intake is calm', async () => {
    const gate = createLaneGate({ intakeBusy: () => false, sleep: async () => { throw new Error('should not wait'); } });
    await gate.enter();
    await gate.enter();
    await gate.enter();
  });

  it('holds a second lane while intake is busy, until the first leaves', async () => {
    let slept = 0;
    const gate = createLaneGate({ intakeBusy: () => true, checkEveryMs: 25, sleep: async (ms) => {
      slept += ms;
      if (slept === 100) gate.leave();
    } });
    await gate.enter();
    await gate.enter();
    expect(slept).toBe(100);
  });

  it('lets the waiting lane in as soon as intake calms', async () => {
    let busy = true;
    let slept = 0;
    const gate = createLaneGate({ intakeBusy: () => busy, checkEveryMs: 25, sleep: async (ms) => {
      slept += ms;
      if (slept === 50) busy = false;
    } });
    await gate.enter();
    await gate.enter();
    expect(slept).toBe(50);
  });

  it('never holds a lane longer than maxWaitMs under a long flood', async () => {
    let slept = 0;
    const gate = createLaneGate({ intakeBusy: () => true, maxWaitMs: 2_000, checkEveryMs: 25, sleep: async (ms) => void (slept += ms) });
    await gate.enter();
    await gate.enter();
    expect(slept).toBe(2_000);
  });
});
