import type { Logger } from '../log.ts';
import type { Queryable } from '../store/database.ts';
import { groupsByKey } from './groups-by-key.ts';
import { type AssignedRow, type AwayRow, assignedRows, awayRows, type ClockRow, clockRows } from './routing-kpi-queries.ts';
import type { RoutingKpiGroup, RoutingKpiQuery, RoutingKpiReport } from './routing-kpi-types.ts';

/** What the HTTP layer needs: the routing KPIs for a window, by owner or by pool. */
export interface RoutingKpiReader {
  report(query: RoutingKpiQuery): Promise<RoutingKpiReport>;
}

/**
 * People-facing labels for the keys: owners' names from the Salesforce directory (personal data: shown, never
 * logged), pools' labels from the active routing.yaml. A key without a label shows as its id.
 */
export interface RoutingKpiLabels {
  ownerNames?: (ownerIds: string[]) => Promise<ReadonlyMap<string, string>>;
  poolLabels?: () => ReadonlyMap<string, string>;
}

export function createRoutingKpiReader(db: Queryable, labels: RoutingKpiLabels = {}, logger?: Logger): RoutingKpiReader {
  return { report: (query) => computeRoutingKpis(db, query, labels, logger) };
}

export async function computeRoutingKpis(
  db: Queryable,
  query: RoutingKpiQuery,
  labels: RoutingKpiLabels = {},
  logger?: Logger,
): Promise<RoutingKpiReport> {
  const [assigned, away, clocks] = await Promise.all([assignedRows(db, query), awayRows(db, query), clockRows(db, query)]);
  const { groups, group } = groupsByKey(emptyGroup);
  for (const row of assigned) applyAssigned(group(row.key), row);
  for (const row of away) applyAway(group(row.key), row);
  for (const row of clocks) applyClock(group(row.key), row);
  const names = await labelsFor(query, [...groups.keys()], labels, logger);
  for (const g of groups.values()) g.label = g.key === null ? null : (names.get(g.key) ?? null);
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    by: query.by,
    groups: [...groups.values()].sort((a, b) => b.assigned.total - a.assigned.total || compareKeys(a.key, b.key)),
  };
}

/** Names are a nicety: when the directory cannot answer, the report still stands with ids. */
async function labelsFor(
  query: RoutingKpiQuery,
  keys: Array<string | null>,
  labels: RoutingKpiLabels,
  logger: Logger | undefined,
): Promise<ReadonlyMap<string, string>> {
  const ids = keys.filter((k): k is string => k !== null);
  if (query.by === 'pool') return labels.poolLabels?.() ?? new Map();
  if (!labels.ownerNames || ids.length === 0) return new Map();
  try {
    return await labels.ownerNames(ids);
  } catch (error) {
    logger?.warn('routing KPIs: owner names unavailable, showing ids', { error });
    return new Map();
  }
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

function emptyGroup(key: string | null): RoutingKpiGroup {
  return {
    key,
    label: null,
    assigned: { total: 0, initial: 0, rerouted: 0 },
    reroutedAway: 0,
    sql: 0,
    mqlToSql: null,
    firstResponse: { count: 0, medianMinutes: null, p90Minutes: null },
    firstTouchSla: { met: 0, decided: 0, breached: 0, adherence: null },
  };
}

function applyAssigned(group: RoutingKpiGroup, row: AssignedRow): void {
  group.assigned = { total: row.total, initial: row.initial, rerouted: row.rerouted };
  group.sql = row.sql;
  group.mqlToSql = ratio(row.sql, row.total);
}

function applyAway(group: RoutingKpiGroup, row: AwayRow): void {
  group.reroutedAway = row.count;
}

function applyClock(group: RoutingKpiGroup, row: ClockRow): void {
  group.firstResponse = { count: row.touched, medianMinutes: row.medianMinutes, p90Minutes: row.p90Minutes };
  group.firstTouchSla = { met: row.met, decided: row.decided, breached: row.breached, adherence: ratio(row.met, row.decided) };
}
