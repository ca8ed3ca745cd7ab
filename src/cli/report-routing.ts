import { type RoutingKpiCut, type RoutingKpiGroup, type RoutingKpiReport, routingKpiReport } from '../kpis/routing-kpi-types.ts';
import { type AdminApiTarget, adminGet } from './admin-api-client.ts';
import { alignedTable, percent } from './text-format.ts';

/** The report's routing section: GET /api/kpis/routing by owner and by pool for the same window. */
export type RoutingSection = { ok: true; text: string } | { ok: false; message: string };

const NO_KEY: Record<RoutingKpiCut, string> = { owner: '(not recorded)', pool: '(no pool)' };
const BAR_WIDTH = 30;

export async function routingSection(target: AdminApiTarget, from: string, to: string): Promise<RoutingSection> {
  const reports: RoutingKpiReport[] = [];
  for (const by of ['owner', 'pool'] as const) {
    const answer = await adminGet(target, `/api/kpis/routing?${new URLSearchParams({ from, to, by })}`, routingKpiReport);
    // A service without routing (the route is not mounted) has no section to print.
    if (!answer.ok && answer.status === 404) return { ok: true, text: '' };
    if (!answer.ok) return { ok: false, message: answer.message };
    reports.push(answer.body);
  }
  return { ok: true, text: reports.map(formatRoutingCut).join('\n') };
}

function minutes(value: number | null): string {
  return value === null ? '—' : `${value.toFixed(1)} min`;
}

function nameOf(report: RoutingKpiReport, g: RoutingKpiGroup): string {
  if (g.key === null) return NO_KEY[report.by];
  return g.label ? `${g.label} (${g.key})` : g.key;
}

/** One cut as a table (and, by owner, a bar of leads assigned per owner). */
export function formatRoutingCut(report: RoutingKpiReport): string {
  const title = `Routing by ${report.by} (assignment time):`;
  if (report.groups.length === 0) return `${title}\n  no routed leads in this window\n`;
  const header = [report.by, 'assigned', 'initial', 're-routed', 'away', 'SQL', 'MQL→SQL', 'resp p50', 'resp p90', '1st-touch SLA'];
  const rows = report.groups.map((g) => [
    nameOf(report, g),
    String(g.assigned.total),
    String(g.assigned.initial),
    String(g.assigned.rerouted),
    String(g.reroutedAway),
    String(g.sql),
    percent(g.mqlToSql),
    minutes(g.firstResponse.medianMinutes),
    minutes(g.firstResponse.p90Minutes),
    `${percent(g.firstTouchSla.adherence)} (${g.firstTouchSla.met}/${g.firstTouchSla.decided})`,
  ]);
  const table = alignedTable(header, rows);
  const { widths } = table;
  const lines = [title, ...table.lines];
  if (report.by === 'owner') {
    const most = Math.max(0, ...report.groups.map((g) => g.assigned.total));
    lines.push('', 'Assigned per owner:');
    report.groups.forEach((g, i) => {
      const blocks = most > 0 && g.assigned.total > 0 ? Math.max(1, Math.round((g.assigned.total / most) * BAR_WIDTH)) : 0;
      lines.push(`  ${(rows[i]?.[0] ?? '').padEnd(widths[0] ?? 0)}  ${'█'.repeat(blocks)}`);
    });
  }
  return `${lines.join('\n')}\n`;
}
