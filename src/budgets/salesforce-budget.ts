import type { SalesforceCallBudget, SalesforceProbes } from '../adapters/salesforce/call-budget.ts';
import { type BudgetDecision, type BudgetSnapshot, decideBudget, type Quota } from '../core/budget/decide-budget.ts';
import { fastReservation } from '../core/budget/fast-reservation.ts';
import type { Priority, PriorityShares } from '../core/budget/priority.ts';
import type { Logger } from '../log.ts';
import {
  type BudgetState,
  callMinutes,
  claimOutageRecheck,
  countCall,
  countCallReadingState,
  type OutageKind,
  type OutageRow,
  openOutage,
  readBudgetState,
  readOutages,
  resolveOutage,
  uncountCall,
  writeReportedUsage,
} from '../store/api-budget.ts';
import type { Database, Queryable } from '../store/database.ts';
import { announceOutage, type BudgetAlerts, type BudgetMetrics, FAST_RESERVATION_MARGIN, lockAcrossReplicas } from './budget-deps.ts';
import { BUDGET_CODES, budgetRefusal, isSalesforceAuthFailure } from './budget-errors.ts';

export interface SalesforceBudgetOptions {
  db: Database;
  logger: Logger;
  /** The admin-set daily allocation for Handoff (rolling 24 h); unset: only the org's own limit applies. */
  allocation?: number | undefined;
  allocationShares: PriorityShares;
  orgShares: PriorityShares;
  /** While Salesforce is exhausted, one replica probes GET /limits this often. */
  probeIntervalMs?: number;
  /** While the refresh token is refused, one replica tries a token refresh this often. */
  authRecheckMs?: number;
  /** An org usage report older than this is no longer trusted (the next answer brings a fresh one). */
  orgReportTtlMs?: number;
  metrics?: BudgetMetrics | undefined;
  alerts?: BudgetAlerts | undefined;
  now?: () => number;
}

export type { SalesforceProbes } from '../adapters/salesforce/call-budget.ts';

/** The client's doors, plus what the admin API, the poll and the parked-work resume read. */
export interface SalesforceBudget extends SalesforceCallBudget {
  /** Whether `priority` could spend a call now (nothing is counted; a due probe is run). */
  decide(priority: Priority): Promise<BudgetDecision>;
  /** Whether the credentials work (a due token re-check is run). */
  authAvailable(): Promise<boolean>;
  snapshot(): Promise<BudgetSnapshot>;
  outages(): Promise<OutageRow[]>;
  readonly allocation: number | undefined;
}

type Reservation = { kind: 'recheck' } | { kind: 'auth'; row: OutageRow } | { kind: 'decided'; decision: BudgetDecision; outage: boolean };

const DAY_MS = 24 * 60 * 60 * 1000;
const BUDGET_LOCK = 727_102;
const REPORT_EVERY_MS = 2_000;

