import { type DeliverDeps, type DeliveryCounts, deliverDueNotifications } from './deliver-notifications.ts';

/** Due retries are picked up this often; new notifications go out at once through `kick`. */
export const NOTIFY_INTERVAL_MS = 5_000;

/** The timer the worker schedules its passes on (the process's by default; tests inject their own). */
export interface NotifyTimer {
  setInterval(run: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const processTimer: NotifyTimer = {
  setInterval: (run, ms) => {
    const handle = setInterval(run, ms);
    handle.unref();
    return handle;
  },
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

export interface NotifyWorker {
  /**
   * Run a pass now (the handoff calls this after it commits new notifications). Resolves once a pass that began
   * after the call has finished; calls during a pass are folded into one more pass right after it.
   */
  kick(): Promise<void>;
  /** Stops the timer and waits for the pass in flight. */
  stop(): Promise<void>;
}

export interface NotifyWorkerOptions {
  intervalMs?: number;
  timer?: NotifyTimer;
  /** Told of every pass (tests and the bench observe passes through it). */
  onPass?: (counts: DeliveryCounts) => void;
}

/**
 * Delivers owner notifications every `intervalMs` and at once on `kick()`. Every replica runs one: rows are
 * claimed with SKIP LOCKED, so replicas share the work and never send one row twice; unlike the periodic jobs it
 * does not queue through pg-boss, whose polling would add up to a second before a new notification goes out.
 * A failed pass (the database away) is logged and the next one tries again.
 */
export function startNotifyWorker(deps: DeliverDeps, options: NotifyWorkerOptions = {}): NotifyWorker {
  const timer = options.timer ?? processTimer;
  const log = deps.logger.child({ module: 'notify' });
  const batch = deps.batch ?? 50;
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;
  let waiters: Array<() => void> = [];

  const loop = async () => {
    do {
      again = false;
      // Those waiting now are served by this pass; later kicks wait for the next one.
      const served = waiters;
      waiters = [];
      try {
        const counts = await deliverDueNotifications({ ...deps, batch });
        options.onPass?.(counts);
        // A full batch means more are due: go on without waiting for the timer.
        if (counts.claimed >= batch) again = true;
      } catch (error) {
        log.warn('notification pass failed; the next pass retries', { error });
      }
      for (const resolve of served) resolve();
    } while (again && !stopped);
    running = undefined;
    for (const resolve of waiters.splice(0)) resolve();
  };

  const kick = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    const done = new Promise<void>((resolve) => waiters.push(resolve));
    if (running) again = true;
    else running = loop();
    return done;
  };

  const handle = timer.setInterval(() => void kick(), options.intervalMs ?? NOTIFY_INTERVAL_MS);
  return {
    kick,
    async stop() {
      stopped = true;
      timer.clearInterval(handle);
      await running;
    },
  };
}
