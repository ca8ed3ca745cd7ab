import type { HubSpotCallBudget, HubSpotCallKind } from '../adapters/hubspot/call-budget.ts';
import { HUBSPOT_LIMITS } from '../adapters/hubspot/limits.ts';
import { type BudgetDecision, type BudgetSnapshot, decideBudget } from '../core/budget/decide-budget.ts';
import { fastReservation } from '../core/budget/fast-reservation.ts';
import { ceilingFor, type Priority, type PriorityShares } from '../core/budget/priority.ts';
import { dayBounds, type RateWindow, windowsToKeep } from '../core/budget/rate-windows.ts';
import { ProviderError } from '../errors.ts';
import type { Logger } from '../log.ts';
import {
  type BudgetState,
  callsSince,
  countCall,
  countCallReadingState,
  countUrgentCall,
  openOutage,
  readBudgetState,
  resolveOutage,
  uncountCall,
  writeReportedUsage,
} from '../store/api-budget.ts';
import type { Database, Queryable } from '../store/database.ts';
import { announceOutage, type BudgetAlerts, type BudgetMetrics, FAST_RESERVATION_MARGIN, lockAcrossReplicas } from './budget-deps.ts';
import { BUDGET_CODES, budgetRefusal } from './budget-errors.ts';
import type { NamedWindow, RateLimiter } from './rate-limiter.ts';

export interface HubSpotBudgetOptions {
  db: Database;
  limiter: RateLimiter;
  logger: Logger;
  /** Calls per ten-second window: 100, 190 or 250 by subscription (HUBSPOT_LIMITS.burstLimits). */
  burstLimit: number;
  dailyLimit: number;
  /** The portal's time zone: its daily limit resets at midnight there. */
  timezone: string;
  shares: PriorityShares;
  metrics?: BudgetMetrics;
  alerts?: BudgetAlerts;
  now?: () => number;
}

export type { HubSpotCallKind, HubSpotRateHeaders } from '../adapters/hubspot/call-budget.ts';

/** The client's doors (beforeCall resolves to RateGrant.ended), plus what the admin API and the workers read. */
export interface HubSpotBudget extends HubSpotCallBudget {
  /** Whether work of `priority` could spend a call now (nothing is reserved). */
  decide(priority: Priority): Promise<BudgetDecision>;
  snapshot(): Promise<BudgetSnapshot>;
  windows(priority: Priority, kind: HubSpotCallKind): NamedWindow[];
  readonly dailyLimit: number;
  readonly timezone: string;
  reportedBurst(): (RateWindow & { remaining?: number }) | undefined;
}

/** Serialises budget check-and-count across replicas (pg_advisory_xact_lock key). */
const DAILY_LOCK = 727_101;
/** Header corrections are written at most this often per process: the count between them is ours. */
const REPORT_EVERY_MS = 5_000;
/**
 * The part of a rolling window bulk work leaves free even when nothing more urgent is calling. A window renews
 * every few seconds, so bulk may borrow the rest of it (a daily quota does not renew: there its share holds);
 * once a handoff or sync call is made by any replica (recorded in the shared budget state, which every call
 * reads), bulk keeps to its share again for a whole window.
 */
const URGENT_WINDOW_RESERVE = 0.05;

