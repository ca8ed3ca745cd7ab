import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { adminApiRouter } from '../../src/http/admin/admin-api-router.ts';
import { createParkedWork } from '../../src/http/admin/parked-work.ts';
import { createRecordLookup } from '../../src/http/admin/record-lookup.ts';
import { type RoutingAdminDeps, routingKpiLabels } from '../../src/http/admin/routing-routes.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { createRoutingKpiReader } from '../../src/kpis/routing-kpis.ts';
import { silentLogger } from '../../src/log.ts';
import { OWNER_A, ROUTING_WINDOW, seedRouting } from '../kpis/routing-seed.ts';
import { type FreshDatabase, freshDatabase } from '../support/databases.ts';
import { listenOnLoopback } from '../support/http.ts';
import { fakeDirectory, PEOPLE, testRouting } from './routing-fixtures.ts';
import { FakeConfigVersions } from './support/fake-config-versions.ts';

const TOKEN = 'routing-admin-token-0123456789abcdef';
const auth = { authorization: `Bearer ${TOKEN}` };
// 00:30 on Tuesday 8 December in Berlin, still Monday 7 December in UTC.
const NOW = new Date('2026-12-07T23:30:00Z');
const [ANA, BEN, CARA] = PEOPLE;

let fresh: FreshDatabase;
let replicas: Array<{ url: string; close: () => Promise<void> }> = [];
let assignmentIds: Map<string, string>;

/** One replica's admin API over the shared database (a pause must reach the others through it). */
async function startReplica(overrides: Partial<RoutingAdminDeps> = {}) {
  const logger = silentLogger();
  const routing: RoutingAdminDeps = {
    db: fresh.db,
    routing: testRouting,
    resolveDirectory: fakeDirectory(),
    now: () => NOW,
    ...overrides,
  };
  const api = adminApiRouter({
    adminToken: TOKEN,
    configVersions: await FakeConfigVersions.seeded(),
    records: createRecordLookup(fresh.db),
    parked: createParkedWork(fresh.db, async () => ({ status: 'not_open' as const }), { maxAutoReplays: 5 }),
    routing,
    routingKpis: createRoutingKpiReader(fresh.db, routingKpiLabels(routing), logger),
    logger,
  });
  const server = await listenOnLoopback(createHttpApp({ logger, routers: [api] }));
  replicas.push(server);
  return server.url;
}

async function call(url: string, method: string, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { ...auth, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(method === 'POST' ? { body: '{}' } : {}),
  });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : undefined;
  return { status: response.status, headers: response.headers, text, json: json as any };
}

const memberRows = async () =>
  (await fresh.db.query('SELECT pool_id, member, credit, day::text, assigned_today, paused, paused_by FROM routing_members ORDER BY 1, 2'))
    .rows;
const member = (body: any, user: string) => body.pools[0].members.find((m: { user: string }) => m.user === user);

let one: string;
let two: string;

beforeAll(async () => {
  fresh = await freshDatabase();
  await fresh.db.query(
    `INSERT INTO routing_members (pool_id, member, credit, day, assigned_today) VALUES
       ('ent', 'ana@example.test', 0, '2026-12-08', 3),
       ('ent', 'ben@example.test', 0, '2026-12-07', 5),
       ('ent', 'cara@example.test', 1, '2026-12-07', 2)`,
  );
  assignmentIds = await seedRouting(fresh.db);
  one = await startReplica();
  two = await startReplica();
});

afterAll(async () => {
  for (const replica of replicas) await replica.close();
  replicas = [];
  await fresh?.cleanup();
});

