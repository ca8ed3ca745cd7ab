import { decidePacing, type PacingDecision } from '../../core/budget/handoff-pacing.ts';
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
 * One read of the queue and of the window's handoff calls (two cheap queries, side by side), one decision in core;
 * the reason is counted, logged at debug, and at info whenever the worker changes between at once and grouping.
 */
export function pacingStep(options: PacingStepOptions): () => Promise<FetchStep> {
  let mode: Mode = 'at_once';
  return async () => {
    const window = options.window();
    const [waiting, calls] = await Promise.all([options.readWaiting(), options.readHandoffCalls(window.bucket, window.windowMs)]);
    const decision = decidePacing({
      waiting,
      batchSize: options.batchSize,
      window,
      share: options.share,
      handoffCallStarts: calls.starts,
      callsPerBatch: options.callsPerBatch,
      now: calls.now,
      checkEveryMs: options.checkEveryMs,
      idleCheckMs: options.idleCheckMs,
    });
    options.metrics?.handoffPacing(decision);
    const fields = { ...decision, waiting: waiting.ready, handoffCalls: calls.starts.length, windowMax: window.max };
    options.logger.debug('handoff pacing', fields);
    const next = MODE_OF[decision.reason];
    if (next && next !== mode) {
      mode = next;
      options.logger.info(next === 'grouping' ? 'handoffs grouped: real-time share in use' : 'handoffs go at once again', fields);
    }
    return { fetchBatches: decision.fetchBatches, nextCheckMs: decision.nextCheckMs };
  };
}
