import { type PassCounts, type SendWriteBacksDeps, sendDueWriteBacks, WRITEBACKS_PER_PASS } from './send-writebacks.ts';

/** Rows left by a crash, another replica's batches or a backoff are picked up at least this often. */
export const WRITEBACK_BACKSTOP_MS = 30_000;
/** A claim older than this belongs to a flusher that died mid-send; its rows are sent again. */
export const WRITEBACK_LEASE_MS = 120_000;
/** A graceful stop waits at most this long for the last send; what is left stays in the outbox. */
export const WRITEBACK_STOP_WAIT_MS = 5_000;

/** The timers the flusher schedules on (the process's by default, unref'd; tests inject their own and fire them). */
export interface FlushTimer {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const processTimer: FlushTimer = {
  setTimeout: (run, ms) => {
    const handle = setTimeout(run, ms);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface WriteBackFlusherOptions {
  /** How long the first write-back queued waits for others to join its call (HUBSPOT_WRITEBACK_WINDOW_MS). */
  windowMs: number;
  backstopMs?: number;
  leaseMs?: number;
  stopWaitMs?: number;
  timer?: FlushTimer;
  /** Told of every pass (tests observe passes through it). */
  onPass?: (counts: PassCounts) => void;
  /**
   * How long a pass waits for its calls to fit the real-time share of HubSpot's window (handoff pacing counts them in
   * it; see shareRoomInMs), told how long passes have waited so far; absent, passes go when due. A graceful stop's
   * last pass does not wait.
   */
  roomInShare?: (heldForMs: number) => Promise<number>;
}

/** The HubSpot calls of a usual pass: one batch update and one list add. */
export const WRITEBACK_CALLS_PER_PASS = 2;

export interface WriteBackFlusher {
  /** A batch committed `count` write-backs: sent when the window closes, or at once once a full call is waiting. */
  queued(count: number): void;
  /** Sends everything due now; resolves when a pass that began after the call has finished. */
  flush(): Promise<void>;
  /** Sends what is due (bounded by stopWaitMs; what is left stays durable) and schedules nothing more. */
  stop(): Promise<void>;
}

/**
 * Sends the hubspot_writebacks outbox in every replica. Woken by the batches that queue rows (`queued`), it waits a
 * short window so several batches' write-backs share one batch update and one list add, and goes at once when a
 * full update (100 inputs) is waiting. A slow backstop timer picks up rows no wake-up announced (a crash, another
 * replica, a backoff). Passes in one process run one at a time; passes of several replicas claim disjoint rows.
 */
export function startWriteBackFlusher(deps: SendWriteBacksDeps, options: WriteBackFlusherOptions): WriteBackFlusher {
  const timer = options.timer ?? processTimer;
  const leaseMs = options.leaseMs ?? WRITEBACK_LEASE_MS;
  const backstopMs = options.backstopMs ?? WRITEBACK_BACKSTOP_MS;
  const log = deps.logger.child({ module: 'hubspot-writeback' });
  let stopped = false;
  let announced = 0;
  let windowHandle: unknown;
  let backstopHandle: unknown;
  let retry: { handle: unknown; at: number } | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let waiters: Array<() => void> = [];
  /** When the first pass that found no room in the share was told to wait (undefined: none is waiting). */
  let heldSince: number | undefined;

  /** One pass; true when more rows may be due at once (it took a full pass). A failure is logged, never thrown. */
  const pass = async (inShare = true): Promise<boolean> => {
    try {
      const at = deps.now().getTime();
      const waitMs = inShare && options.roomInShare ? await options.roomInShare(at - (heldSince ?? at)) : 0;
      if (waitMs > 0) {
        // Nothing is claimed: the rows wait in the outbox, and one pass goes once the window has room.
        heldSince ??= at;
        log.debug('HubSpot write-back waits for room in the real-time share', { waitMs });
        retryIn(waitMs);
        return false;
      }
      heldSince = undefined;
      const counts = await sendDueWriteBacks(deps, { leaseMs });
      options.onPass?.(counts);
      if (counts.retryInMs !== undefined) retryIn(counts.retryInMs);
      return counts.claimed >= WRITEBACKS_PER_PASS;
    } catch (error) {
      log.warn('HubSpot write-back pass failed; the next pass retries', { error });
      return false;
    }
  };

  /** Passes one at a time: a call during a pass folds into one more pass after it. */
  const run = (): Promise<void> => {
    const done = new Promise<void>((resolve) => waiters.push(resolve));
    if (running) {
      again = true;
      return done;
    }
    running = (async () => {
      do {
        again = false;
        const served = waiters;
        waiters = [];
        announced = 0;
        const full = await pass();
        for (const resolve of served) resolve();
        again ||= full;
      } while (again && !stopped);
      running = undefined;
      for (const resolve of waiters.splice(0)) resolve();
    })();
    return done;
  };

  const sendNow = () => {
    if (windowHandle !== undefined) timer.clearTimeout(windowHandle);
    windowHandle = undefined;
    void run();
  };

  /** A pass when the earliest backoff ends (rows retried are not announced by any batch). */
  function retryIn(ms: number): void {
    const at = deps.now().getTime() + ms;
    if (stopped || (retry && retry.at <= at)) return;
    if (retry) timer.clearTimeout(retry.handle);
    const handle = timer.setTimeout(() => {
      retry = undefined;
      void run();
    }, ms);
    retry = { handle, at };
  }

  const backstop = () => {
    if (stopped) return;
    backstopHandle = timer.setTimeout(() => void run().then(backstop), backstopMs);
  };

  // Rows a crash left behind go out at start; after that, the backstop.
  void run().then(backstop);

  return {
    queued(count) {
      if (stopped || count <= 0) return;
      announced += count;
      if (announced >= WRITEBACKS_PER_PASS || options.windowMs === 0) sendNow();
      else windowHandle ??= timer.setTimeout(sendNow, options.windowMs);
    },
    flush: () => (stopped ? Promise.resolve() : run()),
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const handle of [windowHandle, backstopHandle, retry?.handle]) if (handle !== undefined) timer.clearTimeout(handle);
      // The pass in flight ends, then one last pass sends what is due now (the window's rows included).
      const last = (async () => {
        await running;
        await pass(false);
      })();
      let giveUp: unknown;
      const waited = new Promise<void>((resolve) => {
        giveUp = timer.setTimeout(resolve, options.stopWaitMs ?? WRITEBACK_STOP_WAIT_MS);
      });
      await Promise.race([last, waited]);
      timer.clearTimeout(giveUp);
      for (const resolve of waiters.splice(0)) resolve();
    },
  };
}