export function createHubSpotBudget(options: HubSpotBudgetOptions): HubSpotBudget {
  const now = options.now ?? Date.now;
  const log = options.logger.child({ module: 'budget.hubspot' });
  const configured: RateWindow = { max: options.burstLimit, windowMs: HUBSPOT_LIMITS.burstWindowMs };
  let reported: (RateWindow & { remaining?: number }) | undefined;
  let lastDailyReport = 0;
  let lastUrgentCall = Number.NEGATIVE_INFINITY;

  /** Slots of a window `priority` may use: its share, or for bulk with no urgent call seen within the window, all but the reserve. */
  function usableOf(max: number, windowMs: number, priority: Priority): number {
    const share = ceilingFor(max, options.shares, priority);
    if (priority !== 'bulk' || now() - lastUrgentCall < windowMs) return share;
    return Math.max(share, Math.floor(max * (1 - URGENT_WINDOW_RESERVE)));
  }

  async function snapshotIn(q: Queryable, at: number): Promise<BudgetSnapshot> {
    const state = await readBudgetState(q, 'hubspot', dayBounds(at, options.timezone).start);
    let outage = state.outages.find((row) => row.kind === 'budget');
    if (outage && outage.retryAt.getTime() <= at) {
      // The portal's day has turned: a DAILY 429 outage ends by itself.
      await resolveOutage(q, 'hubspot', 'budget');
      outage = undefined;
    }
    return snapshotOf(state, at, outage ? { reason: outage.reason, until: outage.retryAt.getTime() } : undefined);
  }

  /** The decision's view of the state read (the outage as snapshotIn settled it). */
  function snapshotOf(state: BudgetState, at: number, outage: BudgetSnapshot['outage']): BudgetSnapshot {
    const day = dayBounds(at, options.timezone);
    // Another replica's handoff counts as much as our own: learn of it before this process sizes bulk's windows.
    if (state.lastUrgentCallMs !== undefined) lastUrgentCall = Math.max(lastUrgentCall, state.lastUrgentCallMs);
    const report = state.reported;
    const fresh = report && report.observedAt.getTime() >= day.start ? report : undefined;
    // HubSpot's own count (when its headers carry it) corrects ours; the calls we counted since are added on top.
    const counted = state.calls;
    const used = fresh ? fresh.used + Math.max(0, counted - (fresh.ourCount ?? 0)) : counted;
    const limit = fresh ? Math.min(options.dailyLimit, fresh.limit) : options.dailyLimit;
    return {
      provider: 'hubspot',
      outage,
      quotas: [{ name: 'HubSpot daily limit', used, limit, shares: options.shares, release: { kind: 'at', at: day.end } }],
    };
  }

  function windows(priority: Priority, kind: HubSpotCallKind): NamedWindow[] {
    const heard = reported ? { max: reported.max, windowMs: reported.windowMs } : undefined;
    const burst = windowsToKeep(configured, heard).map((w) => ({
      max: w.max,
      windowMs: w.windowMs,
      bucket: w === configured ? 'hubspot:burst' : `hubspot:reported:${w.windowMs}`,
      usable: usableOf(w.max, w.windowMs, priority),
      priority,
    }));
    if (kind !== 'search') return burst;
    const search = HUBSPOT_LIMITS.searchRateLimit;
    return [...burst, { ...search, bucket: 'hubspot:search', usable: usableOf(search.max, search.windowMs, priority), priority }];
  }

  /** Counted and decided in one statement while far from the limit (see fastReservation), else under the lock. */
  async function reserve(priority: Priority): Promise<{ decision: BudgetDecision; outage: boolean }> {
    const at = now();
    const call = { priority, at, ...(priority === 'bulk' ? {} : { urgentAt: at }) };
    const state = await countCallReadingState(options.db, 'hubspot', call, dayBounds(at, options.timezone).start);
    const unlocked =
      state.outages.length === 0 ? fastReservation(snapshotOf(state, at, undefined), priority, at, FAST_RESERVATION_MARGIN) : undefined;
    if (unlocked) return { decision: unlocked, outage: false };
    await uncountCall(options.db, 'hubspot', priority, at);
    return reserveLocked(priority, at);
  }

  async function reserveLocked(priority: Priority, at: number): Promise<{ decision: BudgetDecision; outage: boolean }> {
    return options.db.transaction(async (tx) => {
      await lockAcrossReplicas(tx, DAILY_LOCK);
      const snapshot = await snapshotIn(tx, at);
      const decision = decideBudget(snapshot, priority, at);
      if (decision.proceed) await (priority === 'bulk' ? countCall : countUrgentCall)(tx, 'hubspot', priority, at);
      return { decision, outage: snapshot.outage !== undefined };
    });
  }

  return {
    dailyLimit: options.dailyLimit,
    timezone: options.timezone,
    reportedBurst: () => reported,
    windows,
    async beforeCall(priority, kind) {
      if (priority !== 'bulk') lastUrgentCall = now();
      const { decision, outage } = await reserve(priority);
      if (!decision.proceed) {
        const code = outage ? BUDGET_CODES.exhausted : BUDGET_CODES.reserved;
        options.metrics?.budgetRefused('hubspot', priority, code);
        throw budgetRefusal('hubspot', code, decision);
      }
      const grant = await options.limiter.acquire(windows(priority, kind));
      if (grant.waitedMs > 0) options.metrics?.rateLimitWait('hubspot', grant.waitedMs / 1000);
      return grant.ended;
    },
    async observe(headers) {
      if (headers.max !== undefined && headers.intervalMs !== undefined) {
        reported = {
          max: headers.max,
          windowMs: headers.intervalMs,
          ...(headers.remaining !== undefined ? { remaining: headers.remaining } : {}),
        };
      }
      // OAuth apps get no daily headers; then our own count is all there is.
      if (headers.daily === undefined || headers.dailyRemaining === undefined) return;
      const at = now();
      if (at - lastDailyReport < REPORT_EVERY_MS && headers.dailyRemaining > headers.daily * 0.05) return;
      lastDailyReport = at;
      const ourCount = await callsSince(options.db, 'hubspot', dayBounds(at, options.timezone).start);
      await writeReportedUsage(options.db, 'hubspot', {
        used: Math.max(0, headers.daily - headers.dailyRemaining),
        limit: headers.daily,
        observedAt: new Date(at),
        ourCount,
      });
    },
    async onRateLimited(error) {
      const at = now();
      if (error.code === 'RATE_LIMIT_DAILY') {
        const { end } = dayBounds(at, options.timezone);
        const reason = 'HubSpot answered 429 DAILY: the portal daily limit is spent';
        if (await openOutage(options.db, { provider: 'hubspot', kind: 'budget', reason, retryAt: end })) {
          log.warn('hubspot daily limit spent; calls wait for the portal day to turn', { resetsAt: new Date(end).toISOString() });
          await announceOutage({ db: options.db, alerts: options.alerts, logger: log }, 'hubspot', 'budget', {
            event: 'hubspot_budget_exhausted',
            provider: 'hubspot',
            since: new Date(at).toISOString(),
            text: `HubSpot's daily API limit is spent; Handoff parks HubSpot work until ${new Date(end).toISOString()}.`,
          });
        }
        return new ProviderError('hubspot', error.message, {
          status: 429,
          code: 'RATE_LIMIT_DAILY',
          retryable: false,
          retryAfterMs: end - at,
          cause: error,
        });
      }
      // A 429 despite the limiter (another app, a changed limit): every replica waits as told, in the windows
      // of the policy that was hit (search has its own).
      const waitMs = error.retryAfterMs ?? 1_000;
      const search = error.code === HUBSPOT_LIMITS.rateLimitPolicies.secondly;
      const hit = search ? windows('handoff', 'search').filter((w) => w.bucket === 'hubspot:search') : windows('handoff', 'standard');
      for (const window of hit) await options.limiter.pause(window.bucket, window.windowMs, at + waitMs);
      return error;
    },
    decide: async (priority) => decideBudget(await snapshotIn(options.db, now()), priority, now()),
    snapshot: () => snapshotIn(options.db, now()),
  };
}
