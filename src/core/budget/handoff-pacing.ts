import type { RateWindow } from './rate-windows.ts';

/**
 * Budget-aware batching of handoffs (HANDOFF_REALTIME_SHARE): while real-time handoff work uses less than its share
 * of HubSpot's rolling window, each waiting handoff goes at once; as its use reaches the share, waiting handoffs are
 * held just until enough of the window's handoff calls have left it for one more batch to fit, so they go grouped.
 * HubSpot's burst limit is a rolling ten-second window per app and portal (HubSpot's "API usage guidelines and
 * limits"; see HUBSPOT_LIMITS.burstWindowMs): a call counts until ten seconds after it, so the time a batch fits again
 * follows exactly from the start times of the calls in the window.
 */

/** Why the worker fetched (or held) what it did: a bounded label for logs and metrics. */
export const PACING_REASONS = ['idle', 'full_batch', 'within_share', 'grouping', 'max_hold'] as const;
export type PacingReason = (typeof PACING_REASONS)[number];

export interface PacingInput {
  /** Jobs a lane could claim now, and how long the oldest has waited. */
  waiting: { ready: number; oldestAgeMs: number };
  /** Jobs one batch takes (HubSpot's batch read takes 100 ids). */
  batchSize: number;
  /** The rolling window real-time work shares (HubSpot: HUBSPOT_BURST_LIMIT per 10 s). */
  window: RateWindow;
  /** The part of `window.max` (0..1] handoff calls may use before waiting handoffs are grouped. */
  share: number;
  /**
   * Start times (epoch ms) of the handoff-priority calls within the last window, on the same clock as `now`; the
   * caller adds the reads of batches it fetched that the window does not show yet (see pacing-step.ts).
   */
  handoffCallStarts: readonly number[];
  /** HubSpot calls a batch makes before its Lead exists (the batch read: 1). */
  callsPerBatch: number;
  /**
   * Calls that may go back to back before the share is spent at an even pace (share × max per window): without it a
   * busy minute spends the whole share in the window's first seconds and then holds every handoff until those calls
   * leave, seconds later. Default: the whole share (no pacing within the window).
   */
  burst?: number;
  now: number;
  /** Looks again this soon after fetching, for the rest of a backlog. */
  checkEveryMs: number;
  /** Looks again this late with nothing waiting (the wake path brings it forward). */
  idleCheckMs: number;
}

export interface PacingDecision {
  /** Lanes to wake now, each to fetch one batch. */
  fetchBatches: number;
  /** When to look again, from now. */
  nextCheckMs: number;
  /** How long the oldest waiting job is being held (0 when it is fetched now or nothing waits). */
  holdMs: number;
  /** Handoff calls of the window over the share's allowance, 0..1. */
  shareInUse: number;
  reason: PacingReason;
}

/** The share's allowance in calls: at least one batch, so a tiny share still lets work through one batch at a time. */
export function shareAllowance(window: RateWindow, share: number, callsPerBatch: number): number {
  return Math.max(callsPerBatch, Math.floor(window.max * Math.min(1, Math.max(0, share))));
}

