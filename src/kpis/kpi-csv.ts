import type { KpiGroup, KpiReport } from './kpi-types.ts';

/** Spreadsheet columns, one row per group (the whole window when ungrouped). Rates are ratios in [0, 1]. */
const COLUMNS: Array<[string, (g: KpiGroup) => string | number | null]> = [
  ['mql', (g) => g.funnel.mql],
  ['sal', (g) => g.funnel.sal],
  ['sql', (g) => g.funnel.sql],
  ['opportunity', (g) => g.funnel.opportunity],
  ['mql_to_sal', (g) => g.rates.mqlToSal],
  ['mql_to_sql', (g) => g.rates.mqlToSql],
  ['sql_to_opportunity', (g) => g.rates.sqlToOpportunity],
  ['won', (g) => g.revenue.won],
  ['lost', (g) => g.revenue.lost],
  ['opportunity_to_won', (g) => g.rates.opportunityToWon],
  ['win_rate', (g) => g.rates.winRate],
  ['won_amount', (g) => g.revenue.wonAmount],
  ['open_deals', (g) => g.revenue.openDeals],
  ['open_pipeline_amount', (g) => g.revenue.openAmount],
  ['median_days_mql_to_won', (g) => g.revenue.medianDaysMqlToWon],
  ['first_response_count', (g) => g.firstResponse.count],
  ['first_response_median_minutes', (g) => g.firstResponse.medianMinutes],
  ['first_response_p90_minutes', (g) => g.firstResponse.p90Minutes],
  ['routing_delay_median_seconds', (g) => g.routingDelay.medianSeconds],
  ['routing_delay_p90_seconds', (g) => g.routingDelay.p90Seconds],
  ['first_touch_sla_met', (g) => g.sla.firstTouch.met],
  ['first_touch_sla_decided', (g) => g.sla.firstTouch.decided],
  ['first_touch_sla_adherence', (g) => g.sla.firstTouch.adherence],
  ['disposition_sla_met', (g) => g.sla.disposition.met],
  ['disposition_sla_decided', (g) => g.sla.disposition.decided],
  ['disposition_sla_adherence', (g) => g.sla.disposition.adherence],
  ['rejection_reasons', (g) => g.rejectionReasons.map((r) => `${r.reason}:${r.count}`).join('; ')],
];

const NOT_RECORDED = '(not recorded)';
const WHOLE_WINDOW = '(all)';

export function kpisToCsv(report: KpiReport): string {
  const header = [report.groupBy ?? 'group', ...COLUMNS.map(([name]) => name)];
  const rows = report.groupBy ? report.groups : [report.total];
  const lines = [header, ...rows.map((group) => [groupLabel(report, group), ...COLUMNS.map(([, value]) => value(group))])];
  // CRLF line ends, as RFC 4180 (text/csv) specifies.
  return `${lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

function groupLabel(report: KpiReport, group: KpiGroup): string {
  if (!report.groupBy) return WHOLE_WINDOW;
  return group.key ?? NOT_RECORDED;
}

/** RFC 4180 quoting; text that a spreadsheet would run as a formula is prefixed with a quote mark. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
