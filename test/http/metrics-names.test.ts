import { describe, expect, it } from '@jest/globals';
import type { Registry } from 'prom-client';
import { registerBudgetGauges } from '../../src/budgets/budget-gauges.ts';
import type { BudgetReport } from '../../src/budgets/budget-report.ts';
import { allOutcomes, outcomeLabel, outcomeText } from '../../src/core/handoff/outcomes.ts';
import { createMetrics, safeLabel } from '../../src/metrics/metrics.ts';
import { registerKpiGauges } from '../../src/service/kpi-gauges.ts';
import type { Queryable } from '../../src/store/database.ts';

// Registering the database-read gauges reads nothing until a scrape, so a stand-in database will do here.
const unusedDb = {} as Queryable;
const unusedReport = (() => Promise.reject(new Error('not scraped'))) as () => Promise<BudgetReport>;

/** The service's registry as service.ts builds it: our metrics, the database gauges, the budget and KPI gauges, Node's. */
function serviceRegistry(): Registry {
  const metrics = createMetrics({ db: unusedDb });
  registerBudgetGauges(metrics.registry, unusedReport);
  registerKpiGauges(metrics.registry, unusedDb);
  return metrics.registry;
}

async function bucketCounts(registry: Registry, name: string): Promise<Map<number, number>> {
  const values = (await registry.getSingleMetric(name)!.get()).values;
  const buckets = values.filter((v) => (v as { metricName?: string }).metricName === `${name}_bucket` && v.labels.le !== '+Inf');
  return new Map(buckets.map((v) => [Number(v.labels.le), v.value]));
}

describe('metric names', () => {
  it('start with handoff_, Node process metrics included', () => {
    const names = serviceRegistry()
      .getMetricsAsArray()
      .map((metric) => metric.name);
    expect(names).toContain('handoff_process_cpu_user_seconds_total');
    expect(names).toContain('handoff_api_rate_window_in_use');
    expect(names).toContain('handoff_backfill_active');
    expect(names).toContain('handoff_win_rate');
    expect(names.filter((name) => !name.startsWith('handoff_'))).toEqual([]);
  });
});

describe('latency histograms', () => {
  // 30 ms and 80 ms must land in different buckets, and neither in the first.
  it.each(['handoff_sync_latency_seconds', 'handoff_api_rate_limit_wait_seconds'])('%s resolves 10–100 ms', async (name) => {
    const metrics = createMetrics({ processMetrics: false });
    for (const seconds of [0.008, 0.03, 0.08]) {
      if (name === 'handoff_sync_latency_seconds') metrics.syncLatency(seconds);
      else metrics.rateLimitWait('hubspot', seconds);
    }
    const counts = await bucketCounts(metrics.registry, name);
    expect(counts.get(0.01)).toBe(1);
    expect(counts.get(0.05)).toBe(2);
    expect(counts.get(0.1)).toBe(3);
    // Still reaches a long provider outage (sync) or a full HubSpot window (wait).
    expect(Math.max(...counts.keys())).toBeGreaterThanOrEqual(name === 'handoff_sync_latency_seconds' ? 3600 : 10);
  });
});

describe('handoff outcomes', () => {
  it('each has a code of its own that a label keeps (none is counted as "other")', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const outcomes = allOutcomes();
    expect(outcomes.map(outcomeText)).toEqual(expect.arrayContaining(['no mapped field changed', 'handed_off; write-back parked']));
    for (const outcome of outcomes) metrics.handoff(outcome);
    const counted = (await metrics.registry.getSingleMetric('handoff_handoffs_total')!.get()).values;
    const labels = counted.map((v) => String(v.labels.outcome));
    expect(labels).not.toContain('other');
    // One label per outcome: no two outcomes share a series.
    expect(new Set(labels).size).toBe(outcomes.length);
    for (const outcome of outcomes) expect(safeLabel(outcomeLabel(outcome))).toBe(outcomeLabel(outcome));
  });

  it('names "no mapped field changed"', () => {
    expect(outcomeLabel({ outcome: 'no_mapped_field_changed' })).toBe('no_mapped_field_changed');
    expect(outcomeLabel({ outcome: 'lead_updated', writeBackParked: true })).toBe('lead_updated_writeback_parked');
  });
});

describe('handoff pacing', () => {
  it('exports the hold of the oldest waiting handoff, the real-time share in use and the decisions by reason', async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.handoffPacing({ reason: 'grouping', holdMs: 1_250, shareInUse: 1 });
    metrics.handoffPacing({ reason: 'within_share', holdMs: 0, shareInUse: 0.4 });
    const value = async (name: string, labels: Record<string, string> = {}) =>
      (await metrics.registry.getSingleMetric(name)!.get()).values.find((v) =>
        Object.entries(labels).every(([key, label]) => v.labels[key] === label),
      )?.value;
    expect(await value('handoff_batch_delay_seconds')).toBe(0);
    expect(await value('handoff_realtime_share_in_use')).toBe(0.4);
    expect(await value('handoff_pacing_decisions_total', { reason: 'grouping' })).toBe(1);
    expect(await value('handoff_pacing_decisions_total', { reason: 'within_share' })).toBe(1);
    // Every reason is there from the start, so a rate over it is defined before the first of its kind.
    expect(await value('handoff_pacing_decisions_total', { reason: 'max_hold' })).toBe(0);
    metrics.handoffPacing({ reason: 'grouping', holdMs: 1_250, shareInUse: 1 });
    expect(await value('handoff_batch_delay_seconds')).toBe(1.25);
  });
});
