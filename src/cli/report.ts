/**
 * `node src/cli/report.ts --from 2026-11-01 --to 2026-12-01 [--by source|segment|definitionVersion|owner|scoreBand] [--url …]`:
 * the funnel for a period, read from a running service's GET /api/kpis (ADMIN_TOKEN from the environment), then
 * the routing KPIs by owner and by pool (GET /api/kpis/routing) when the service routes leads.
 */
import { type KpiGroup, type KpiReport, kpiReport } from '../kpis/kpi-types.ts';
import { adminGet, adminTokenFrom, localServiceUrl } from './admin-api-client.ts';
import { flag } from './cli-flags.ts';
import { routingSection } from './report-routing.ts';
import { alignedTable, percent } from './text-format.ts';

export interface ReportOptions {
  argv: string[];
  env: NodeJS.ProcessEnv;
  out: { write(text: string): unknown };
}

const USAGE =
  'usage: report --from YYYY-MM-DD --to YYYY-MM-DD [--by source|segment|definitionVersion|owner|scoreBand] [--url http://127.0.0.1:3000]\n';
const BAR_WIDTH = 30;

export async function runReport({ argv, env, out }: ReportOptions): Promise<number> {
  const from = flag(argv, 'from');
  const to = flag(argv, 'to');
  const by = flag(argv, 'by');
  const baseUrl = flag(argv, 'url') ?? localServiceUrl(env);
  if (!from || !to) {
    out.write(USAGE);
    return 2;
  }
  const token = adminTokenFrom('report', env, out);
  if (!token) return 2;
  const query = new URLSearchParams({ from, to, ...(by ? { groupBy: by } : {}) });
  const answer = await adminGet({ baseUrl, token }, `/api/kpis?${query}`, kpiReport);
  if (!answer.ok) {
    out.write(`report: ${answer.message}\n`);
    return 1;
  }
  out.write(formatReport(answer.body));
  const routing = await routingSection({ baseUrl, token }, from, to);
  if (!routing.ok) {
    out.write(`report: routing KPIs: ${routing.message}\n`);
    return 1;
  }
  if (routing.text) out.write(`\n${routing.text}`);
  return 0;
}

function figure(value: number | null, unit: string): string {
  return value === null ? '—' : `${value.toFixed(1)} ${unit}`;
}

/** An Amount in the org's currency, grouped by thousands (the report does not know the currency). */
function amount(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** A bar of `part / whole` of the full width; at least one block when part > 0, so small counts stay visible. */
export function bar(part: number, whole: number, width = BAR_WIDTH): string {
  if (whole <= 0 || part <= 0) return '';
  return '█'.repeat(Math.max(1, Math.round((part / whole) * width)));
}

export function formatReport(report: KpiReport): string {
  const lines = [`Funnel ${report.from.slice(0, 10)} → ${report.to.slice(0, 10)} (handoff time, end exclusive)`, ''];
  lines.push(...funnelBlock(report.total));
  if (report.groupBy) lines.push('', `By ${report.groupBy}:`, ...groupTable(report.groups));
  return `${lines.join('\n')}\n`;
}

function funnelBlock(g: KpiGroup): string[] {
  const { mql, sal, sql, opportunity, won } = g.funnel;
  const stages: Array<[string, number]> = [
    ['MQL', mql],
    ['SAL', sal],
    ['SQL', sql],
    ['Opportunity', opportunity],
    ['Won', won],
  ];
  const lines = stages.map(([name, count]) => `${name.padEnd(12)}${String(count).padStart(6)}  ${bar(count, mql)}`);
  lines.push(
    '',
    `MQL→SAL ${percent(g.rates.mqlToSal)}   MQL→SQL ${percent(g.rates.mqlToSql)}   SQL→Opportunity ${percent(g.rates.sqlToOpportunity)}   Opportunity→Won ${percent(g.rates.opportunityToWon)}`,
    `Win rate ${percent(g.rates.winRate)} (${g.revenue.won} won, ${g.revenue.lost} lost)   won amount ${amount(g.revenue.wonAmount)}   ` +
      `open pipeline ${amount(g.revenue.openAmount)} (${g.revenue.openDeals} deals)   MQL→won median ${figure(g.revenue.medianDaysMqlToWon, 'days')}`,
    `First response (rep): median ${figure(g.firstResponse.medianMinutes, 'min')}, p90 ${figure(g.firstResponse.p90Minutes, 'min')} (${g.firstResponse.count} touched)`,
    `Routing delay (ours): median ${figure(g.routingDelay.medianSeconds, 's')}, p90 ${figure(g.routingDelay.p90Seconds, 's')}`,
    `SLA adherence: first touch ${percent(g.sla.firstTouch.adherence)} (${g.sla.firstTouch.met}/${g.sla.firstTouch.decided}), ` +
      `disposition ${percent(g.sla.disposition.adherence)} (${g.sla.disposition.met}/${g.sla.disposition.decided})`,
  );
  const most = Math.max(0, ...g.rejectionReasons.map((r) => r.count));
  if (g.rejectionReasons.length > 0) lines.push('', 'Rejection reasons:');
  for (const r of g.rejectionReasons) lines.push(`  ${r.reason.padEnd(20)}${String(r.count).padStart(5)}  ${bar(r.count, most, 20)}`);
  return lines;
}

function groupTable(groups: KpiGroup[]): string[] {
  const header = [
    'group',
    'MQL',
    'SAL',
    'SQL',
    'Opp',
    'Won',
    'MQL→SAL',
    'MQL→SQL',
    'SQL→Opp',
    'win rate',
    'won amount',
    'resp p50',
    '1st-touch SLA',
  ];
  const rows = groups.map((g) => [
    g.key ?? '(not recorded)',
    String(g.funnel.mql),
    String(g.funnel.sal),
    String(g.funnel.sql),
    String(g.funnel.opportunity),
    String(g.funnel.won),
    percent(g.rates.mqlToSal),
    percent(g.rates.mqlToSql),
    percent(g.rates.sqlToOpportunity),
    percent(g.rates.winRate),
    amount(g.revenue.wonAmount),
    figure(g.firstResponse.medianMinutes, 'min'),
    percent(g.sla.firstTouch.adherence),
  ]);
  const { lines, widths } = alignedTable(header, rows);
  const most = Math.max(0, ...groups.map((g) => g.funnel.mql));
  return [
    ...lines,
    '',
    'MQL volume:',
    ...groups.map((g, i) => `  ${(rows[i]?.[0] ?? '').padEnd(widths[0] ?? 0)}  ${bar(g.funnel.mql, most)}`),
  ];
}

if (import.meta.main) {
  process.exitCode = await runReport({ argv: process.argv.slice(2), env: process.env, out: process.stdout });
}
