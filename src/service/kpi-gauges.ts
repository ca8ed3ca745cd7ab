import { Gauge, type Registry } from 'prom-client';
import { computeKpis } from '../kpis/compute-kpis.ts';
import type { KpiReport } from '../kpis/kpi-types.ts';
import { METRIC_PREFIX } from '../metrics/prefix.ts';
import type { Queryable } from '../store/database.ts';

const DAY_MS = 86_400_000;
/** The trailing window the gauges describe: a quarter, the period the MQL review looks back on. */
export const KPI_GAUGE_WINDOW_DAYS = 90;
/** The KPI queries scan the quarter's history: a scrape every few seconds reuses one answer for this long. */
export const KPI_GAUGE_TTL_MS = 60_000;
const WINDOW = `${KPI_GAUGE_WINDOW_DAYS}d`;

/**
 * The funnel to revenue over the last quarter of handoffs, read from the database (so every replica reports the same
 * figures) at most once a minute: contacts per stage, the win rate and the won amount. Labels are the stage and the
 * window only. A ratio with nothing to divide (no closed deal) is left out rather than reported as 0.
 */
export function registerKpiGauges(registry: Registry, db: Queryable, now: () => number = Date.now): void {
  let cached: { at: number; report: Promise<KpiReport> } | undefined;
  const read = (): Promise<KpiReport> => {
    const at = now();
    if (!cached || at - cached.at >= KPI_GAUGE_TTL_MS) {
      const report = computeKpis(db, { from: new Date(at - KPI_GAUGE_WINDOW_DAYS * DAY_MS), to: new Date(at + DAY_MS) });
      // A failed read is not kept: the next scrape asks again.
      report.catch(() => {
        if (cached?.report === report) cached = undefined;
      });
      cached = { at, report };
    }
    return cached.report;
  };
  new Gauge({
    name: `${METRIC_PREFIX}funnel_contacts`,
    help: `Contacts handed off in the last ${KPI_GAUGE_WINDOW_DAYS} days that reached each funnel stage (mql, sal, sql, opportunity, won)`,
    labelNames: ['stage', 'window'],
    registers: [registry],
    async collect() {
      const { funnel } = (await read()).total;
      for (const [stage, count] of Object.entries(funnel)) this.set({ stage, window: WINDOW }, count);
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}win_rate`,
    help: `Won out of closed opportunities of the last ${KPI_GAUGE_WINDOW_DAYS} days' handoffs (absent while none closed)`,
    labelNames: ['window'],
    registers: [registry],
    async collect() {
      this.reset();
      const rate = (await read()).total.rates.winRate;
      if (rate !== null) this.set({ window: WINDOW }, rate);
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}won_amount`,
    help: `Sum of the won opportunities' Amount of the last ${KPI_GAUGE_WINDOW_DAYS} days' handoffs`,
    labelNames: ['window'],
    registers: [registry],
    async collect() {
      this.set({ window: WINDOW }, (await read()).total.revenue.wonAmount);
    },
  });
}
