import type { Clock } from 'pg-boss';
import type { Logger } from '../../log.ts';

/**
 * The handoff worker's read → decide → fetch → reschedule loop, shared by its two modes: budget-aware pacing
 * (default, see pacing-step.ts) and the fixed call-saving window (HANDOFF_BATCH_WINDOW_MS, see batch-window.ts).
 * Jobs wait in pg-boss, shared by every replica; each replica decides on its own when to fetch, and pg-boss's
 * SKIP LOCKED claim keeps two replicas from taking the same job.
 */

/** What to do now: lanes to wake (each fetches one batch), and when to look again. */
export interface FetchStep {
  fetchBatches: number;
  nextCheckMs: number;
}

export interface FetchLoop {
  /** Work was queued here: look within `wakeAfterMs` instead of at the next scheduled read. */
  wake(): void;
  stop(): void;
}

/** The timers the loop schedules its reads on: pg-boss's Clock interface, so a test can hand it the TestClock it gave pg-boss. */
export type WindowClock = Pick<Clock, 'now' | 'setTimeout' | 'clearTimeout'>;

/** The process clock; its timers do not keep the process alive. */
const processClock: WindowClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout | undefined),
};

export interface FetchLoopOptions {
  /** Reads what the decision needs and decides (the loop runs one at a time). */
  step: () => Promise<FetchStep>;
  /** How soon after wake() to look: 0 for at once. */
  wakeAfterMs: number;
  /** When to look again after a read failed. */
  retryAfterMs: number;
  /** Wakes this many lanes, each to fetch one batch. */
  fetch: (batches: number) => void;
  logger: Logger;
  /** Default: the process clock. */
  clock?: WindowClock;
}

/** One read at a time; the next read is scheduled from what the last one saw, or brought forward by wake(). */
export function startFetchLoop(options: FetchLoopOptions): FetchLoop {
  const { logger } = options;
  const clock = options.clock ?? processClock;
  let timer: unknown;
  let dueAt = Number.POSITIVE_INFINITY;
  let reading = false;
  let wokenWhileReading = false;
  let stopped = false;
  const schedule = (inMs: number) => {
    if (stopped || clock.now() + inMs >= dueAt) return;
    clock.clearTimeout(timer);
    dueAt = clock.now() + inMs;
    timer = clock.setTimeout(() => void check(), inMs);
  };
  const check = async () => {
    timer = undefined;
    dueAt = Number.POSITIVE_INFINITY;
    if (reading || stopped) return;
    reading = true;
    wokenWhileReading = false;
    let next = options.retryAfterMs;
    try {
      const step = await options.step();
      if (step.fetchBatches > 0) options.fetch(step.fetchBatches);
      next = step.nextCheckMs;
    } catch (error) {
      logger.warn('could not read the waiting handoffs; trying again', { error });
    } finally {
      reading = false;
      // Work queued during the read may not be in what it saw.
      schedule(wokenWhileReading ? Math.min(next, options.wakeAfterMs) : next);
    }
  };
  schedule(0);
  return {
    wake: () => {
      if (reading) wokenWhileReading = true;
      else schedule(options.wakeAfterMs);
    },
    stop: () => {
      stopped = true;
      clock.clearTimeout(timer);
    },
  };
}
