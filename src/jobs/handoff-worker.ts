import type { PgBoss } from 'pg-boss';
import type { Logger } from '../log.ts';
import { pendingContactIds } from '../store/inbox.ts';
import { type BatchWindow, startBatchWindow, type WindowClock, waitingHandoffs, windowTiming } from './handoff/batch-window.ts';
import { type HandoffDeps, handoffContacts } from './handoff/handoff-contacts.ts';
import { createListAddGroup, type ListAddGroup } from './handoff/list-add-group.ts';
import { createTurnstile } from './handoff/turnstile.ts';
import { enqueueContacts, HANDOFF_QUEUE, type HandoffJobData } from './handoff-queue.ts';
import { createLaneGate } from './lane-gate.ts';

/** HubSpot's batch read takes 100 ids, so a batch of 100 contact jobs costs one read. */
export const HANDOFF_BATCH_SIZE = 100;

export interface HandoffWorker {
  workerId: string;
  /** Fetch soon instead of at the next poll: at once, or when `minBatchGapMs` has passed since the last batch began. */
  wake(): void;
  stop(): void;
}

/**
 * Three lanes of batches: at steady load one batch reads HubSpot and decides while the one before writes to
 * Salesforce and the one before that writes back to HubSpot and records its results, so contacts arriving
 * behind a batch are fetched without waiting for its bookkeeping.
 */
const HANDOFF_LANES = 3;

/** HubSpot calls a batch of new MQLs makes: the batch read, the property update and the sales-ready list add. */
const HUBSPOT_CALLS_PER_BATCH = 3;

/**
 * The shortest gap between woken batches that keeps a trickle of webhooks within HubSpot's rolling window
 * (with a tenth to spare for other work): waking a lane for every webhook would start a three-call batch per
 * contact, spend the window in seconds and then stall every batch on the rate limiter.
 */
export function steadyBatchGapMs(burst: { max: number; windowMs: number }): number {
  return Math.ceil((HUBSPOT_CALLS_PER_BATCH * burst.windowMs * 1.1) / burst.max);
}

export interface HandoffWorkerOptions {
  sweepEveryMs?: number;
  sweepAfterMs?: number;
  /** See steadyBatchGapMs; 0 (the default) wakes a lane at every call. */
  minBatchGapMs?: number;
  /** While true, lanes take turns (see lane-gate.ts); default never. */
  intakeBusy?: () => boolean;
  /**
   * HANDOFF_BATCH_WINDOW_MS: above 0, waiting handoffs are held until the oldest has waited this long or a full
   * batch waits (see batch-window.ts), and the sales-ready list adds of several batches go in one call.
   * 0 (the default): latency first, as above.
   */
  batchWindowMs?: number;
  /** What the batch window schedules its reads on: the clock `boss` was given (pg-boss's `clock` option). Default: the process clock. */
  clock?: WindowClock;
}

/** The longest a batch's sales-ready list add waits for other batches to join it (twice the window, at most 10 s). */
function listAddSpanMs(batchWindowMs: number): number {
  return Math.min(2 * batchWindowMs, 10_000);
}

/** Lane polling with the window on: only a backstop, since the window wakes the lanes (a poll takes a partial batch). */
const WINDOW_LANE_POLL_SECONDS = 60;

