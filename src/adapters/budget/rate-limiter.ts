import type { RateWindow } from '../../core/budget/rate-windows.ts';
import type { Database } from '../../store/database.ts';
import { ensureSlots, pauseSlots, restampSlots, takeSlots } from '../../store/rateSlots.ts';
import { realSleep } from '../retry.ts';

/** A rolling window with the name of its slot ring, and how many of its slots this call may use. */
export interface NamedWindow extends RateWindow {
  bucket: string;
  /** Slots this caller may take (a priority's share); default all `max`. */
  usable?: number;
}

export interface RateLimiter {
  /** Waits until a call may start within every window; resolves to its start time (database clock) and the wait. */
  acquire(windows: readonly NamedWindow[]): Promise<{ at: number; waitedMs: number }>;
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

/** A call starting this much later than its grant re-stamps its slots (below that, the margin absorbs it). */
export const LATE_START_MS = 50;

/**
 * The database-backed rolling-window limiter (see api_rate_slots). Exact across replicas: each slot is reused
 * only a full window (plus margin) after its last start, so any max + 1 starts span more than the window.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const sleep = options.sleep ?? realSleep;
  const ensured = new Map<string, number>();
  const spacing = (windowMs: number) =>
    windowMs + Math.max(options.minMarginMs ?? 20, Math.round(windowMs * (options.marginFraction ?? 0.02)));

  async function ensure(bucket: string, max: number): Promise<void> {
    if ((ensured.get(bucket) ?? 0) >= max) return;
    await ensureSlots(options.db, bucket, max);
    ensured.set(bucket, max);
  }

  return {
    async acquire(windows) {
      for (const window of windows) await ensure(window.bucket, window.max);
      const buckets = windows.map((w) => ({ bucket: w.bucket, max: Math.max(1, Math.min(w.max, w.usable ?? w.max)), spacingMs: spacing(w.windowMs) }));
      const deadline = Date.now() + (options.contentionTimeoutMs ?? 30_000);
      for (;;) {
        const grant = await takeSlots(options.db, buckets);
        const grantedLocally = Date.now();
        if (grant) {
          const waitMs = Math.max(0, Math.ceil(grant.at - grant.now));
          if (waitMs > 0) await sleep(waitMs);
          // The database clock now, estimated from this process's clock: the margin covers small delays between
          // the grant and the request; a busy process can exceed it, and then the next call on the slot must wait.
          const startsAt = grant.now + (Date.now() - grantedLocally);
          if (startsAt - grant.at > LATE_START_MS) await restampSlots(options.db, grant.slots, startsAt);
          return { at: grant.at, waitedMs: waitMs };
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
