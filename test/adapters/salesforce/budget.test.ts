import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createAlertSender } from '../../../src/adapters/alerts/alert-sender.ts';
import { createHubSpotAdapter } from '../../../src/adapters/hubspot/adapter.ts';
import { createListIdResolver } from '../../../src/adapters/hubspot/list-ids.ts';
import { createSalesforceAdapter, type SalesforceAdapter } from '../../../src/adapters/salesforce/adapter.ts';
import { type ApiBudgets, createApiBudgets } from '../../../src/budgets/api-budgets.ts';
import { waitingForOf } from '../../../src/budgets/budget-errors.ts';
import { loadMappings, type MappingsBundle } from '../../../src/config/mappings.ts';
import { DEFAULT_SHARES } from '../../../src/core/budget/priority.ts';
import { handoffContacts } from '../../../src/jobs/handoff/handoff-contacts.ts';
import { silentLogger } from '../../../src/log.ts';
import { type Database, openDatabase } from '../../../src/store/database.ts';
import { insertEvents } from '../../../src/store/inbox.ts';
import { listParked } from '../../../src/store/parked.ts';
import { createWorld, type World } from '../../e2e/support/world.ts';
import { alertReceiver } from '../../support/alert-receiver.ts';

const PROBE_MS = 800;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Salesforce budget, exhaustion and credentials against the simulator', () => {
  let world: World;
  let db: Database;
  let second: Database;
  let receiver: Awaited<ReturnType<typeof alertReceiver>>;
  let bundle: MappingsBundle;
  const authFailures: string[] = [];
  let nextEvent = 1;

  beforeAll(async () => {
    world = await createWorld();
    db = await world.openDb();
    // A second replica: its own pool on the same database.
    second = await openDatabase({ databaseUrl: world.env.DATABASE_URL!, logger: silentLogger(), migrate: false });
    receiver = await alertReceiver();
    bundle = await loadMappings('mappings');
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    await db?.close();
    await receiver?.close();
    await world?.close();
  });
  beforeEach(async () => {
    world.salesforce.reset();
    receiver.received.length = 0;
    authFailures.length = 0;
    await db.exec('DELETE FROM api_call_counts; DELETE FROM api_reported_usage; DELETE FROM api_outages;');
  });

  function replica(on: Database, allocation?: number): { budgets: ApiBudgets; salesforce: SalesforceAdapter } {
    const budgets = createApiBudgets({
      db: on,
      logger: silentLogger(),
      hubspot: { burstLimit: 100, dailyLimit: 250_000, timezone: 'UTC', shares: DEFAULT_SHARES },
      salesforce: {
        allocation,
        allocationShares: DEFAULT_SHARES,
        orgShares: DEFAULT_SHARES,
        probeIntervalMs: PROBE_MS,
        authRecheckMs: PROBE_MS,
      },
      alerts: createAlertSender({ opsWebhookUrl: `${receiver.url}/ops` }, silentLogger()),
      metrics: { budgetRefused: () => {}, rateLimitWait: () => {}, authFailure: (provider) => void authFailures.push(provider) },
    });
    const salesforce = createSalesforceAdapter({
      loginUrl: world.salesforce.url,
      instanceUrl: world.salesforce.url,
      clientId: world.env.SALESFORCE_CLIENT_ID!,
      clientSecret: world.env.SALESFORCE_CLIENT_SECRET!,
      refreshToken: world.env.SALESFORCE_REFRESH_TOKEN!,
      apiVersion: '66.0',
      logger: silentLogger(),
      budget: budgets.salesforce,
      priority: 'handoff',
      retryPolicy: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
    });
    return { budgets, salesforce };
  }

  /** A qualifying contact in HubSpot with a pending creation event, handed off through the real batch. */
  async function handOff(salesforce: SalesforceAdapter): Promise<string> {
    const id = world.hubspot.createContact({
      email: `b${nextEvent}@budget.example`,
      lastname: `B${nextEvent}`,
      company: 'Budget',
      demo_requested: 'true',
    });
    nextEvent += 1;
    await insertEvents(db, [
      {
        dedupeKey: `budget-${id}`,
        source: 'hubspot',
        eventType: 'contact.creation',
        objectType: 'contact',
        objectId: id,
        occurredAt: new Date(),
        payload: {},
      },
    ]);
    const hubspot = createHubSpotAdapter({
      accessToken: world.env.HUBSPOT_ACCESS_TOKEN!,
      baseUrl: world.hubspot.url,
      logger: silentLogger(),
    });
    await handoffContacts([id], {
      db,
      hubspot,
      lists: createListIdResolver(hubspot),
      salesforce,
      mappings: () => bundle,
      logger: silentLogger(),
      now: () => new Date(),
    });
    return id;
  }
  const parkedFor = async (contactId: string) => (await listParked(db, { open: true })).find((item) => item.recordKey === contactId);

  it('gives each priority its share of the allocation: bulk is refused first, handoffs last, without calling Salesforce', async () => {
    const { budgets, salesforce } = replica(db, 10);
    const bulk = salesforce.withPriority('bulk');
    const sync = salesforce.withPriority('sync');
    for (let i = 0; i < 7; i++) await bulk.query('SELECT Id FROM Lead');
    const refusedBulk = await bulk.query('SELECT Id FROM Lead').catch((error: unknown) => error);
    expect(refusedBulk).toMatchObject({ code: 'BUDGET_RESERVED', retryable: false });
    expect(waitingForOf(refusedBulk)).toBe('salesforce_budget');
    for (let i = 0; i < 2; i++) await sync.query('SELECT Id FROM Lead');
    await expect(sync.query('SELECT Id FROM Lead')).rejects.toMatchObject({ code: 'BUDGET_RESERVED' });
    await salesforce.query('SELECT Id FROM Lead');
    const refusedHandoff = await salesforce.query('SELECT Id FROM Lead').catch((error: unknown) => error);
    expect(refusedHandoff).toMatchObject({ code: 'BUDGET_RESERVED' });
    // The budget returns when the first calls leave the rolling 24 hours.
    expect((refusedHandoff as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(23 * 60 * 60 * 1000);
    expect(world.salesforce.calls.query).toBe(10);
    expect(await budgets.isBudgetAvailable('salesforce_budget')).toBe(false);
    const report = await budgets.report();
    expect(report.salesforce.callsLast24h).toEqual({ bulk: 7, sync: 2, handoff: 1 });
    expect(report.salesforce.priorities.handoff.proceed).toBe(false);
  });

  it('REQUEST_LIMIT_EXCEEDED parks the handoff, stops every replica cheaply, alerts once, and clears when a probe sees the budget back', async () => {
    const a = replica(db);
    const b = replica(second);
    world.salesforce.setApiUsage({ used: 1000, limit: 1000 });
    const contactId = await handOff(a.salesforce);
    const parked = await parkedFor(contactId);
    expect(parked).toMatchObject({ kind: 'handoff', provider: 'salesforce' });
    expect(parked?.context).toMatchObject({ waitingFor: 'salesforce_budget', code: 'REQUEST_LIMIT_EXCEEDED' });

    const before = world.salesforce.calls.total ?? 0;
    await expect(b.salesforce.query('SELECT Id FROM Lead')).rejects.toMatchObject({ code: 'BUDGET_EXHAUSTED', retryable: false });
    expect(world.salesforce.calls.total ?? 0).toBe(before);
    expect(await b.budgets.isBudgetAvailable('salesforce_budget')).toBe(false);

    // Still exhausted at the first probe; back at the next one. Each probe is one GET /limits, from one replica.
    await sleep(PROBE_MS + 50);
    expect(await a.budgets.isBudgetAvailable('salesforce_budget')).toBe(false);
    expect(await b.budgets.isBudgetAvailable('salesforce_budget')).toBe(false);
    world.salesforce.setApiUsage({ used: 10 });
    await sleep(PROBE_MS + 50);
    expect(await b.budgets.isBudgetAvailable('salesforce_budget')).toBe(true);
    expect(await a.budgets.isBudgetAvailable('salesforce_budget')).toBe(true);
    expect(world.salesforce.calls.limits).toBe(2);
    expect(await a.salesforce.query<{ Id: string }>('SELECT Id FROM Lead')).toEqual([]);
    expect(receiver.received.map((alert) => alert.event)).toEqual(['salesforce_budget_exhausted']);
  });

  it('an expired access token costs exactly one token request, and the call succeeds', async () => {
    const { salesforce } = replica(db);
    await salesforce.query('SELECT Id FROM Lead');
    expect(world.salesforce.calls.token).toBe(1);
    world.salesforce.expireAccessTokens();
    world.salesforce.createRecord('Lead', { LastName: 'Rep', Company: 'Acme' });
    expect(await salesforce.query('SELECT Id FROM Lead')).toHaveLength(1);
    expect(world.salesforce.calls.token).toBe(2);
    expect(receiver.received).toEqual([]);
  });

  it('a revoked refresh token alerts once, parks the work for credentials, and clears once the token works again', async () => {
    const a = replica(db);
    const b = replica(second);
    await a.salesforce.query('SELECT Id FROM Lead');
    world.salesforce.revokeRefreshToken();
    const first = await handOff(a.salesforce);
    const secondContact = await handOff(b.salesforce);
    for (const contactId of [first, secondContact]) {
      expect((await parkedFor(contactId))?.context).toMatchObject({ waitingFor: 'salesforce_auth' });
    }
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]).toMatchObject({ event: 'salesforce_auth_failed', provider: 'salesforce' });
    expect(JSON.stringify(receiver.received[0])).not.toContain(world.env.SALESFORCE_REFRESH_TOKEN!);
    expect(authFailures).toEqual(['salesforce']);
    // The second replica was refused before it sent anything: one token request for the one refused refresh.
    expect(world.salesforce.calls.token).toBe(2);
    expect(await b.budgets.isBudgetAvailable('salesforce_auth')).toBe(false);

    world.salesforce.restoreRefreshToken();
    await sleep(PROBE_MS + 50);
    expect(await b.budgets.isBudgetAvailable('salesforce_auth')).toBe(true);
    expect(await a.budgets.isBudgetAvailable('salesforce_auth')).toBe(true);
    expect(await a.salesforce.query("SELECT Id FROM Lead WHERE Email = 'nobody@budget.example'")).toEqual([]);
    expect(receiver.received).toHaveLength(1);
  });
});