describe('GET /api/routing/pools', () => {
  it('shows members, caps used in their local day, Salesforce status and who is next, without changing any state', async () => {
    const before = await memberRows();
    const { status, json } = await call(one, 'GET', '/api/routing/pools');
    expect(status).toBe(200);
    expect(json.routingVersion).toBe('routing-test-1');
    expect(json.directory).toEqual({ available: true, message: null });
    expect(json.pools.map((p: { id: string; kind: string }) => [p.id, p.kind])).toEqual([
      ['ent', 'members'],
      ['inbound', 'queue'],
    ]);
    const ent = json.pools[0];
    expect(ent).toMatchObject({ label: 'Enterprise reps', timeZone: 'Europe/Berlin', manager: 'lena@example.test', queue: null });
    // Ana's 3 are today's in Berlin: her cap is used up. Ben's 5 were yesterday's. Cara keeps UTC days: still the 7th.
    expect(member(json, 'ana@example.test')).toEqual({
      user: 'ana@example.test',
      name: 'Ana Ruiz',
      weight: 2,
      dailyCap: 3,
      day: '2026-12-08',
      assignedToday: 3,
      paused: false,
      pausedBy: null,
      pausedAt: null,
      salesforce: { userId: ANA?.id, active: true },
      availability: 'daily_cap_reached',
      availabilityDetail: 'daily cap 3 reached',
    });
    expect(member(json, 'ben@example.test')).toMatchObject({ day: '2026-12-08', assignedToday: 0, availability: 'eligible' });
    expect(member(json, 'cara@example.test')).toMatchObject({ day: '2026-12-07', assignedToday: 2, availability: 'eligible' });
    expect(member(json, 'dan@example.test')).toMatchObject({ availability: 'inactive_in_salesforce', salesforce: { active: false } });
    expect(member(json, 'eve@example.test')).toMatchObject({
      assignedToday: 0,
      availability: 'not_in_salesforce',
      salesforce: { userId: null, active: false },
    });
    // Ben and Cara are eligible with weight 1: credits 0+1 and 1+1, so Cara is next.
    expect(ent.next).toEqual({ member: 'cara@example.test', userId: CARA?.id });
    expect(json.pools[1]).toMatchObject({
      next: null,
      members: [],
      queue: { name: 'Inbound_Leads', id: '00G000000000001AAA', exists: true },
    });
    // Asking who is next deals nothing.
    expect(await memberRows()).toEqual(before);
  });

  it('still shows the pools when Salesforce cannot answer, saying why', async () => {
    const url = await startReplica({ resolveDirectory: fakeDirectory({ fail: true }) });
    const { status, json } = await call(url, 'GET', '/api/routing/pools');
    expect(status).toBe(200);
    expect(json.directory).toEqual({ available: false, message: 'Salesforce answered 503' });
    expect(json.pools[0].next).toBeNull();
    expect(member(json, 'ana@example.test')).toMatchObject({ name: null, salesforce: null, assignedToday: 3 });
    expect(json.pools[1].queue).toEqual({ name: 'Inbound_Leads', id: null, exists: null });
  });
});

describe('POST /api/routing/pools/:pool/members/:member/pause and resume', () => {
  it('pauses on one replica and every replica sees it; records who and when; resumes on another', async () => {
    const paused = await call(one, 'POST', '/api/routing/pools/ent/members/CARA%40example.test/pause', { 'x-admin-name': 'Pat Admin' });
    expect(paused.status).toBe(200);
    expect(paused.json).toEqual({
      pool: 'ent',
      member: 'cara@example.test',
      paused: true,
      pausedBy: 'Pat Admin',
      pausedAt: NOW.toISOString(),
      changed: true,
    });
    const seen = (await call(two, 'GET', '/api/routing/pools')).json;
    expect(member(seen, 'cara@example.test')).toMatchObject({ paused: true, pausedBy: 'Pat Admin', availability: 'paused' });
    expect(seen.pools[0].next).toEqual({ member: 'ben@example.test', userId: BEN?.id });

    // A second pause changes nothing: the first author and time stand.
    const again = await call(two, 'POST', '/api/routing/pools/ent/members/cara%40example.test/pause', { 'x-admin-name': 'Someone Else' });
    expect(again.json).toMatchObject({ paused: true, pausedBy: 'Pat Admin', changed: false });

    const resumed = await call(two, 'POST', '/api/routing/pools/ent/members/cara%40example.test/resume');
    expect(resumed.status).toBe(200);
    expect(resumed.json).toEqual({
      pool: 'ent',
      member: 'cara@example.test',
      paused: false,
      pausedBy: null,
      pausedAt: null,
      changed: true,
    });
    const after = (await call(one, 'GET', '/api/routing/pools')).json;
    expect(member(after, 'cara@example.test')).toMatchObject({ paused: false, availability: 'eligible' });
    expect(after.pools[0].next?.member).toBe('cara@example.test');
    // The pause left the turn where it stood: Cara's credit and count are untouched.
    expect((await memberRows()).find((r) => r.member === 'cara@example.test')).toMatchObject({ credit: 1, assigned_today: 2 });
  });

  it('pauses a member the pool never dealt a lead to, and resuming one never paused changes nothing', async () => {
    const paused = await call(one, 'POST', '/api/routing/pools/ent/members/dan%40example.test/pause');
    expect(paused.json).toMatchObject({ member: 'dan@example.test', paused: true, pausedBy: 'admin', changed: true });
    const resumed = await call(one, 'POST', '/api/routing/pools/ent/members/eve%40example.test/resume');
    expect(resumed.json).toMatchObject({ member: 'eve@example.test', paused: false, changed: false });
    await call(one, 'POST', '/api/routing/pools/ent/members/dan%40example.test/resume');
  });

  it.each([
    ['an unknown pool', '/api/routing/pools/nope/members/ana%40example.test/pause', 'pool'],
    ['someone not in the pool', '/api/routing/pools/ent/members/zed%40example.test/pause', 'member'],
    ['a queue pool', '/api/routing/pools/inbound/members/ana%40example.test/resume', 'member'],
  ])('answers 404 naming the path for %s', async (_name, path, issuePath) => {
    const { status, json } = await call(one, 'POST', path);
    expect(status).toBe(404);
    expect(json.error.code).toBe('not_found');
    expect(json.error.details.map((d: { path: string }) => d.path)).toEqual([issuePath]);
  });

  it('refuses a NUL in the member and an unauthenticated change', async () => {
    expect((await call(one, 'POST', '/api/routing/pools/ent/members/ana%00/pause')).status).toBe(400);
    const response = await fetch(`${one}/api/routing/pools/ent/members/ana%40example.test/pause`, { method: 'POST' });
    expect(response.status).toBe(401);
    expect((await memberRows()).find((r) => r.member === 'ana@example.test')?.paused).toBe(false);
  });
});

