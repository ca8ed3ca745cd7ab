import { csvCell } from './kpi-csv.ts';
import type { RoutingKpiGroup, RoutingKpiReport } from './routing-kpi-types.ts';

/** Spreadsheet columns, one row per owner or pool. Rates are ratios in [0, 1]. */
const COLUMNS: Array<[string, (g: RoutingKpiGroup) => string | number | null]> = [
  ['label', (g) => g.label],
  ['assigned', (g) => g.assigned.total],
  ['assigned_initial', (g) => g.assigned.initial],
  ['assigned_rerouted', (g) => g.assigned.rerouted],
  ['rerouted_away', (g) => g.reroutedAway],
  ['sql', (g) => g.sql],
  ['mql_to_sql', (g) => g.mqlToSql],
  ['first_response_count', (g) => g.firstResponse.count],
  ['first_response_median_minutes', (g) => g.firstResponse.medianMinutes],
  ['first_response_p90_minutes', (g) => g.firstResponse.p90Minutes],
  ['first_touch_sla_met', (g) => g.firstTouchSla.met],
  ['first_touch_sla_decided', (g) => g.firstTouchSla.decided],
  ['first_touch_sla_breached', (g) => g.firstTouchSla.breached],
  ['first_touch_sla_adherence', (g) => g.firstTouchSla.adherence],
];

const NO_KEY: Record<RoutingKpiReport['by'], string> = { owner: '(not recorded)', pool: '(no pool)' };

export function routingKpisToCsv(report: RoutingKpiReport): string {
  const header = [report.by, ...COLUMNS.map(([name]) => name)];
  const rows = report.groups.map((g) => [g.key ?? NO_KEY[report.by], ...COLUMNS.map(([, value]) => value(g))]);
  // CRLF line ends, as RFC 4180 (text/csv) specifies.
  return `${[header, ...rows].map((cells) => cells.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
