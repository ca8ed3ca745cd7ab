import { realSleep } from '../adapters/retry.ts';

/**
 * Lets every worker lane run while intake is calm, and one at a time while it is busy (see intake-pressure.ts).
 * A lane waits at most `maxWaitMs` for its turn, so the worker always makes progress under a long flood.
 */
export interface LaneGate {
  enter(): Promise<void>;
  leave(): void;
}

export function createLaneGate(options: { intakeBusy: () => boolean; maxWaitMs?: number; checkEveryMs?: number; sleep?: (ms: number) => Promise<void> }): LaneGate {
  const sleep = options.sleep ?? realSleep;
  const maxWaitMs = options.maxWaitMs ?? 2_000;
  const checkEveryMs = options.checkEveryMs ?? 25;
  let running = 0;
  return {
    async enter() {
      for (let waited = 0; running > 0 && waited < maxWaitMs && options.intakeBusy(); waited += checkEveryMs) await sleep(checkEveryMs);
      running += 1;
    },
    leave() {
      running -= 1;
    },
  };
}
