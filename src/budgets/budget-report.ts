import { type BudgetDecision, type BudgetSnapshot, decideBudget } from '../core/budget/decide-budget.ts';
import { PRIORITIES, type Priority } from '../core/budget/priority.ts';
import { dayBounds } from '../core/budget/rate-windows.ts';
import { callsByPriority, type OutageRow, readOutages, readReportedUsage } from '../store/api-budget.ts';
import type { Queryable } from '../store/database.ts';
import { slotsInUse } from '../store/rate-slots.ts';
import type { HubSpotBudget } from './hubspot-budget.ts';
import type { SalesforceBudget } from './salesforce-budget.ts';

export interface WindowReport {
  bucket: string;
  max: number;
  windowMs: number;
  inUse: number;
}

export interface OutageReport {
  kind: 'budget' | 'auth';
  reason: string;
  since: string;
  retryAt: string;
}

export interface QuotaReport {
  name: string;
  used: number;
  limit: number;
}

/** The current state of both providers' budgets, as GET /api/budgets and the gauges show it. */
export interface BudgetReport {
  generatedAt: string;
  hubspot: {
    windows: WindowReport[];
    reportedBurst: { max: number; windowMs: number; remaining: number | null } | null;
    daily: { limit: number; used: number; resetsAt: string; timezone: string };
    callsToday: Record<string, number>;
    priorities: Record<Priority, BudgetDecision>;
    outages: OutageReport[];
  };
  salesforce: {
    allocation: number | null;
    quotas: QuotaReport[];
    callsLast24h: Record<string, number>;
    org: { used: number; limit: number; observedAt: string } | null;
    priorities: Record<Priority, BudgetDecision>;
    outages: OutageReport[];
  };
}

const outageReport = (row: OutageRow): OutageReport => ({
  kind: row.kind,
  reason: row.reason,
  since: row.since.toISOString(),
  retryAt: row.retryAt.toISOString(),
});

function byPriority(snapshot: BudgetSnapshot, at: number): Record<Priority, BudgetDecision> {
  return Object.fromEntries(PRIORITIES.map((p) => [p, decideBudget(snapshot, p, at)])) as Record<Priority, BudgetDecision>;
}

/** Reads only: no call is counted, no probe is made. */
export async function buildBudgetReport(
  db: Queryable,
  budgets: { hubspot: HubSpotBudget; salesforce: SalesforceBudget },
  at: number,
): Promise<BudgetReport> {
  const { hubspot, salesforce } = budgets;
  const windows = await Promise.all(
    hubspot
      .windows('handoff', 'search')
      .map(async (w) => ({ bucket: w.bucket, max: w.max, windowMs: w.windowMs, inUse: await slotsInUse(db, w.bucket, w.windowMs) })),
  );
  const hsSnapshot = await hubspot.snapshot();
  const daily = hsSnapshot.quotas[0];
  const day = dayBounds(at, hubspot.timezone);
  const reported = hubspot.reportedBurst();
  const sfSnapshot = await salesforce.snapshot();
  const org = await readReportedUsage(db, 'salesforce');
  return {
    generatedAt: new Date(at).toISOString(),
    hubspot: {
      windows,
      reportedBurst: reported ? { max: reported.max, windowMs: reported.windowMs, remaining: reported.remaining ?? null } : null,
      daily: {
        limit: daily?.limit ?? hubspot.dailyLimit,
        used: daily?.used ?? 0,
        resetsAt: new Date(day.end).toISOString(),
        timezone: hubspot.timezone,
      },
      callsToday: await callsByPriority(db, 'hubspot', day.start),
      priorities: byPriority(hsSnapshot, at),
      outages: (await readOutages(db, 'hubspot')).map(outageReport),
    },
    salesforce: {
      allocation: salesforce.allocation ?? null,
      quotas: sfSnapshot.quotas.map(({ name, used, limit }) => ({ name, used, limit })),
      callsLast24h: await callsByPriority(db, 'salesforce', at - 24 * 60 * 60 * 1000),
      org: org ? { used: org.used, limit: org.limit, observedAt: org.observedAt.toISOString() } : null,
      priorities: byPriority(sfSnapshot, at),
      outages: (await salesforce.outages()).map(outageReport),
    },
  };
}