export function createSalesforceBudget(options: SalesforceBudgetOptions): SalesforceBudget {
  const now = options.now ?? Date.now;
  const log = options.logger.child({ module: 'budget.salesforce' });
  const probeIntervalMs = options.probeIntervalMs ?? 5 * 60_000;
  const authRecheckMs = options.authRecheckMs ?? 60_000;
  const orgTtlMs = options.orgReportTtlMs ?? 10 * 60_000;
  const deps = { db: options.db, alerts: options.alerts, logger: log };
  let probes: SalesforceProbes | undefined;
  let lastReport = 0;

  async function allocationQuota(q: Queryable, at: number, withExpiries: boolean, state: BudgetState): Promise<Quota | undefined> {
    if (!options.allocation) return undefined;
    const since = at - DAY_MS;
    const minutes = withExpiries ? await callMinutes(q, 'salesforce', since) : undefined;
    const used = minutes ? minutes.reduce((sum, m) => sum + m.calls, 0) : state.calls;
    // Each minute's calls leave the rolling 24 h once that minute is a full day old.
    const release = minutes
      ? { kind: 'rolling' as const, expiries: minutes.map((m) => ({ at: m.minute + DAY_MS + 60_000, calls: m.calls })) }
      : { kind: 'at' as const, at: at + DAY_MS };
    return { name: 'Salesforce allocation', used, limit: options.allocation, shares: options.allocationShares, release };
  }

  /** Outages, the org's last report and (with an allocation) our rolling-24 h count, in one read. */
  const readState = (q: Queryable, at: number) => readBudgetState(q, 'salesforce', options.allocation ? at - DAY_MS : undefined);

  async function snapshotIn(q: Queryable, at: number, withExpiries: boolean, given?: BudgetState): Promise<BudgetSnapshot> {
    const state = given ?? (await readState(q, at));
    const quotas: Quota[] = [];
    const allocation = await allocationQuota(q, at, withExpiries, state);
    if (allocation) quotas.push(allocation);
    const org = state.reported;
    if (org && at - org.observedAt.getTime() < orgTtlMs) {
      quotas.push({
        name: 'Salesforce org limit',
        used: org.used,
        limit: org.limit,
        shares: options.orgShares,
        release: { kind: 'at', at: org.observedAt.getTime() + orgTtlMs },
      });
    }
    const outage = state.outages.find((row) => row.kind === 'budget' && row.retryAt.getTime() > at);
    return { provider: 'salesforce', quotas, outage: outage ? { reason: outage.reason, until: outage.retryAt.getTime() } : undefined };
  }

  /** One replica re-checks a due outage; true when it is over. */
  async function recheck(row: OutageRow, at: number): Promise<boolean> {
    const interval = row.kind === 'auth' ? authRecheckMs : probeIntervalMs;
    if (!probes || !(await claimOutageRecheck(options.db, 'salesforce', row.kind, at, at + interval))) return false;
    try {
      if (row.kind === 'auth') await probes.refreshToken();
      else if (!(await probeBudget(at))) return false;
      await resolveOutage(options.db, 'salesforce', row.kind);
      log.info(row.kind === 'auth' ? 'salesforce credentials work again' : 'salesforce API budget is back', {
        since: row.since.toISOString(),
      });
      return true;
    } catch (error) {
      if (row.kind === 'auth') options.metrics?.authFailure('salesforce');
      log.info('salesforce outage continues', { kind: row.kind, error: (error as Error).message });
      if (!row.alertedAt) await announceOutage(deps, 'salesforce', row.kind, alertOf(row.kind, row.reason, row.since.getTime()));
      return false;
    }
  }

  /** GET /limits: DailyApiRequests says whether calls are left (the probe is itself a call, so it is counted). */
  async function probeBudget(at: number): Promise<boolean> {
    await countCall(options.db, 'salesforce', 'probe', at);
    const usage = await probes!.probeLimits();
    await writeReportedUsage(options.db, 'salesforce', { ...usage, observedAt: new Date(at) });
    return usage.used < usage.limit;
  }

  /** Open outages after running any re-check that is due. */
  async function currentOutages(at: number): Promise<OutageRow[]> {
    const rows = await readOutages(options.db, 'salesforce');
    const open: OutageRow[] = [];
    for (const row of rows) if (row.retryAt.getTime() > at || !(await recheck(row, at))) open.push(row);
    return open;
  }

  /**
   * Counted and decided in one statement while no outage is open and the call is far from every ceiling (see
   * fastReservation); otherwise taken back and decided under the lock.
   */
  async function reserveUnlocked(priority: Priority, at: number): Promise<Reservation | undefined> {
    const state = await countCallReadingState(options.db, 'salesforce', { priority, at }, options.allocation ? at - DAY_MS : undefined);
    if (state.outages.length === 0) {
      const decision = fastReservation(await snapshotIn(options.db, at, false, state), priority, at, FAST_RESERVATION_MARGIN);
      if (decision) return { kind: 'decided', decision, outage: false };
    }
    await uncountCall(options.db, 'salesforce', priority, at);
    return undefined;
  }

  /**
   * Checks credentials and budget and counts the call, with the state read once. An outage due for its
   * re-check (rare) is left to the caller, which runs the re-check and asks again with `rechecked`.
   */
  async function reserve(priority: Priority, at: number, rechecked: boolean): Promise<Reservation> {
    return options.db.transaction(async (tx) => {
      await lockAcrossReplicas(tx, BUDGET_LOCK);
      const state = await readState(tx, at);
      if (!rechecked && state.outages.some((row) => row.retryAt.getTime() <= at)) return { kind: 'recheck' };
      const auth = state.outages.find((row) => row.kind === 'auth');
      if (auth) return { kind: 'auth', row: auth };
      let snapshot = await snapshotIn(tx, at, false, state);
      let decision = decideBudget(snapshot, priority, at);
      if (!decision.proceed && options.allocation) {
        snapshot = await snapshotIn(tx, at, true, state);
        decision = decideBudget(snapshot, priority, at);
      }
      if (decision.proceed) await countCall(tx, 'salesforce', priority, at);
      return { kind: 'decided', decision, outage: snapshot.outage !== undefined };
    });
  }

  function refuse(priority: Priority, code: string, decision: Pick<BudgetDecision, 'reason' | 'waitMs'>): never {
    options.metrics?.budgetRefused('salesforce', priority, code);
    throw budgetRefusal('salesforce', code, decision);
  }

  return {
    allocation: options.allocation,
    connect(given) {
      probes = given;
    },
    async beforeCall(priority) {
      const at = now();
      let reservation = (await reserveUnlocked(priority, at)) ?? (await reserve(priority, at, false));
      if (reservation.kind === 'recheck') {
        await currentOutages(at);
        reservation = await reserve(priority, at, true);
      }
      if (reservation.kind === 'auth') {
        const auth = reservation.row;
        refuse(priority, BUDGET_CODES.authFailed, {
          reason: `Salesforce refused Handoff's credentials (${auth.reason}); fix the connected app or refresh token`,
          waitMs: Math.max(1_000, auth.retryAt.getTime() - at),
        });
      }
      if (reservation.kind !== 'decided') throw new Error('salesforce budget: outage re-check asked for twice');
      const { decision, outage } = reservation;
      if (!decision.proceed) refuse(priority, outage ? BUDGET_CODES.exhausted : BUDGET_CODES.reserved, decision);
    },
    async afterAnswer(usage) {
      if (!usage) return;
      const at = now();
      if (at - lastReport < REPORT_EVERY_MS && usage.used < usage.limit * 0.9) return;
      lastReport = at;
      await writeReportedUsage(options.db, 'salesforce', { ...usage, observedAt: new Date(at) });
    },
    async onFailure(error) {
      const kind: OutageKind | undefined =
        error.code === 'REQUEST_LIMIT_EXCEEDED' ? 'budget' : isSalesforceAuthFailure(error) ? 'auth' : undefined;
      if (!kind) return;
      const at = now();
      if (kind === 'auth') options.metrics?.authFailure('salesforce');
      const reason = error.code === 'REQUEST_LIMIT_EXCEEDED' ? 'REQUEST_LIMIT_EXCEEDED' : `token refresh refused: ${error.code}`;
      const opened = await openOutage(options.db, {
        provider: 'salesforce',
        kind,
        reason,
        retryAt: at + (kind === 'auth' ? authRecheckMs : probeIntervalMs),
      });
      if (!opened) return;
      log.warn(
        kind === 'auth'
          ? 'salesforce credentials refused: calls stop until they work again'
          : 'salesforce API budget exhausted: calls stop until it returns',
        { reason },
      );
      await announceOutage(deps, 'salesforce', kind, alertOf(kind, reason, at));
    },
    async decide(priority) {
      const at = now();
      await currentOutages(at);
      return decideBudget(await snapshotIn(options.db, at, true), priority, at);
    },
    async authAvailable() {
      return !(await currentOutages(now())).some((row) => row.kind === 'auth');
    },
    snapshot: () => snapshotIn(options.db, now(), true),
    outages: () => readOutages(options.db, 'salesforce'),
  };
}

function alertOf(kind: OutageKind, reason: string, since: number) {
  return kind === 'auth'
    ? {
        event: 'salesforce_auth_failed' as const,
        provider: 'salesforce' as const,
        since: new Date(since).toISOString(),
        detail: { reason },
        text: `Salesforce refused Handoff's refresh token (${reason}). Handoffs are parked until the connected app's credentials work again.`,
      }
    : {
        event: 'salesforce_budget_exhausted' as const,
        provider: 'salesforce' as const,
        since: new Date(since).toISOString(),
        detail: { reason },
        text: "Salesforce answered REQUEST_LIMIT_EXCEEDED: the org's daily API budget is spent. Handoffs are parked until it returns.",
      };
}
