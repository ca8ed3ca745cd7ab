/**
 * How hard webhooks are arriving, measured in-process. The handoff worker and the webhook intake share this
 * process's thread and its database: while a flood arrives, acknowledging it comes first (the inbox is durable,
 * the worker catches up), so HubSpot never times out and redelivers.
 */
export interface IntakePressure {
  /** Count events just accepted. */
  accepted(events: number): void;
  /** True while the last second brought at least the busy rate. */
  busy(): boolean;
}

const SLICE_MS = 100;
const SLICES = 10;

export function createIntakePressure(options: { busyEventsPerSecond: number; now?: () => number }): IntakePressure {
  const now = options.now ?? Date.now;
  // One count per 100 ms slice of the last second, keyed by slice number so stale slices are recognised.
  const counts = new Array<number>(SLICES).fill(0);
  const sliceIds = new Array<number>(SLICES).fill(-1);
  const sliceOf = (at: number) => Math.floor(at / SLICE_MS);
  return {
    accepted(events) {
      const slice = sliceOf(now());
      const index = slice % SLICES;
      if (sliceIds[index] !== slice) {
        sliceIds[index] = slice;
        counts[index] = 0;
      }
      counts[index]! += events;
    },
    busy() {
      const current = sliceOf(now());
      let total = 0;
      for (let i = 0; i < SLICES; i++) if (current - sliceIds[i]! < SLICES) total += counts[i]!;
      return total >= options.busyEventsPerSecond;
    },
  };
}
