import type { Queryable } from '../store/database.ts';
import { groupsByKey } from './groups-by-key.ts';
import {
  type FunnelRow,
  funnelRows,
  type KpiKey,
  type ReasonRow,
  type ResponseRow,
  reasonRows,
  responseRows,
  type SlaRow,
  slaRows,
} from './kpi-queries.ts';
import type { KpiGroup, KpiQuery, KpiReport, SlaKindFigures } from './kpi-types.ts';
import { type PipelineRow, pipelineRows, type RevenueRow, revenueRows } from './revenue-queries.ts';

/** What the HTTP layer needs: one report for a window. */
export interface KpiReader {
  report(query: KpiQuery): Promise<KpiReport>;
}

export function createKpiReader(db: Queryable): KpiReader {
  return { report: (query) => computeKpis(db, query) };
}

/** The funnel, rejection reasons, response times and SLA adherence for the window, per group and in total. */
export async function computeKpis(db: Queryable, query: KpiQuery): Promise<KpiReport> {
  const total = (await figuresByKey(db, query, 'none'))[0] ?? emptyGroup(null);
  const groups = query.groupBy ? await figuresByKey(db, query, query.groupBy) : [];
  const f = query.filters ?? {};
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    groupBy: query.groupBy ?? null,
    filters: {
      ...(f.source !== undefined ? { source: f.source } : {}),
      ...(f.segment !== undefined ? { segment: f.segment } : {}),
      ...(f.definitionVersion !== undefined ? { definitionVersion: f.definitionVersion } : {}),
    },
    total,
    groups,
  };
}

/** Runs the six queries with one grouping and merges their rows by group key, largest MQL volume first. */
async function figuresByKey(db: Queryable, query: KpiQuery, key: KpiKey): Promise<KpiGroup[]> {
  const [funnel, reasons, sla, response, revenue, pipeline] = await Promise.all([
    funnelRows(db, query, key),
    reasonRows(db, query, key),
    slaRows(db, query, key),
    responseRows(db, query, key),
    revenueRows(db, query, key),
    pipelineRows(db, query, key),
  ]);
  const { groups, group } = groupsByKey(emptyGroup);
  for (const row of funnel) applyFunnel(group(row.key), row);
  for (const row of revenue) applyRevenue(group(row.key), row);
  for (const row of pipeline) applyPipeline(group(row.key), row);
  for (const row of reasons) applyReason(group(row.key), row);
  for (const row of sla) applySla(group(row.key), row);
  for (const row of response) applyResponse(group(row.key), row);
  if (key === 'none' && groups.size === 0) group(null);
  return [...groups.values()].sort((a, b) => b.funnel.mql - a.funnel.mql || compareKeys(a.key, b.key));
}

function compareKeys(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

function emptySla(): SlaKindFigures {
  return { met: 0, decided: 0, breached: 0, adherence: null };
}

function emptyGroup(key: string | null): KpiGroup {
  return {
    key,
    funnel: { mql: 0, sal: 0, sql: 0, opportunity: 0, won: 0 },
    rates: { mqlToSal: null, mqlToSql: null, sqlToOpportunity: null, opportunityToWon: null, winRate: null },
    revenue: { won: 0, lost: 0, wonAmount: 0, openDeals: 0, openAmount: 0, medianDaysMqlToWon: null },
    rejectionReasons: [],
    firstResponse: { count: 0, medianMinutes: null, p90Minutes: null },
    routingDelay: { count: 0, medianSeconds: null, p90Seconds: null },
    sla: { firstTouch: emptySla(), disposition: emptySla() },
  };
}

function applyFunnel(group: KpiGroup, row: FunnelRow): void {
  const { mql, sal, sql, opportunity } = row;
  group.funnel = { ...group.funnel, mql, sal, sql, opportunity };
  group.rates = {
    ...group.rates,
    mqlToSal: ratio(sal, mql),
    mqlToSql: ratio(sql, mql),
    sqlToOpportunity: ratio(opportunity, sql),
    opportunityToWon: ratio(group.funnel.won, opportunity),
  };
}

function applyPipeline(group: KpiGroup, row: PipelineRow): void {
  group.revenue = { ...group.revenue, openDeals: row.openDeals, openAmount: row.openAmount };
}

/** Applied after the funnel: the won count joins it, and the rates that need both. */
function applyRevenue(group: KpiGroup, row: RevenueRow): void {
  group.revenue = { ...group.revenue, won: row.won, lost: row.lost, wonAmount: row.wonAmount, medianDaysMqlToWon: row.medianDaysMqlToWon };
  group.funnel.won = row.won;
  group.rates.opportunityToWon = ratio(row.won, group.funnel.opportunity);
  group.rates.winRate = ratio(row.won, row.won + row.lost);
}

function applyReason(group: KpiGroup, row: ReasonRow): void {
  group.rejectionReasons.push({ reason: row.reason, count: row.count });
}

function applySla(group: KpiGroup, row: SlaRow): void {
  const figures = { met: row.met, decided: row.decided, breached: row.breached, adherence: ratio(row.met, row.decided) };
  if (row.kind === 'first_touch') group.sla.firstTouch = figures;
  else group.sla.disposition = figures;
}

function applyResponse(group: KpiGroup, row: ResponseRow): void {
  group.firstResponse = { count: row.touched, medianMinutes: row.medianMinutes, p90Minutes: row.p90Minutes };
  group.routingDelay = { count: row.routed, medianSeconds: row.routingMedianSeconds, p90Seconds: row.routingP90Seconds };
}
