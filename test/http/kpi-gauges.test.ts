import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { KPI_GAUGE_TTL_MS, registerKpiGauges } from '../../src/service/kpi-gauges.ts';
import type { Queryable } from '../../src/store/database.ts';
import { appendHistory, type HistoryEntryInput } from '../../src/store/history.ts';
import { type FreshDatabase, freshDatabase } from '../support/databases.ts';

/** The funnel-to-revenue gauges: the last 90 days of handoffs, read at scrape time at most once a minute. */
const NOW = Date.parse('2026-12-01T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW - days * 86_400_000);
const row = (contact: string, action: string, at: Date, detail: Record<string, unknown> = {}, stage: string | null = null) =>
  ({ hubspotContactId: contact, action, stage, at, detail }) as HistoryEntryInput;

let fresh: FreshDatabase;
let clock = NOW;
let registry: Registry;
let queries = 0;

beforeAll(async () => {
  fresh = await freshDatabase();
  await appendHistory(fresh.db, [
    row('g1', 'handed_off', daysAgo(30), {}, 'mql'),
    row('g1', 'converted', daysAgo(20), { convertedOpportunityId: '006g1' }, 'opportunity'),
    row('g1', 'opportunity_won', daysAgo(5), { amount: 5000 }),
    row('g2', 'handed_off', daysAgo(40), {}, 'mql'),
    // Handed off before the quarter: not counted.
    row('g3', 'handed_off', daysAgo(120), {}, 'mql'),
    row('g3', 'opportunity_won', daysAgo(10), { amount: 9000 }),
  ]);
  const db: Queryable = {
    exec: (sql) => fresh.db.exec(sql),
    query: ((...args: Parameters<typeof fresh.db.query>) => {
      queries += 1;
      return fresh.db.query(...args);
    }) as typeof fresh.db.query,
  };
  registry = new Registry();
  registerKpiGauges(registry, db, () => clock);
});
afterAll(async () => fresh?.cleanup());

describe('KPI gauges', () => {
  it('report the quarter: contacts per stage, the win rate and the won amount; one read per minute', async () => {
    const text = await registry.metrics();
    expect(text).toContain('handoff_funnel_contacts{stage="mql",window="90d"} 2');
    expect(text).toContain('handoff_funnel_contacts{stage="opportunity",window="90d"} 1');
    expect(text).toContain('handoff_funnel_contacts{stage="won",window="90d"} 1');
    expect(text).toContain('handoff_win_rate{window="90d"} 1');
    expect(text).toContain('handoff_won_amount{window="90d"} 5000');
    const afterFirst = queries;
    expect(afterFirst).toBeGreaterThan(0);
    await registry.metrics();
    expect(queries).toBe(afterFirst);
    clock += KPI_GAUGE_TTL_MS;
    await registry.metrics();
    expect(queries).toBeGreaterThan(afterFirst);
  });
});
