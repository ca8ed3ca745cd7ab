import type { HandoffStage, StageMetrics } from '../../metrics/stage-metrics.ts';

/**
 * Times one handoff batch's stages as laps: each lap owns the time since the previous one, so the stages of a batch
 * add up to the batch's whole time and no millisecond goes unowned. A stage lapped twice (our bookkeeping before and
 * after the HubSpot write-back) adds up; `finish` observes each stage once per contact that went through it, with
 * the batch's full time (each of them waited that long), and nothing if the batch threw.
 */
export interface StageClock {
  /** The time since the last lap (or the start) belongs to `stage`, which `contacts` of the batch went through. */
  lap(stage: HandoffStage, contacts: number): void;
  /** Each contact's wait from its inbox row (the earliest pending event's received_at) to this batch's start. */
  queued(receivedAt: Iterable<Date>): void;
  finish(): void;
}

export interface StageClockTime {
  /** Monotonic milliseconds, for the laps. */
  monotonic: () => number;
  /** Wall-clock milliseconds, to compare with the database's received_at. */
  wall: () => number;
}

const REAL_TIME: StageClockTime = { monotonic: () => performance.now(), wall: () => Date.now() };

export function startStageClock(observe: StageMetrics['stage'] | undefined, time: StageClockTime = REAL_TIME): StageClock {
  const startedAt = time.wall();
  let mark = time.monotonic();
  const totals = new Map<HandoffStage, { ms: number; contacts: number }>();
  const queueWaits: number[] = [];
  return {
    lap: (stage, contacts) => {
      const now = time.monotonic();
      const total = totals.get(stage) ?? { ms: 0, contacts: 0 };
      totals.set(stage, { ms: total.ms + now - mark, contacts });
      mark = now;
    },
    queued: (receivedAt) => {
      for (const at of receivedAt) queueWaits.push(startedAt - at.getTime());
    },
    finish: () => {
      for (const ms of queueWaits) observe?.('queue', ms / 1000);
      for (const [stage, total] of totals) observe?.(stage, total.ms / 1000, total.contacts);
    },
  };
}