describe('GET /api/kpis/routing', () => {
  const window = `from=${ROUTING_WINDOW.from.toISOString().slice(0, 10)}&to=${ROUTING_WINDOW.to.toISOString().slice(0, 10)}`;

  it("answers by owner (the default) with the owners' names, and by pool with the pools' labels", async () => {
    const byOwner = await call(one, 'GET', `/api/kpis/routing?${window}`);
    expect(byOwner.status).toBe(200);
    expect(byOwner.json.by).toBe('owner');
    expect(byOwner.json.groups[0]).toMatchObject({ key: OWNER_A, label: 'Ana Ruiz', assigned: { total: 2 }, sql: 2 });
    const byPool = await call(one, 'GET', `/api/kpis/routing?${window}&by=pool`);
    expect(byPool.json.groups.map((g: { key: string; label: string }) => [g.key, g.label])).toEqual([
      ['ent', 'Enterprise reps'],
      [null, null],
    ]);
  });

  it('answers CSV for Accept: text/csv', async () => {
    const { status, headers, text } = await call(one, 'GET', `/api/kpis/routing?${window}&by=pool`, { accept: 'text/csv' });
    expect(status).toBe(200);
    expect(headers.get('content-disposition')).toBe('attachment; filename=routing-kpis-2026-11-01-2026-12-01-by-pool.csv');
    expect(text.split('\r\n')[1]).toMatch(/^ent,Enterprise reps,4,3,1,1,3,0\.75,/);
  });

  it.each([
    ['an unknown cut', `/api/kpis/routing?${window}&by=segment`, 'by'],
    ['no window', '/api/kpis/routing', 'from'],
  ])('refuses %s with 400 naming the path', async (_name, path, issuePath) => {
    const { status, json } = await call(one, 'GET', path);
    expect(status).toBe(400);
    expect(json.error.details.map((d: { path: string }) => d.path)).toContain(issuePath);
  });

  it('is in the OpenAPI document with the routing routes', async () => {
    const { json } = await call(one, 'GET', '/api/openapi.json');
    expect(json.paths['/api/kpis/routing']?.get.parameters.map((p: { name: string }) => p.name)).toEqual(['from', 'to', 'by', 'format']);
    expect(json.paths['/api/routing/pools']?.get).toBeDefined();
    expect(Object.keys(json.paths)).toContain('/api/routing/pools/{pool}/members/{member}/pause');
  });
});

describe('record look-up with routing', () => {
  it("shows a contact's routing decisions with their notifications' delivery, never the message or the address", async () => {
    const reroute = assignmentIds.get('r3');
    await fresh.db.query(
      `INSERT INTO owner_notifications (assignment_id, kind, channel, recipient_id, state, attempts, last_error, content, recipient)
       VALUES ($1, 'rerouted', 'slack', $2, 'parked', 5, 'users_not_found', '{"text":"New lead: Jo Doe"}', '{"email":"ana@example.test"}'),
              ($1, 'rerouted', 'email', $2, 'delivered', 1, NULL, NULL, NULL)`,
      [reroute, OWNER_A],
    );
    const { status, json, text } = await call(one, 'GET', '/api/records/k2');
    expect(status).toBe(200);
    expect(json.history.map((h: { action: string }) => h.action)).toEqual(['sql_qualified']);
    expect(json.routing.map((a: { kind: string; ownerId: string }) => [a.kind, a.ownerId])).toEqual([
      ['initial', '005B00000000001AAA'],
      ['reroute', OWNER_A],
    ]);
    const [, rerouted] = json.routing;
    expect(rerouted).toMatchObject({ poolId: 'ent', ruleId: 'pool', state: 'assigned', previousOwnerId: '005B00000000001AAA' });
    expect(rerouted.decision.reason).toBe('seed r3');
    expect(rerouted.notifications).toEqual([
      expect.objectContaining({ channel: 'slack', kind: 'rerouted', state: 'parked', attempts: 5, lastError: 'users_not_found' }),
      expect.objectContaining({ channel: 'email', state: 'delivered', attempts: 1, lastError: null }),
    ]);
    expect(text).not.toContain('Jo Doe');
    expect(text).not.toContain('ana@example.test');
  });

  it('finds a contact known only by its routing decision', async () => {
    const { status, json } = await call(one, 'GET', '/api/records/k6');
    expect(status).toBe(200);
    expect(json.routing).toEqual([expect.objectContaining({ state: 'released', notifications: [] })]);
  });
});
