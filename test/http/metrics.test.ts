import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { emptyCounts } from '../../src/core/backfill/counts.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { metricsRouter } from '../../src/http/metrics-route.ts';
import { silentLogger } from '../../src/log.ts';
import { createMetrics, type Metrics, safeLabel } from '../../src/metrics/metrics.ts';
import { claimRun, commitProgress, createRun, releaseRun } from '../../src/store/backfill-runs.ts';
import { insertEvents, markProcessed } from '../../src/store/inbox.ts';
import { type FreshDatabase, freshDatabase } from '../support/databases.ts';
import { listenOnLoopback } from '../support/http.ts';

let fresh: FreshDatabase;
let metrics: Metrics;
let server: { url: string; close: () => Promise<void> };

const event = (n: number) => ({
  dedupeKey: `k${n}`,
  source: 'hubspot',
  eventType: 'contact.propertyChange',
  objectType: 'contact',
  objectId: `${n}`,
  occurredAt: new Date('2026-11-02T09:00:00Z'),
  payload: {},
});

async function scrape(): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(`${server.url}/metrics`);
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

beforeAll(async () => {
  fresh = await freshDatabase();
  metrics = createMetrics({ db: fresh.db });
  server = await listenOnLoopback(createHttpApp({ logger: silentLogger(), routers: [metricsRouter(metrics)] }));
});

afterAll(async () => {
  await server?.close();
  await fresh?.cleanup();
});

describe('GET /metrics', () => {
  it('exposes our counters, histogram and gauges without authentication', async () => {
    metrics.handoff({ outcome: 'handed_off' });
    metrics.handoff({ outcome: 'handed_off' });
    metrics.handoff({ outcome: 'not_qualified' });
    metrics.rejection('bad_fit');
    metrics.slaBreach('first_touch');
    metrics.apiCall('salesforce', 'collections.upsert');
    metrics.apiCall('hubspot', 'contacts.batchRead');
    metrics.syncLatency(1.5);
    metrics.syncLatency(45);
    metrics.apiBudget('salesforce', 1200, 15000);
    const { status, type, text } = await scrape();
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text).toContain('handoff_handoffs_total{outcome="handed_off"} 2');
    expect(text).toContain('handoff_handoffs_total{outcome="not_qualified"} 1');
    expect(text).toContain('handoff_rejections_total{reason="bad_fit"} 1');
    expect(text).toContain('handoff_sla_breaches_total{kind="first_touch"} 1');
    expect(text).toContain('handoff_api_calls_total{provider="salesforce",operation="collections.upsert"} 1');
    expect(text).toContain('handoff_api_calls_total{provider="hubspot",operation="contacts.batchRead"} 1');
    // 1.5 s falls in le=2.5 (and above), 45 s from le=60 on.
    expect(text).toContain('handoff_sync_latency_seconds_bucket{le="1"} 0');
    expect(text).toContain('handoff_sync_latency_seconds_bucket{le="2.5"} 1');
    expect(text).toContain('handoff_sync_latency_seconds_bucket{le="60"} 2');
    expect(text).toContain('handoff_sync_latency_seconds_sum 46.5');
    expect(text).toContain('handoff_sync_latency_seconds_count 2');
    expect(text).toContain('handoff_api_budget_used{provider="salesforce"} 1200');
    expect(text).toContain('handoff_api_budget_limit{provider="salesforce"} 15000');
    expect(text).toContain('handoff_process_cpu_user_seconds_total');
  });

  it('reads the queue depth from the inbox at scrape time', async () => {
    expect((await scrape()).text).toContain('handoff_inbox_pending_events 0');
    await insertEvents(fresh.db, [event(1), event(2), event(3)]);
    expect((await scrape()).text).toContain('handoff_inbox_pending_events 3');
    const ids = (await fresh.db.query<{ id: string }>('SELECT id::text AS id FROM webhook_inbox ORDER BY id LIMIT 1')).rows.map(
      (r) => r.id,
    );
    await markProcessed(fresh.db, ids, 'done');
    expect((await scrape()).text).toContain('handoff_inbox_pending_events 2');
  });

  it('reports the active backfill run and its progress at scrape time, and zero once it is over', async () => {
    const idle = (await scrape()).text;
    expect(idle).toContain('handoff_backfill_active 0');
    expect(idle).toContain('handoff_backfill_contacts_read 0');
    const created = await createRun(fresh.db, { mode: 'handoff', filter: {}, dryRun: false, source: 'list', requestedBy: 'admin' });
    if (!created.ok) throw new Error('run not created');
    expect((await scrape()).text).toContain('handoff_backfill_active{mode="handoff",status="queued"} 1');
    await claimRun(fresh.db, created.run.id, 'token-1');
    await commitProgress(fresh.db, created.run.id, 'token-1', {
      checkpoint: { after: '200', pages: 2 },
      counts: { ...emptyCounts(), read: 200, notQualified: 200 },
      sample: [],
      total: 5_000,
    });
    const running = (await scrape()).text;
    expect(running).toContain('handoff_backfill_active{mode="handoff",status="running"} 1');
    expect(running).not.toContain('status="queued"');
    expect(running).toContain('handoff_backfill_contacts_read 200');
    expect(running).toContain('handoff_backfill_contacts_total 5000');
    await releaseRun(fresh.db, created.run.id, 'token-1', 'done');
    const over = (await scrape()).text;
    expect(over).toContain('handoff_backfill_active 0');
    expect(over).toContain('handoff_backfill_contacts_read 0');
  });

  it('keeps free text and personal data out of labels', async () => {
    expect(safeLabel('bad_fit')).toBe('bad_fit');
    expect(safeLabel('jane@example.com')).toBe('other');
    expect(safeLabel('Lead Status "Working" → sal')).toBe('other');
    metrics.rejection('ada@example.com');
    const { text } = await scrape();
    expect(text).toContain('handoff_rejections_total{reason="other"} 1');
    expect(text).not.toContain('example.com');
  });

  it('gives each service its own registry', () => {
    const other = createMetrics({ processMetrics: false });
    other.handoff({ outcome: 'handed_off' });
    expect(other.registry).not.toBe(metrics.registry);
    expect(other.registry.getSingleMetric('handoff_inbox_pending_events')).toBeUndefined();
  });
});
