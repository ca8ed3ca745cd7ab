import type { PgBoss } from 'pg-boss';
import { HUBSPOT_LIMITS } from '../adapters/hubspot/limits.ts';
import type { Logger } from '../log.ts';
import type { PacingMetrics } from '../metrics/pacing-metrics.ts';
import { pendingContactIds } from '../store/inbox.ts';
import { type PriorityCallStarts, priorityCallStarts } from '../store/rate-slots.ts';
import { startBatchWindow, waitingHandoffs, windowTiming } from './handoff/batch-window.ts';
import { type FetchLoop, startFetchLoop, type WindowClock } from './handoff/fetch-loop.ts';
import { type HandoffDeps, handoffContacts } from './handoff/handoff-contacts.ts';
import { type PacingWindow, pacingStep } from './handoff/pacing-step.ts';
import { createTurnstile } from './handoff/turnstile.ts';
import { enqueueContacts, HANDOFF_QUEUE, type HandoffJobData } from './handoff-queue.ts';
import { createLaneGate } from './lane-gate.ts';

/** HubSpot's batch read takes 100 ids, so a batch of 100 contact jobs costs one read. */
export const HANDOFF_BATCH_SIZE = 100;

export interface HandoffWorker {
  workerId: string;
  /** Work was queued: look at the queue now (pacing) or within one check (the fixed window) instead of at the next idle read. */
  wake(): void;
  stop(): void;
}

/**
 * Three lanes of batches: at steady load one batch reads HubSpot and decides while the one before writes to
 * Salesforce and the one before that writes back to HubSpot and records its results, so contacts arriving
 * behind a batch are fetched without waiting for its bookkeeping.
 */
const HANDOFF_LANES = 3;

/** Every lane taking a full batch is the most one fetch decision can use: the queue is counted up to this, not scanned whole. */
export const HANDOFF_WAITING_LIMIT = HANDOFF_BATCH_SIZE * HANDOFF_LANES;

/** HubSpot calls on a batch's way to its Lead: the batch read, one call for up to 100 ids (HANDOFF_BATCH_SIZE); the write-back follows the Lead. */
const HUBSPOT_CALLS_BEFORE_LEAD = 1;

/** The HubSpot window handoff calls are paced in by default: the configured burst bucket at HubSpot's lowest limit. */
export const DEFAULT_PACING_WINDOW: PacingWindow = {
  bucket: 'hubspot:burst',
  max: HUBSPOT_LIMITS.burstLimits[0]!,
  windowMs: HUBSPOT_LIMITS.burstWindowMs,
};

/**
 * A tenth of the share may go back to back (a few leads after a quiet spell go at once); past it the share is spent
 * evenly over the window, so a steady flow is grouped a little all the time instead of stalling once the share is spent.
 */
const PACING_BURST_FRACTION = 0.1;

/** Pacing reads the queue this soon after a fetch (for a backlog's next batch) and this late when nothing waits. */
const PACING_CHECK_MS = 250;
const PACING_IDLE_CHECK_MS = 2_000;

export interface HandoffWorkerOptions {
  sweepEveryMs?: number;
  sweepAfterMs?: number;
  /** While true, lanes take turns (see lane-gate.ts); default never. */
  intakeBusy?: () => boolean;
  /**
   * HANDOFF_BATCH_WINDOW_MS: above 0, the explicit override: waiting handoffs are held until the oldest has waited
   * this long or a full batch waits (see batch-window.ts), and the sales-ready list adds of several batches go in
   * one call. 0 (the default): budget-aware pacing (see realtimeShare).
   */
  batchWindowMs?: number;
  /**
   * HANDOFF_REALTIME_SHARE as a fraction (default 0.5): while handoff calls use less than this part of HubSpot's
   * rolling window each waiting handoff goes at once; beyond it they are grouped (core/budget/handoff-pacing.ts).
   */
  realtimeShare?: number;
  /** The part of the share that may go back to back before it is spent at an even pace; default PACING_BURST_FRACTION. */
  pacingBurstFraction?: number;
  /** HubSpot's window and slot ring, read per decision (the HubSpot budget's current one). Default: the configured burst bucket at 100 per 10 s. */
  pacingWindow?: () => PacingWindow;
  /** The handoff calls in that window. Default: the shared slot ring (store/rate-slots.ts), exact across replicas. */
  readHandoffCalls?: (bucket: string, windowMs: number) => Promise<PriorityCallStarts>;
  metrics?: PacingMetrics;
  /** What the fetch loop schedules its reads on: the clock `boss` was given (pg-boss's `clock` option). Default: the process clock. */
  clock?: WindowClock;
}