export async function startHandoffWorker(boss: PgBoss, deps: HandoffDeps, options: HandoffWorkerOptions = {}): Promise<HandoffWorker> {
  const log = deps.logger.child({ module: 'handoff-worker' });
  const windowMs = options.batchWindowMs ?? 0;
  const listAdds: ListAddGroup | undefined =
    windowMs > 0
      ? createListAddGroup({
          addToList: (listId, ids) => deps.hubspot.addToList(listId, ids),
          maxWaiting: HANDOFF_LANES,
          spanMs: listAddSpanMs(windowMs),
        })
      : undefined;
  const laneDeps: HandoffDeps = { ...deps, salesforceTurn: deps.salesforceTurn ?? createTurnstile(), ...(listAdds ? { listAdds } : {}) };
  const lanes: { id: string; busy: boolean; startedAt: number }[] = [];
  let lastStart = 0;
  const gate = createLaneGate({ intakeBusy: options.intakeBusy ?? (() => false) });
  for (let i = 0; i < HANDOFF_LANES; i++) {
    const lane = { id: '', busy: false, startedAt: 0 };
    lane.id = await boss.work<HandoffJobData>(
      HANDOFF_QUEUE,
      // A full batch means more are waiting (an import): fetch the next at once instead of at the next poll.
      // New work wakes a lane (paced, see wake); the poll is the backstop for retries and other replicas' jobs,
      // and slow enough that three lanes polling do not add a steady stream of tiny batches.
      // With the window on, the window decides when to fetch: a lane re-fetching after a full batch would take a
      // partial one early.
      windowMs > 0
        ? { batchSize: HANDOFF_BATCH_SIZE, pollingIntervalSeconds: WINDOW_LANE_POLL_SECONDS, burstWhenBatchFull: false }
        : { batchSize: HANDOFF_BATCH_SIZE, pollingIntervalSeconds: 2, burstWhenBatchFull: true },
      async (jobs) => {
        lane.busy = true;
        lane.startedAt = lastStart = Date.now();
        await gate.enter();
        try {
          const summary = await handoffContacts(
            jobs.map((job) => job.data.contactId),
            laneDeps,
          );
          log.debug('handoff jobs done', { jobs: jobs.length, ...summary });
        } finally {
          gate.leave();
          lane.busy = false;
        }
      },
    );
    lanes.push(lane);
  }
  // Idle lanes fetch at once; with all busy, those that started first fetch as soon as they finish.
  const notifyLanes = (count: number) => {
    const order = [...lanes.filter((lane) => !lane.busy), ...lanes.filter((lane) => lane.busy).sort((a, b) => a.startedAt - b.startedAt)];
    lastStart = Date.now();
    for (const lane of order.slice(0, Math.max(1, count))) boss.notifyWorker(lane.id);
  };
  const notifyOne = () => notifyLanes(1);
  const sweeper = startInboxSweeper(boss, deps, log, options);
  if (windowMs > 0) {
    const window = startBatchWindow({
      timing: windowTiming(windowMs, HANDOFF_BATCH_SIZE),
      read: () => waitingHandoffs(boss.getDb(), HANDOFF_QUEUE),
      fetch: notifyLanes,
      logger: log,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    log.info('handoff batch window on', { batchWindowMs: windowMs, listAddSpanMs: listAddSpanMs(windowMs) });
    return { workerId: lanes[0]!.id, wake: window.wake, stop: () => stopWindowed(sweeper, window, listAdds) };
  }
  const gapMs = options.minBatchGapMs ?? 0;
  let pendingWake: NodeJS.Timeout | undefined;
  return {
    workerId: lanes[0]!.id,
    wake: () => {
      if (pendingWake) return;
      const waitMs = lastStart + gapMs - Date.now();
      if (waitMs <= 0) return notifyOne();
      pendingWake = setTimeout(() => {
        pendingWake = undefined;
        notifyOne();
      }, waitMs);
      pendingWake.unref();
    },
    stop: () => {
      clearInterval(sweeper);
      clearTimeout(pendingWake);
    },
  };
}

function stopWindowed(sweeper: NodeJS.Timeout, window: BatchWindow, listAdds: ListAddGroup | undefined): void {
  clearInterval(sweeper);
  window.stop();
  // Lanes waiting for a grouped list add finish now, so a graceful stop does not wait for the group.
  listAdds?.close();
}

/**
 * The inbox is the source of truth: events stored but never queued (a crash between commit and
 * queueing, a lost job) are queued again here. Queued contacts are coalesced, so repeats cost nothing.
 */
function startInboxSweeper(boss: PgBoss, deps: HandoffDeps, log: Logger, options: HandoffWorkerOptions): NodeJS.Timeout {
  const sweepAfterMs = options.sweepAfterMs ?? 5_000;
  const sweep = async (receivedBefore: Date) => {
    try {
      const ids = await pendingContactIds(deps.db, { receivedBefore, limit: 1_000 });
      if (ids.length > 0) {
        await enqueueContacts(boss, ids);
        log.info('requeued contacts with pending webhook events', { contacts: ids.length });
      }
    } catch (error) {
      log.warn('inbox sweep failed', { error });
    }
  };
  // At start, everything left by a previous process is due now.
  void sweep(new Date());
  // Not while webhooks flood in: then thousands of events wait for the throttled worker, all queued already, and
  // re-queueing them (one large scan and insert) would stall the acknowledgements; the next calm sweep catches up.
  const timer = setInterval(() => {
    if (!options.intakeBusy?.()) void sweep(new Date(deps.now().getTime() - sweepAfterMs));
  }, options.sweepEveryMs ?? 10_000);
  timer.unref();
  return timer;
}
