import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import type { OpsAlert } from '../../../src/adapters/alerts/alert-sender.ts';
import { createHubSpotAdapter, type HubSpotAdapter } from '../../../src/adapters/hubspot/adapter.ts';
import { type ApiBudgets, createApiBudgets } from '../../../src/budgets/api-budgets.ts';
import { waitingForOf } from '../../../src/budgets/budget-errors.ts';
import { DEFAULT_SHARES } from '../../../src/core/budget/priority.ts';
import { ProviderError } from '../../../src/errors.ts';
import { silentLogger } from '../../../src/log.ts';
import { readReportedUsage } from '../../../src/store/api-budget.ts';
import type { Database } from '../../../src/store/database.ts';
import { useFreshDatabase } from '../../support/databases.ts';

const BASE = 'https://api.hubapi.com';
const READ = '/crm/v3/objects/contacts/batch/read';
const SEARCH = '/crm/v3/objects/contacts/search';
const JSON_HEADERS = { 'Content-Type': 'application/json' };
const answer = (id: string) => ({
  status: 'COMPLETE',
  results: [
    { id, properties: { hs_object_id: id }, createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-02-01T00:00:00.000Z', archived: false },
  ],
  startedAt: '2024-02-01T00:00:00.000Z',
  completedAt: '2024-02-01T00:00:01.000Z',
});
const rateHeaders = (extra: Record<string, string> = {}) => ({
  ...JSON_HEADERS,
  'X-HubSpot-RateLimit-Max': '100',
  'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
  'X-HubSpot-RateLimit-Remaining': '99',
  ...extra,
});
const limit429 = (policyName: string) => ({
  status: 'error',
  message: `You have reached your ${policyName.toLowerCase()} limit.`,
  errorType: 'RATE_LIMIT',
  correlationId: 'c-9',
  policyName,
});

beforeAll(() => {
  nock.disableNetConnect();
  // PostgreSQL is reached over its own socket protocol; only HTTP goes to nock.
  nock.enableNetConnect('127.0.0.1:5432');
});
afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

describe('HubSpot budget and rate-limit headers', () => {
  let db: Database;
  useFreshDatabase((given) => (db = given));
  const limiterWaits: number[] = [];
  const retryWaits: number[] = [];
  const alerts: OpsAlert[] = [];

  async function setUp(dailyLimit: number): Promise<{ budgets: ApiBudgets; hubspot: HubSpotAdapter }> {
    // Each test starts from empty shared state.
    await db.exec(
      'DELETE FROM api_call_counts; DELETE FROM api_reported_usage; DELETE FROM api_outages; DELETE FROM api_rate_slots; DELETE FROM api_urgent_calls;',
    );
    limiterWaits.length = 0;
    retryWaits.length = 0;
    alerts.length = 0;
    const budgets = createApiBudgets({
      db,
      logger: silentLogger(),
      hubspot: { burstLimit: 100, dailyLimit, timezone: 'UTC', shares: DEFAULT_SHARES },
      salesforce: { allocationShares: DEFAULT_SHARES, orgShares: DEFAULT_SHARES },
      alerts: { sendOps: async (alert) => void alerts.push(alert) },
      sleep: async (ms) => void limiterWaits.push(ms),
    });
    const hubspot = createHubSpotAdapter({
      accessToken: 'pat-test',
      baseUrl: BASE,
      logger: silentLogger(),
      budget: budgets.hubspot,
      priority: 'handoff',
      retryPolicy: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 60_000 },
      sleep: async (ms) => void retryWaits.push(ms),
    });
    return { budgets, hubspot };
  }

  it('reads the burst and daily headers of every answer: a lower max is honoured, the daily count corrected', async () => {
    const { budgets, hubspot } = await setUp(250_000);
    const scope = nock(BASE)
      .post(READ)
      .reply(
        200,
        answer('1'),
        rateHeaders({
          'X-HubSpot-RateLimit-Max': '40',
          'X-HubSpot-RateLimit-Remaining': '39',
          'X-HubSpot-RateLimit-Daily': '200000',
          'X-HubSpot-RateLimit-Daily-Remaining': '150000',
        }),
      );
    await hubspot.readContacts(['1'], []);
    scope.done();
    expect(budgets.hubspot.reportedBurst()).toEqual({ max: 40, windowMs: 10_000, remaining: 39 });
    expect(budgets.hubspot.windows('handoff', 'standard')).toEqual([
      { bucket: 'hubspot:reported:10000', max: 40, windowMs: 10_000, usable: 40, priority: 'handoff' },
    ]);
    expect(await readReportedUsage(db, 'hubspot')).toMatchObject({ used: 50_000, limit: 200_000 });
    const report = await budgets.report();
    // HubSpot's count replaces ours; the lower daily limit it reports wins over the configured one.
    expect(report.hubspot.daily).toMatchObject({ limit: 200_000, used: 50_000, timezone: 'UTC' });
    expect(report.hubspot.callsToday).toEqual({ handoff: 1 });
  });

  it('keeps the window slot of a call answered late until its answer arrives, for a success and a failure alike', async () => {
    const { hubspot } = await setUp(250_000);
    const ANSWER_MS = 300;
    const lastStamp = async () =>
      Number(
        (await db.query<{ at: number }>(`SELECT max(granted_at) AS at FROM api_rate_slots WHERE bucket = 'hubspot:burst'`)).rows[0]?.at,
      );
    const invalid = { status: 'error', message: 'Invalid input', category: 'VALIDATION_ERROR', correlationId: 'c-1' };
    const scope = nock(BASE)
      .post(READ)
      .delay(ANSWER_MS)
      .reply(200, answer('1'), JSON_HEADERS)
      .post(READ)
      .delay(ANSWER_MS)
      .reply(400, invalid, JSON_HEADERS);
    // HubSpot may count a call any time before it answers: the slot's next call keeps a full window from the answer.
    let started = Date.now();
    await hubspot.readContacts(['1'], []);
    expect(await lastStamp()).toBeGreaterThanOrEqual(started + ANSWER_MS - 5);
    started = Date.now();
    await expect(hubspot.readContacts(['2'], [])).rejects.toMatchObject({ status: 400 });
    expect(await lastStamp()).toBeGreaterThanOrEqual(started + ANSWER_MS - 5);
    scope.done();
  });

  it('lets bulk borrow the window a handoff leaves unused, all but a reserve, and keeps bulk to its share for a window after a handoff call', async () => {
    let clock = Date.parse('2026-03-02T10:00:00Z');
    await db.exec(
      'DELETE FROM api_call_counts; DELETE FROM api_reported_usage; DELETE FROM api_outages; DELETE FROM api_rate_slots; DELETE FROM api_urgent_calls;',
    );
    const budgets = createApiBudgets({
      db,
      logger: silentLogger(),
      now: () => clock,
      hubspot: { burstLimit: 100, dailyLimit: 250_000, timezone: 'UTC', shares: DEFAULT_SHARES },
      salesforce: { allocationShares: DEFAULT_SHARES, orgShares: DEFAULT_SHARES },
      sleep: async () => undefined,
    });
    const usable = (priority: 'handoff' | 'bulk') => budgets.hubspot.windows(priority, 'standard').map((w) => w.usable);
    expect(usable('bulk')).toEqual([95]);
    expect(usable('handoff')).toEqual([100]);
    await budgets.hubspot.beforeCall('bulk', 'standard');
    expect(usable('bulk')).toEqual([95]);
    await budgets.hubspot.beforeCall('handoff', 'standard');
    expect(usable('bulk')).toEqual([70]);
    clock += 9_999;
    expect(usable('bulk')).toEqual([70]);
    clock += 1;
    expect(usable('bulk')).toEqual([95]);
    // Search's own window (4 a second) is borrowed the same way: 3 of 4 instead of 2.
    expect(budgets.hubspot.windows('bulk', 'search').find((w) => w.bucket === 'hubspot:search')?.usable).toBe(3);
  });

  it('keeps bulk to its share on every replica for a window after a handoff call on any of them', async () => {
    let clock = Date.parse('2026-03-02T10:00:00Z');
    await db.exec(
      'DELETE FROM api_call_counts; DELETE FROM api_reported_usage; DELETE FROM api_outages; DELETE FROM api_rate_slots; DELETE FROM api_urgent_calls;',
    );
    // Two replicas: their own budgets (and processes), one database.
    const replica = () =>
      createApiBudgets({
        db,
        logger: silentLogger(),
        now: () => clock,
        hubspot: { burstLimit: 100, dailyLimit: 250_000, timezone: 'UTC', shares: DEFAULT_SHARES },
        salesforce: { allocationShares: DEFAULT_SHARES, orgShares: DEFAULT_SHARES },
        sleep: async () => undefined,
      });
    const handoffs = replica();
    const backfill = replica();
    const bulkUsable = () => backfill.hubspot.windows('bulk', 'standard').map((w) => w.usable);
    await backfill.hubspot.beforeCall('bulk', 'standard');
    expect(bulkUsable()).toEqual([95]);
    await handoffs.hubspot.beforeCall('handoff', 'standard');
    // The backfill's next call reads the shared state and learns of the other replica's handoff.
    await backfill.hubspot.beforeCall('bulk', 'standard');
    expect(bulkUsable()).toEqual([70]);
    clock += 9_999;
    expect(bulkUsable()).toEqual([70]);
    clock += 1;
    await backfill.hubspot.beforeCall('bulk', 'standard');
    expect(bulkUsable()).toEqual([95]);
    // Bulk calls are not urgent: reading the shared state after the backfill's calls, no one is held back.
    await handoffs.hubspot.snapshot();
    expect(handoffs.hubspot.windows('bulk', 'standard').map((w) => w.usable)).toEqual([95]);
  });

  it('refuses bulk work without calling once HubSpot reports 70 % of the day spent, while handoffs go on', async () => {
    const { budgets, hubspot } = await setUp(1_000);
    const scope = nock(BASE)
      .post(READ)
      .reply(200, answer('1'), rateHeaders({ 'X-HubSpot-RateLimit-Daily': '1000', 'X-HubSpot-RateLimit-Daily-Remaining': '300' }))
      .post(READ)
      .reply(200, answer('3'), rateHeaders());
    await hubspot.readContacts(['1'], []);
    const refused = await hubspot
      .withPriority('bulk')
      .readContacts(['2'], [])
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ProviderError);
    expect(refused).toMatchObject({ code: 'BUDGET_RESERVED', retryable: false });
    expect((refused as ProviderError).retryAfterMs).toBeGreaterThan(0);
    expect(waitingForOf(refused)).toBe('hubspot_budget');
    expect((await hubspot.readContacts(['3'], [])).contacts).toHaveLength(1);
    scope.done();
    expect(await budgets.isBudgetAvailable('hubspot_budget')).toBe(true);
  });

  it('without daily headers (an OAuth app) counts its own calls against the configured daily limit', async () => {
    const { budgets, hubspot } = await setUp(3);
    const scope = nock(BASE).post(READ).times(3).reply(200, answer('1'), rateHeaders());
    for (let i = 0; i < 3; i++) await hubspot.readContacts(['1'], []);
    const refused = await hubspot.readContacts(['1'], []).catch((error: unknown) => error);
    scope.done();
    expect(refused).toMatchObject({ code: 'BUDGET_RESERVED' });
    expect(await budgets.isBudgetAvailable('hubspot_budget')).toBe(false);
    expect((await budgets.report()).hubspot.daily).toMatchObject({ used: 3, limit: 3 });
  });

  it('waits as told on a burst 429 and holds the shared window back for that long', async () => {
    const { hubspot } = await setUp(250_000);
    const scope = nock(BASE)
      .post(READ)
      .reply(429, limit429('TEN_SECONDLY_ROLLING'), { ...rateHeaders({ 'X-HubSpot-RateLimit-Remaining': '0' }), 'Retry-After': '2' })
      .post(READ)
      .reply(200, answer('7'), rateHeaders());
    const result = await hubspot.readContacts(['7'], []);
    scope.done();
    expect(result.contacts).toHaveLength(1);
    expect(retryWaits).toEqual([2000]);
    // The retry's slot was booked no earlier than the pause: about two seconds after the 429.
    expect(limiterWaits).toHaveLength(1);
    expect(limiterWaits[0]).toBeGreaterThan(1_000);
  });

  it('turns a DAILY 429 into a shared outage until the portal day turns: work is parked, not retried, one alert', async () => {
    const { budgets, hubspot } = await setUp(250_000);
    const scope = nock(BASE).post(READ).reply(429, limit429('DAILY'), rateHeaders());
    const failure = await hubspot.readContacts(['1'], []).catch((error: unknown) => error);
    scope.done();
    expect(failure).toMatchObject({ code: 'RATE_LIMIT_DAILY', retryable: false });
    expect(waitingForOf(failure)).toBe('hubspot_budget');
    expect(retryWaits).toEqual([]);
    const next = await hubspot.readContacts(['1'], []).catch((error: unknown) => error);
    expect(next).toMatchObject({ code: 'BUDGET_EXHAUSTED' });
    expect(await budgets.isBudgetAvailable('hubspot_budget')).toBe(false);
    await hubspot.readContacts(['1'], []).catch(() => undefined);
    expect(alerts.map((alert) => alert.event)).toEqual(['hubspot_budget_exhausted']);
    expect((await budgets.report()).hubspot.outages).toEqual([expect.objectContaining({ kind: 'budget' })]);
  });

  it('holds back only the search window on a search 429 (policy SECONDLY)', async () => {
    const { hubspot } = await setUp(250_000);
    const scope = nock(BASE)
      .post(SEARCH)
      .reply(429, limit429('SECONDLY'), { ...JSON_HEADERS, 'Retry-After': '3' })
      .post(SEARCH)
      .reply(200, { total: 0, results: [] }, JSON_HEADERS)
      .post(READ)
      .reply(200, answer('1'), rateHeaders());
    await hubspot.searchContacts({ properties: ['email'], limit: 1 });
    expect(retryWaits).toEqual([3000]);
    expect(limiterWaits).toHaveLength(1);
    expect(limiterWaits[0]).toBeGreaterThan(1_500);
    await hubspot.readContacts(['1'], []);
    scope.done();
    expect(limiterWaits).toHaveLength(1);
  });

  it('gives CRM search its own lower limit: the fifth search in a second waits for a slot', async () => {
    const { hubspot } = await setUp(250_000);
    const scope = nock(BASE).post(SEARCH).times(6).reply(200, { total: 0, results: [] }, JSON_HEADERS);
    for (let i = 0; i < 6; i++) await hubspot.searchContacts({ properties: ['email'], limit: 1 });
    scope.done();
    // The injected sleep returns at once: searches 5 and 6 are booked a second after searches 1 and 2, so they wait.
    expect(limiterWaits).toHaveLength(2);
    for (const wait of limiterWaits) expect(wait).toBeGreaterThan(0);
  });
});
