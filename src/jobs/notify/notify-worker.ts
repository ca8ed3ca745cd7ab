import { type DeliverDeps, type DeliveryCounts, deliverDueNotifications } from './deliver-notifications.ts';

/** Due retries are picked up this often; new notifications go out at once through `kick`. */
export const NOTIFY_INTERVAL_MS = 5_000;

/** Passes one worker runs at once; bounded because each pass uses a database connection and its own channel connections. */
export const NOTIFY_MAX_CONCURRENT_PASSES = 4;

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
   * Run a pass now (the handoff calls this after it commits new notifications): a new pass starts at once while
   * fewer than `maxConcurrentPasses` run, else calls fold into one more pass when a slot frees. Resolves once a pass
   * that began after the call has finished, and every pass in flight when it ended (one of those may have claimed a
   * row committed before the call), so what was committed before the call has been attempted. After `stop` it
   * resolves at once; a call still folded when `stop` is called resolves when `stop` does.
   */
  kick(): Promise<void>;
  /** Stops the timer, starts no pass after it, and waits for every pass in flight. */
  stop(): Promise<void>;
}

export interface NotifyWorkerOptions {
  intervalMs?: number;
  timer?: NotifyTimer;
  /** Passes in flight at once (default NOTIFY_MAX_CONCURRENT_PASSES). */
  maxConcurrentPasses?: number;
  /** Told of every pass (the tests observe passes through it). */
  onPass?: (counts: DeliveryCounts) => void;
}

/**
 * Delivers owner notifications every `intervalMs` and at once on `kick()`. Passes may overlap, so a batch committed
 * while a pass is out at Salesforce, SMTP and Slack does not wait for it: that is safe because rows are claimed with
 * SKIP LOCKED and a lease in a statement committed at once, so overlapping passes, like those of other replicas, get
 * disjoint rows and never send one row twice. Unlike the periodic jobs it does not queue through pg-boss, whose
 * polling would add up to a second before a new notification goes out. A failed pass (the database away) is logged
 * and the next one tries again.
 */
export function startNotifyWorker(deps: DeliverDeps, options: NotifyWorkerOptions = {}): NotifyWorker {
  const timer = options.timer ?? processTimer;
  const log = deps.logger.child({ module: 'notify' });
  const batch = deps.batch ?? 50;
  const limit = Math.max(1, options.maxConcurrentPasses ?? NOTIFY_MAX_CONCURRENT_PASSES);
  let stopped = false;
  // A slot runs one pass at a time; `busy` of them run, at most `limit`. The set is what `stop` waits for.
  let busy = 0;
  const slots = new Set<Promise<void>>();
  const passes = new Set<Promise<boolean>>();
  // Kicks not yet served by a pass that began after them: the next pass to begin serves them all.
  let waiting: Array<() => void> = [];

  /** One pass; true when it claimed a full batch (more are due). A failure is logged, never thrown. */
  const deliver = async (): Promise<boolean> => {
    try {
      const counts = await deliverDueNotifications({ ...deps, batch });
      options.onPass?.(counts);
      return counts.claimed >= batch;
    } catch (error) {
      log.warn('notification pass failed; the next pass retries', { error });
      return false;
    }
  };

  /** A pass for the kicks waiting now. They resolve after it and the passes overlapping its end, which may hold their rows. */
  const runPass = async (): Promise<boolean> => {
    const served = waiting;
    waiting = [];
    const pass = deliver();
    passes.add(pass);
    const full = await pass;
    passes.delete(pass);
    void Promise.all(passes).then(() => {
      for (const resolve of served) resolve();
    });
    return full;
  };

  /** Runs passes while more are due or kicks folded into "one more", then frees the slot. */
  const runSlot = async (): Promise<void> => {
    let again = true;
    while (again && !stopped) again = (await runPass()) || waiting.length > 0;
    // Freed in the same turn as the check above, so a kick never folds into a slot that has just stopped looking.
    busy -= 1;
  };

  const startSlot = () => {
    busy += 1;
    const slot: Promise<void> = runSlot().finally(() => slots.delete(slot));
    slots.add(slot);
  };

  const kick = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    const done = new Promise<void>((resolve) => waiting.push(resolve));
    if (busy < limit) startSlot();
    return done;
  };

  const handle = timer.setInterval(() => void kick(), options.intervalMs ?? NOTIFY_INTERVAL_MS);
  return {
    kick,
    async stop() {
      stopped = true;
      timer.clearInterval(handle);
      await Promise.all(slots);
      // Kicks folded at the limit get no pass now: they resolve rather than hang.
      for (const resolve of waiting.splice(0)) resolve();
    },
  };
}
