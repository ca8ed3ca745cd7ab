import { decidePacing, type PacingDecision, shareAllowance } from '../../core/budget/handoff-pacing.ts';
import type { RateWindow } from '../../core/budget/rate-windows.ts';
import type { Logger } from '../../log.ts';
import type { PacingMetrics } from '../../metrics/pacing-metrics.ts';
import type { PriorityCallStarts } from '../../store/rate-slots.ts';
import type { WaitingHandoffs } from './batch-window.ts';
import type { FetchStep } from './fetch-loop.ts';

/** HubSpot's rolling window the handoff calls are counted in, with the name of its slot ring (see rate-limiter.ts). */
export interface PacingWindow extends RateWindow {
  bucket: string;
}

export interface PacingStepOptions {
  /** HANDOFF_REALTIME_SHARE as a fraction (0..1]. */
  share: number;
  batchSize: number;
  /** HubSpot calls a batch makes before its Lead exists: the batch read (the write-back goes after the Lead). */
  callsPerBatch: number;
  /** The part of the share's allowance that may go back to back; past it the share is spent at an even pace (see decidePacing's burst). */
  burstFraction: number;
  /** Read per decision: the budget swaps its bucket when HubSpot reports a stricter window. */
  window: () => PacingWindow;
  readWaiting: () => Promise<WaitingHandoffs>;
  /** Handoff-priority call starts in the bucket's last window, with the clock they are on. */
  readHandoffCalls: (bucket: string, windowMs: number) => Promise<PriorityCallStarts>;
  /** Looks again this soon after fetching (for the rest of a backlog), and this late with nothing waiting. */
  checkEveryMs: number;
  idleCheckMs: number;
  logger: Logger;
  metrics?: PacingMetrics | undefined;
}

type Mode = 'at_once' | 'grouping';
/** Idle and full batches say nothing of the share: full batches go at once in either mode. */
const MODE_OF: Record<PacingDecision['reason'], Mode | undefined> = {
  idle: undefined,
  full_batch: undefined,
  within_share: 'at_once',
  grouping: 'grouping',
  max_hold: 'grouping',
};

/**
 * How long a batch this replica fetched counts as a call about to start, unless a call at or after the fetch shows in
 * the window first: a lane claims its jobs and makes its read within milliseconds, so a second of grace is ample.
 */
const UNRECORDED_GRACE_MS = 1_000;

/**
 * One read of the queue and of the window's handoff calls (two cheap queries, side by side), one decision in core;
 * the reason is counted, logged at debug, and at info whenever the worker changes between at once and grouping.
 */
export function pacingStep(options: PacingStepOptions): () => Promise<FetchStep> {
  let mode: Mode = 'at_once';
  /** When this replica fetched its recent batches (the window's clock). */
  let fetchedAt: number[] = [];
  return async () => {
    const window = options.window();
    const [waiting, calls] = await Promise.all([options.readWaiting(), options.readHandoffCalls(window.bucket, window.windowMs)]);
    fetchedAt = fetchedAt.filter((at) => at > calls.now - UNRECORDED_GRACE_MS);
    // A call at or after the oldest such fetch is taken for its read (another replica's may stand in for it: then
    // this errs toward going at once, as it did before counting unrecorded calls at all).
    const seen = fetchedAt.length > 0 ? calls.starts.filter((start) => start >= fetchedAt[0]!).length : 0;
    const unrecordedCalls = Math.max(0, fetchedAt.length * options.callsPerBatch - seen);
    // Each unseen fetch counts from when it was made: stamped "now" at every look, a fetch whose lane is still busy
    // would push the even pace back at each look and hold the next batch until its grace ended.
    const unseenFetches = fetchedAt.slice(fetchedAt.length - Math.ceil(unrecordedCalls / options.callsPerBatch));
    const unrecordedStarts = unseenFetches.flatMap((at) => Array.from({ length: options.callsPerBatch }, () => at)).slice(-unrecordedCalls);
    const decision = decidePacing({
      waiting,
      batchSize: options.batchSize,
      window,
      share: options.share,
      handoffCallStarts: unrecordedCalls > 0 ? [...calls.starts, ...unrecordedStarts] : calls.starts,
      callsPerBatch: options.callsPerBatch,
      burst: Math.ceil(shareAllowance(window, options.share, options.callsPerBatch) * options.burstFraction),
      now: calls.now,
      checkEveryMs: options.checkEveryMs,
      idleCheckMs: options.idleCheckMs,
    });
    for (let i = 0; i < decision.fetchBatches; i++) fetchedAt.push(calls.now);
    options.metrics?.handoffPacing(decision);
    const fields = { ...decision, waiting: waiting.ready, handoffCalls: calls.starts.length, windowMax: window.max };
    options.logger.debug('handoff pacing', fields);
    const next = MODE_OF[decision.reason];
    if (next && next !== mode) {
      mode = next;
      options.logger.info(next === 'grouping' ? 'handoffs grouped: real-time share in use' : 'handoffs go at once again', fields);
    }
    // An unrecorded call stops counting when its grace ends, not a window after now: look again by then.
    const graceEndsMs = unrecordedCalls > 0 ? fetchedAt[0]! + UNRECORDED_GRACE_MS - calls.now : Number.POSITIVE_INFINITY;
    return { fetchBatches: decision.fetchBatches, nextCheckMs: Math.max(1, Math.min(decision.nextCheckMs, Math.ceil(graceEndsMs))) };
  };
}
