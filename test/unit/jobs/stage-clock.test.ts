import { describe, expect, it } from '@jest/globals';
import { startStageClock } from '../../../src/jobs/handoff/stage-clock.ts';
import type { HandoffStage } from '../../../src/metrics/stage-metrics.ts';

function recordingClock() {
  const time = { monotonic: 1_000, wall: Date.parse('2026-12-07T10:00:00.500Z') };
  const observed: [HandoffStage, number, number | undefined][] = [];
  const clock = startStageClock((stage, seconds, contacts) => void observed.push([stage, seconds, contacts]), {
    monotonic: () => time.monotonic,
    wall: () => time.wall,
  });
  return { time, observed, clock };
}

describe('stage clock', () => {
  it('gives each lap the time since the one before, adds a stage lapped twice, and observes only at the finish', () => {
    const { time, observed, clock } = recordingClock();
    time.monotonic += 60;
    clock.lap('read', 3);
    time.monotonic += 2;
    clock.lap('decide', 3);
    time.monotonic += 110;
    clock.lap('salesforce', 2);
    time.monotonic += 5;
    clock.lap('commit', 3);
    time.monotonic += 100;
    clock.lap('writeback', 2);
    time.monotonic += 7;
    clock.lap('commit', 3);
    expect(observed).toEqual([]);
    clock.finish();
    expect(observed).toEqual([
      ['read', 0.06, 3],
      ['decide', 0.002, 3],
      ['salesforce', 0.11, 2],
      ['commit', 0.012, 3],
      ['writeback', 0.1, 2],
    ]);
  });

  it("measures each contact's queue wait from its inbox row to the batch's start", () => {
    const { time, observed, clock } = recordingClock();
    clock.queued([new Date('2026-12-07T10:00:00.480Z'), new Date('2026-12-07T10:00:00.100Z')]);
    // Later wall-clock readings do not move the batch's start.
    time.wall += 1_000;
    clock.finish();
    expect(observed).toEqual([
      ['queue', 0.02, undefined],
      ['queue', 0.4, undefined],
    ]);
  });
});