export function decidePacing(input: PacingInput): PacingDecision {
  const { waiting, batchSize, window, callsPerBatch, now } = input;
  const allowed = shareAllowance(window, input.share, callsPerBatch);
  const inWindow = callsInWindow(input.handoffCallStarts, window, now);
  const used = inWindow.length;
  const shareInUse = Math.min(1, used / allowed);
  const decision = (fetchBatches: number, nextCheckMs: number, reason: PacingReason): PacingDecision => ({
    fetchBatches,
    nextCheckMs: Math.max(1, Math.ceil(nextCheckMs)),
    holdMs: fetchBatches > 0 ? 0 : Math.max(0, waiting.oldestAgeMs),
    shareInUse,
    reason,
  });
  if (waiting.ready <= 0) return decision(0, input.idleCheckMs, 'idle');
  const full = Math.floor(waiting.ready / batchSize);
  const partial = waiting.ready % batchSize > 0 ? 1 : 0;
  // A full batch cannot be made cheaper by waiting: it goes at once (the rate limiter still guards the hard limit).
  // The remainder joins it only if it fits the share on top of the full batches.
  if (full > 0) {
    const withPartial = partial > 0 && used + (full + 1) * callsPerBatch <= allowed;
    return decision(full + (withPartial ? 1 : 0), input.checkEveryMs, 'full_batch');
  }
  const fitsAt = Math.max(windowFitsAt(inWindow, allowed, callsPerBatch, window.windowMs), paceFitsAt(inWindow, input, allowed));
  if (fitsAt <= now) return decision(1, input.checkEveryMs, 'within_share');
  // Never hold the oldest job longer than one window: by then the window has turned over once.
  const untilMaxHold = window.windowMs - waiting.oldestAgeMs;
  if (untilMaxHold <= 0) return decision(1, input.checkEveryMs, 'max_hold');
  return decision(0, Math.min(fitsAt - now, untilMaxHold), 'grouping');
}

/** The starts still in the window, oldest first: calls booked ahead (a start in the future) count too; those older than a window have left it. */
function callsInWindow(starts: readonly number[], window: RateWindow, now: number): number[] {
  return starts.filter((start) => start > now - window.windowMs).sort((a, b) => a - b);
}

/** When the batch fits the share's count: once enough calls have left the window (the k-th oldest leaves at its start + window). */
function windowFitsAt(inWindow: readonly number[], allowed: number, callsPerBatch: number, windowMs: number): number {
  const leave = inWindow.length + callsPerBatch - allowed;
  return leave <= 0 ? Number.NEGATIVE_INFINITY : inWindow[leave - 1]! + windowMs;
}

/**
 * When the batch keeps the share's even pace: a token bucket of `burst` calls refilled at (allowed − burst) / window
 * (so a burst and a window of pace together never pass the share's count: the window's own rule then never stalls a
 * steady flow for the seconds until the burst's calls leave it), judged
 * from the start times alone (so every replica reaches the same answer). The j most recent calls, the oldest of
 * them at s, conform when j + batch ≤ burst + (t − s) × rate; the batch may start at the latest such t over all j.
 */
function paceFitsAt(inWindow: readonly number[], input: PacingInput, allowed: number): number {
  const burst = Math.max(input.callsPerBatch, Math.min(allowed, input.burst ?? allowed));
  const rate = (allowed - burst) / input.window.windowMs;
  // The whole share as burst: the window's count alone decides.
  if (rate <= 0) return Number.NEGATIVE_INFINITY;
  let fitsAt = Number.NEGATIVE_INFINITY;
  for (let j = 1; j <= inWindow.length; j++) {
    const excess = j + input.callsPerBatch - burst;
    if (excess > 0) fitsAt = Math.max(fitsAt, inWindow[inWindow.length - j]! + excess / rate);
  }
  return fitsAt;
}

/**
 * How long calls made off the Lead's path (the HubSpot write-back: a batch update and a list add) wait so that they,
 * too, keep the handoff calls of the window within the share: 0 when they fit now, else until enough of the window's
 * handoff calls have left it, and never past one window in all (`heldForMs`: how long they have waited already; by
 * then the window has turned over once, and reads arriving at each turn cannot hold them back for ever). Only the
 * share's count applies, not the even pace: these calls are few, and the reads keep the pace.
 */
export function shareRoomInMs(input: {
  window: RateWindow;
  share: number;
  /** Start times (epoch ms) of the window's handoff-priority calls, on the clock of `now`. */
  handoffCallStarts: readonly number[];
  calls: number;
  heldForMs: number;
  now: number;
}): number {
  const { window, now, calls } = input;
  const allowed = shareAllowance(window, input.share, calls);
  const inWindow = callsInWindow(input.handoffCallStarts, window, now);
  const untilFits = Math.ceil(windowFitsAt(inWindow, allowed, calls, window.windowMs) - now);
  return Math.max(0, Math.min(untilFits, window.windowMs - input.heldForMs));
}
