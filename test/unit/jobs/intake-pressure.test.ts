import { describe, expect, it } from '@jest/globals';
import { createIntakePressure } from '../../../src/jobs/intake-pressure.ts';

describe('intake pressure', () => {
  it('is busy while the last second brought the busy rate, and calms once those events are older', () => {
    let at = 10_000;
    const pressure = createIntakePressure({ busyEventsPerSecond: 500, now: () => at });
    expect(pressure.busy()).toBe(false);
    for (let i = 0; i < 9; i++) {
      pressure.accepted(50);
      at += 100;
    }
    expect(pressure.busy()).toBe(false); // 450 in the last second
    pressure.accepted(50);
    expect(pressure.busy()).toBe(true);
    at += 500;
    expect(pressure.busy()).toBe(false); // the first five slices have left the window
    at += 10_000;
    pressure.accepted(499);
    expect(pressure.busy()).toBe(false); // slices from ten seconds ago are not counted again
  });

  it('counts a steady trickle below the busy rate as calm however long it lasts', () => {
    let at = 0;
    const pressure = createIntakePressure({ busyEventsPerSecond: 500, now: () => at });
    for (let i = 0; i < 600; i++) {
      pressure.accepted(5); // 50 events/s for a minute
      at += 100;
      expect(pressure.busy()).toBe(false);
    }
  });
});