/** Lane polling is only a backstop: the fetch loop wakes the lanes (a poll takes a partial batch whatever the budget). */
const LANE_POLL_SECONDS = 60;

export async function startHandoffWorker(boss: PgBoss, deps: HandoffDeps, options: HandoffWorkerOptions = {}): Promise<HandoffWorker> {
  const log = deps.logger.child({ module: 'handoff-worker' });
  const windowMs = options.batchWindowMs ?? 0;
  const laneDeps: HandoffDeps = { ...deps, salesforceTurn: deps.salesforceTurn ?? createTurnstile() };
  const lanes: { id: string; busy: boolean; startedAt: number }[] = [];
  const gate = createLaneGate({ intakeBusy: options.intakeBusy ?? (() => false) });
  for (let i = 0; i < HANDOFF_LANES; i++) {
    const lane = { id: '', busy: false, startedAt: 0 };
    lane.id = await boss.work<HandoffJobData>(
      HANDOFF_QUEUE,
      // The fetch loop decides when to fetch, in both modes: a lane re-fetching after a full batch, or polling
      // often, would take a partial batch the decision holds back.
      { batchSize: HANDOFF_BATCH_SIZE, pollingIntervalSeconds: LANE_POLL_SECONDS, burstWhenBatchFull: false },
      async (jobs) => {
        lane.busy = true;
        lane.startedAt = Date.now();
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
    for (const lane of order.slice(0, Math.max(1, count))) boss.notifyWorker(lane.id);
  };
  const readWaiting = () => waitingHandoffs(boss.getDb(), HANDOFF_QUEUE, HANDOFF_WAITING_LIMIT);
  const clock = options.clock ? { clock: options.clock } : {};
  const sweeper = startInboxSweeper(boss, deps, log, options);
  if (windowMs > 0) {
    const window = startBatchWindow({
      timing: windowTiming(windowMs, HANDOFF_BATCH_SIZE),
      read: readWaiting,
      fetch: notifyLanes,
      logger: log,
      ...clock,
    });
    log.info('handoff batch window on (HANDOFF_BATCH_WINDOW_MS overrides pacing)', { batchWindowMs: windowMs });
    return { workerId: lanes[0]!.id, wake: window.wake, stop: () => stopFetching(sweeper, window) };
  }
  const share = options.realtimeShare ?? 0.5;
  const pacingWindow = options.pacingWindow ?? (() => DEFAULT_PACING_WINDOW);
  const paced = startFetchLoop({
    step: pacingStep({
      share,
      batchSize: HANDOFF_BATCH_SIZE,
      callsPerBatch: HUBSPOT_CALLS_BEFORE_LEAD,
      burstFraction: options.pacingBurstFraction ?? PACING_BURST_FRACTION,
      window: pacingWindow,
      readWaiting,
      readHandoffCalls: options.readHandoffCalls ?? ((bucket, ms) => priorityCallStarts(deps.db, bucket, 'handoff', ms)),
      checkEveryMs: PACING_CHECK_MS,
      idleCheckMs: PACING_IDLE_CHECK_MS,
      logger: log,
      metrics: options.metrics,
    }),
    // A lead at low rates goes at once: a wake reads the queue and the window now.
    wakeAfterMs: 0,
    retryAfterMs: PACING_IDLE_CHECK_MS,
    fetch: notifyLanes,
    logger: log,
    ...clock,
  });
  log.info('handoff pacing on: at once within the real-time share, grouped beyond it', { realtimeShare: share, window: pacingWindow() });
  return { workerId: lanes[0]!.id, wake: paced.wake, stop: () => stopFetching(sweeper, paced) };
}

function stopFetching(sweeper: NodeJS.Timeout, window: FetchLoop): void {
  clearInterval(sweeper);
  window.stop();
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
