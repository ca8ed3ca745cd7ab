import { Gauge, type Registry } from 'prom-client';
import type { BudgetReport } from './budget-report.ts';

/**
 * Budget gauges, read from the database at scrape time (every replica shows the shared state). One report
 * serves every gauge of a scrape. Named with the handoff_ prefix like every other metric of the service.
 */
export function registerBudgetGauges(registry: Registry, report: () => Promise<BudgetReport>): void {
  let pending: { at: number; value: Promise<BudgetReport> } | undefined;
  const current = () => {
    if (!pending || Date.now() - pending.at > 1_000) pending = { at: Date.now(), value: report() };
    return pending.value;
  };
  const registers = [registry];
  new Gauge({
    name: 'handoff_api_rate_window_in_use',
    help: 'Calls started or booked in the current rolling window',
    labelNames: ['bucket'],
    registers,
    async collect() {
      this.reset();
      for (const window of (await current()).hubspot.windows) this.set({ bucket: window.bucket }, window.inUse);
    },
  });
  new Gauge({
    name: 'handoff_api_rate_window_max',
    help: 'Calls allowed per rolling window',
    labelNames: ['bucket'],
    registers,
    async collect() {
      this.reset();
      for (const window of (await current()).hubspot.windows) this.set({ bucket: window.bucket }, window.max);
    },
  });
  new Gauge({
    name: 'handoff_hubspot_daily_remaining',
    help: 'HubSpot daily calls left (our count, corrected by HubSpot headers)',
    registers,
    async collect() {
      const { daily } = (await current()).hubspot;
      this.set(Math.max(0, daily.limit - daily.used));
    },
  });
  new Gauge({
    name: 'handoff_salesforce_allocation_used',
    help: 'Our Salesforce calls in the rolling 24 hours',
    registers,
    async collect() {
      const calls = (await current()).salesforce.callsLast24h;
      this.set(Object.values(calls).reduce((sum, n) => sum + n, 0));
    },
  });
  new Gauge({
    name: 'handoff_salesforce_allocation_limit',
    help: 'The admin-set Salesforce allocation (0 when unset)',
    registers,
    async collect() {
      this.set((await current()).salesforce.allocation ?? 0);
    },
  });
  new Gauge({
    name: 'handoff_api_outage_open',
    help: '1 while a provider budget or credentials outage is open',
    labelNames: ['provider', 'kind'],
    registers,
    async collect() {
      const value = await current();
      this.reset();
      for (const kind of ['budget', 'auth'] as const) {
        this.set({ provider: 'hubspot', kind }, value.hubspot.outages.some((o) => o.kind === kind) ? 1 : 0);
        this.set({ provider: 'salesforce', kind }, value.salesforce.outages.some((o) => o.kind === kind) ? 1 : 0);
      }
    },
  });
}
