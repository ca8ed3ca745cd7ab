import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ApiBudgets, createApiBudgets } from '../../src/budgets/api-budgets.ts';
import { registerBudgetGauges } from '../../src/budgets/budget-gauges.ts';
import { DEFAULT_SHARES } from '../../src/core/budget/priority.ts';
import { adminApiRouter } from '../../src/http/admin/admin-api-router.ts';
import { budgetReportSchema } from '../../src/http/admin/budget-routes.ts';
import { createParkedWork } from '../../src/http/admin/parked-work.ts';
import { createRecordLookup } from '../../src/http/admin/record-lookup.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { metricsRouter } from '../../src/http/metrics-route.ts';
import { silentLogger } from '../../src/log.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';
import { openOutage, writeReportedUsage } from '../../src/store/api-budget.ts';
import { type FreshDatabase, freshDatabase } from '../support/databases.ts';
import { listenOnLoopback } from '../support/http.ts';
import { FakeConfigVersions } from './support/fake-config-versions.ts';

const TOKEN = 'test-admin-token-0123456789';
let fresh: FreshDatabase;
let budgets: ApiBudgets;
let server: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  fresh = await freshDatabase();
  const metrics = createMetrics({ processMetrics: false });
  budgets = createApiBudgets({
    db: fresh.db,
    logger: silentLogger(),
    metrics,
    hubspot: { burstLimit: 190, dailyLimit: 650_000, timezone: 'Europe/Berlin', shares: DEFAULT_SHARES },
    salesforce: { allocation: 5_000, allocationShares: DEFAULT_SHARES, orgShares: DEFAULT_SHARES },
  });
  registerBudgetGauges(metrics.registry, budgets.report);
  const logger = silentLogger();
  const router = adminApiRouter({
    adminToken: TOKEN,
    configVersions: await FakeConfigVersions.seeded(),
    records: createRecordLookup(fresh.db),
    parked: createParkedWork(fresh.db, async () => ({ status: 'not_open' as const }), { maxAutoReplays: 5 }),
    budgets,
    logger,
  });
  server = await listenOnLoopback(createHttpApp({ logger, routers: [router, metricsRouter(metrics)] }));
});
afterAll(async () => {
  await server?.close();
  await fresh?.cleanup();
});

const get = (path: string, token?: string) => fetch(`${server.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

describe('GET /api/budgets', () => {
  it('needs the admin token', async () => {
    expect((await get('/api/budgets')).status).toBe(401);
    expect((await get('/api/budgets', 'wrong-token-0123456789xx')).status).toBe(401);
  });

  it("answers each provider's windows, counts, what each priority may do, and open outages", async () => {
    await budgets.hubspot.beforeCall('handoff', 'standard');
    await budgets.salesforce.beforeCall('bulk');
    await writeReportedUsage(fresh.db, 'salesforce', { used: 14_000, limit: 15_000, observedAt: new Date() });
    await openOutage(fresh.db, {
      provider: 'salesforce',
      kind: 'auth',
      reason: 'token refresh refused: invalid_grant',
      retryAt: Date.now() + 60_000,
    });
    const response = await get('/api/budgets', TOKEN);
    expect(response.status).toBe(200);
    const body = budgetReportSchema.parse(await response.json());
    expect(body.hubspot.windows).toEqual([
      { bucket: 'hubspot:burst', max: 190, windowMs: 10_000, inUse: 1 },
      { bucket: 'hubspot:search', max: 4, windowMs: 1_000, inUse: 0 },
    ]);
    expect(body.hubspot.daily).toMatchObject({ limit: 650_000, used: 1, timezone: 'Europe/Berlin' });
    expect(body.hubspot.priorities.bulk.proceed).toBe(true);
    expect(body.salesforce).toMatchObject({ allocation: 5_000, callsLast24h: { bulk: 1 }, org: { used: 14_000, limit: 15_000 } });
    // 14,000 of the org's 15,000: 93 % is past sync's 90 % and bulk's 70 %, handoffs still go.
    expect([
      body.salesforce.priorities.handoff.proceed,
      body.salesforce.priorities.sync.proceed,
      body.salesforce.priorities.bulk.proceed,
    ]).toEqual([true, false, false]);
    expect(body.salesforce.outages).toEqual([expect.objectContaining({ kind: 'auth', reason: 'token refresh refused: invalid_grant' })]);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await (await get('/api/openapi.json', TOKEN)).json()) as {
      paths: Record<string, { get?: { responses: Record<string, unknown> } }>;
    };
    expect(Object.keys(doc.paths['/api/budgets']?.get?.responses ?? {})).toEqual(expect.arrayContaining(['200', '401']));
  });

  it('feeds the budget gauges on /metrics', async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toContain('handoff_api_rate_window_in_use{bucket="hubspot:burst"} 1');
    expect(text).toContain('handoff_api_rate_window_max{bucket="hubspot:burst"} 190');
    expect(text).toContain('handoff_hubspot_daily_remaining 649999');
    expect(text).toContain('handoff_salesforce_allocation_used 1');
    expect(text).toContain('handoff_salesforce_allocation_limit 5000');
    expect(text).toContain('handoff_api_outage_open{provider="salesforce",kind="auth"} 1');
    expect(text).toContain('handoff_api_outage_open{provider="hubspot",kind="budget"} 0');
  });
});
