import { realSleep } from '../adapters/retry.ts';
import type { Priority } from '../core/budget/priority.ts';
import type { RateWindow } from '../core/budget/rate-windows.ts';
import type { Database } from '../store/database.ts';
import { ensureSlots, pauseSlots, restampSlots, takeSlots } from '../store/rate-slots.ts';

/** A rolling window with the name of its slot ring, and how many of its slots this call may use. */
export interface NamedWindow extends RateWindow {
  bucket: string;
  /** Slots this caller may take (a priority's share); default all `max`. */
  usable?: number;
  /** The caller's priority, kept on the slot it takes: the handoff worker paces by its own calls in the window. */
  priority?: Priority;
}

/** A granted start: when (database clock), how long it waited, and what to call once the call has ended. */
export interface RateGrant {
  at: number;
  waitedMs: number;
  /**
   * The answer (or the failure) is in. The provider counted the call somewhere between its start and now; if
   * that span exceeds half a window's margin, the call's slots move to now, so the next call on them keeps a
   * full window from whenever the provider counted this one (a busy process or server can count it late).
   */
  ended(): Promise<void>;
}

export interface RateLimiter {
  /** Waits until a call may start within every window; the caller reports the call's end on the grant. */
  acquire(windows: readonly NamedWindow[]): Promise<RateGrant>;
  /** No call in `bucket` starts before `untilMs` (epoch ms), on any replica. */
  pause(bucket: string, windowMs: number, untilMs: number): Promise<void>;
}

export interface RateLimiterOptions {
  db: Database;
  /** Extra spacing per window, against network jitter between our clock and the provider's: default 2 %, at least 20 ms. */
  marginFraction?: number;
  minMarginMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** How long to keep trying when every slot is momentarily locked by concurrent callers. */
  contentionTimeoutMs?: number;
}

/**
 * A window plus the margin a slot is kept beyond it (default 2 %, at least 20 ms): a call is counted by the provider
 * when it arrives, a little after we granted it, so windows counted from our grants are widened by this much.
 */
export function spacedWindowMs(windowMs: number, margin: Pick<RateLimiterOptions, 'marginFraction' | 'minMarginMs'> = {}): number {
  return windowMs + Math.max(margin.minMarginMs ?? 20, Math.round(windowMs * (margin.marginFraction ?? 0.02)));
}

/**
 * The database-backed rolling-window limiter (see api_rate_slots). Exact across replicas: each slot is reused
 * only a full window (plus margin) after its last start (or its end, when a call ran long), so any max + 1
 * calls, counted anywhere between their start and their answer, span more than the window.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const sleep = options.sleep ?? realSleep;
  const ensured = new Map<string, number>();
  const spacing = (windowMs: number) => spacedWindowMs(windowMs, options);

  async function ensure(bucket: string, max: number): Promise<void> {
    if ((ensured.get(bucket) ?? 0) >= max) return;
    await ensureSlots(options.db, bucket, max);
    ensured.set(bucket, max);
  }

  return {
    async acquire(windows) {
      for (const window of windows) await ensure(window.bucket, window.max);
      const buckets = windows.map((w) => ({
        bucket: w.bucket,
        max: Math.max(1, Math.min(w.max, w.usable ?? w.max)),
        spacingMs: spacing(w.windowMs),
        ...(w.priority ? { priority: w.priority } : {}),
      }));
      const halfMargin = new Map(windows.map((w) => [w.bucket, (spacing(w.windowMs) - w.windowMs) / 2]));
      const deadline = Date.now() + (options.contentionTimeoutMs ?? 30_000);
      for (;;) {
        const askedLocally = Date.now();
        const grant = await takeSlots(options.db, buckets);
        if (grant) {
          const waitMs = Math.max(0, Math.ceil(grant.at - grant.now));
          if (waitMs > 0) await sleep(waitMs);
          return {
            at: grant.at,
            waitedMs: waitMs,
            async ended() {
              // The database clock now, from this process's clock, counted from when the grant was asked (the
              // statement read its clock after that, so this errs late, the safe side). Within half the margin of
              // its grant the margin covers the call; beyond, its slots keep the end, the latest HubSpot can count it.
              const endedAt = grant.now + (Date.now() - askedLocally);
              const late = grant.slots.filter(({ bucket }) => endedAt - grant.at > (halfMargin.get(bucket) ?? 0));
              if (late.length > 0) await restampSlots(options.db, late, endedAt);
            },
          };
        }
        if (Date.now() > deadline) throw new Error(`rate limiter: no free slot in ${buckets.map((b) => b.bucket).join(', ')}`);
        await sleep(5 + Math.floor(Math.random() * 20));
      }
    },
    async pause(bucket, windowMs, untilMs) {
      await pauseSlots(options.db, bucket, untilMs, spacing(windowMs));
    },
  };
}
