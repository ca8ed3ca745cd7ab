import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Router } from 'express';
import type { AlertSender, SlaAlert } from '../../src/adapters/alerts/alert-sender.ts';
import type { HubSpotPort } from '../../src/adapters/hubspot/hubspot-port.ts';
import type { ListIdResolver } from '../../src/adapters/hubspot/list-ids.ts';
import { adminApiRouter, adminRoutes } from '../../src/http/admin/admin-api-router.ts';
import { openApiPath } from '../../src/http/admin/openapi.ts';
import { createParkedWork, type ParkedWorkPort } from '../../src/http/admin/parked-work.ts';
import { createRecordLookup } from '../../src/http/admin/record-lookup.ts';
import { createAdminSessions, postgresSessionStore } from '../../src/http/admin/sessions.ts';
import { adminPageRouter } from '../../src/http/admin-page/admin-page-router.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { createParkedReplayer } from '../../src/jobs/parked/replay-parked.ts';
import { silentLogger } from '../../src/log.ts';
import { appendHistory } from '../../src/store/history.ts';
import { pendingEvents } from '../../src/store/inbox.ts';
import { upsertLink } from '../../src/store/links.ts';
import { getParked, listParked, park } from '../../src/store/parked.ts';
import { type FreshDatabase, freshDatabase } from '../support/databases.ts';
import { listenOnLoopback } from '../support/http.ts';
import { FakeConfigVersions } from './support/fake-config-versions.ts';

const TOKEN = 'test-admin-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
let fresh: FreshDatabase;
let versions: FakeConfigVersions;
let apiRouter: Router;
let server: { url: string; close: () => Promise<void> };
let disabled: { url: string; close: () => Promise<void> };
const queued: string[] = [];
const alertsSent: SlaAlert[] = [];
/** Parked more than this many times, an item needs a person. */
const MAX_AUTO_REPLAYS = 3;

async function call(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; base?: string } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${options.base ?? server.url}${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  const isJson = (response.headers.get('content-type') ?? '').includes('json');
  return { status: response.status, headers: response.headers, text, json: (isJson ? JSON.parse(text) : undefined) as any };
}
const get = (path: string, headers: Record<string, string> = auth) => call('GET', path, { headers });
const post = (path: string, body: unknown = {}, headers: Record<string, string> = auth) => call('POST', path, { body, headers });

function serve(adminToken: string | undefined, parked: ParkedWorkPort) {
  const logger = silentLogger();
  const sessions = createAdminSessions(postgresSessionStore(fresh.db));
  const router = adminApiRouter({ adminToken, configVersions: versions, records: createRecordLookup(fresh.db), parked, sessions, logger });
  const app = createHttpApp({ logger, routers: [router, adminPageRouter({ adminToken, sessions, logger })] });
  // Local proxies are trusted: a test speaks as another client, or over https, with X-Forwarded-For and -Proto.
  app.set('trust proxy', 'loopback');
  return { router, app };
}

beforeAll(async () => {
  fresh = await freshDatabase();
  versions = await FakeConfigVersions.seeded();
  // The real replay over the store; only the providers are stand-ins (an alert target refusing one Lead).
  const alerts: Pick<AlertSender, 'send'> = {
    send: async (alert) => {
      if (alert.leadId === '00Q-refused') throw new Error('alert not delivered: Slack webhook answered 500');
      alertsSent.push(alert);
    },
  };
  const replay = createParkedReplayer({
    db: fresh.db,
    hubspot: {} as HubSpotPort,
    lists: {} as ListIdResolver,
    alerts,
    now: () => new Date(),
    logger: silentLogger(),
    queueContacts: async (ids) => void queued.push(...ids),
  });
  const parked = createParkedWork(fresh.db, replay, { maxAutoReplays: MAX_AUTO_REPLAYS });
  const enabled = serve(TOKEN, parked);
  apiRouter = enabled.router;
  server = await listenOnLoopback(enabled.app);
  disabled = await listenOnLoopback(serve(undefined, parked).app);
});

afterAll(async () => {
  await server?.close();
  await disabled?.close();
  await fresh?.cleanup();
});

/** Every mounted route with sample path parameters, for the checks that must hold on all of them. */
function mountedRoutes(): { method: string; path: string }[] {
  const layers = (apiRouter as unknown as { stack: { route?: { path: string; methods: Record<string, boolean> } }[] }).stack;
  return layers.flatMap((layer) =>
    layer.route ? Object.keys(layer.route.methods).map((method) => ({ method, path: layer.route!.path })) : [],
  );
}
const withSampleParams = (path: string) => path.replace(':id', '1').replace(':key', '123');

describe('admin API authentication', () => {
  it('answers 401 on every route without a token, with a wrong one, and with a token of another length', async () => {
    const routes = mountedRoutes();
    expect(routes.length).toBe(
      adminRoutes({
        configVersions: versions,
        records: createRecordLookup(fresh.db),
        parked: createParkedWork(fresh.db, async () => ({ status: 'not_open' }), { maxAutoReplays: 5 }),
      }).length,
    );
    let client = 0;
    for (const route of routes) {
      const attempts: Record<string, string>[] = [
        {},
        { authorization: `Bearer ${TOKEN.slice(0, -1)}x` },
        { authorization: 'Bearer short' },
        { authorization: TOKEN },
      ];
      for (const attempt of attempts) {
        // Each attempt from another client: failed attempts are counted per client (tested in admin-failed-auth).
        client += 1;
        const headers = { ...attempt, 'x-forwarded-for': `10.7.0.${client}` };
        const response = await call(route.method.toUpperCase(), withSampleParams(route.path), {
          headers,
          ...(route.method === 'post' ? { body: {} } : {}),
        });
        expect({ route, status: response.status }).toEqual({ route, status: 401 });
        expect(response.json.error.code).toBe('unauthorized');
        expect(response.headers.get('www-authenticate')).toContain('Bearer');
      }
    }
  });

  it('answers 503 with the reason on every route when ADMIN_TOKEN is unset', async () => {
    for (const route of mountedRoutes()) {
      const response = await call(route.method.toUpperCase(), withSampleParams(route.path), { headers: auth, base: disabled.url });
      expect(response.status).toBe(503);
      expect(response.json.error).toEqual({ code: 'admin_disabled', message: 'admin API disabled: set ADMIN_TOKEN' });
    }
    expect((await call('POST', '/admin/session', { body: { token: TOKEN, name: 'Ana' }, base: disabled.url })).status).toBe(503);
  });

  it('trades the token for an HttpOnly SameSite=Strict session cookie the API accepts', async () => {
    expect((await post('/admin/session', { token: 'wrong', name: 'Ana' }, {})).status).toBe(401);
    const login = await post('/admin/session', { token: TOKEN, name: 'Ana' }, {});
    expect(login.status).toBe(200);
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^handoff_admin=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).not.toContain('Secure');
    const cookie = setCookie.split(';')[0]!;
    expect((await get('/api/config/versions', { cookie })).status).toBe(200);
    const tampered = cookie.replace(/=(.)/, (_all, c: string) => `=${c === 'A' ? 'B' : 'A'}`);
    expect((await get('/api/config/versions', { cookie: tampered })).status).toBe(401);
    // The last character's two unused bits flipped: another spelling of the same bytes is another session id.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = cookie.replace(/.$/, (c) => alphabet[alphabet.indexOf(c) ^ 1]!);
    expect((await get('/api/config/versions', { cookie: respelled })).status).toBe(401);
    expect((await get('/api/config/versions', { cookie })).status).toBe(200);
  });

  it('marks the cookie Secure when the request came over https through a local proxy', async () => {
    const login = await post('/admin/session', { token: TOKEN, name: 'Ana' }, { 'x-forwarded-proto': 'https' });
    expect(login.headers.get('set-cookie')).toContain('Secure');
  });
});

describe('configuration versions', () => {
  it('lists, reads and shows the active version', async () => {
    const list = await get('/api/config/versions');
    expect(list.status).toBe(200);
    expect(list.json.versions).toEqual([expect.objectContaining({ id: 'v1', status: 'active', author: 'seed' })]);
    expect((await get('/api/config/active')).json).toMatchObject({ id: 'v1', files: { 'field-mapping.yaml': expect.any(String) } });
    expect((await get('/api/config/versions/v1')).json.id).toBe('v1');
    const missing = await get('/api/config/versions/v404');
    expect(missing.status).toBe(404);
    expect(missing.json.error).toEqual({ code: 'not_found', message: 'configuration version v404 not found' });
  });

  it('creates a draft with the author from X-Admin-Name, validates, dry-runs and publishes it', async () => {
    const active = (await get('/api/config/active')).json;
    const files = { ...active.files, 'mql-definition.yaml': `${active.files['mql-definition.yaml']}\n# tuned\n` };
    const created = await post('/api/config/versions', { files, comment: 'tune', basedOn: 'v1' }, { ...auth, 'x-admin-name': 'Ana Ops' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ status: 'draft', author: 'Ana Ops', comment: 'tune', basedOn: 'v1' });
    expect(created.json.diff).toContain('+# tuned');
    const id = created.json.id as string;

    expect((await post(`/api/config/versions/${id}/validate`, {})).json).toEqual({ ok: true, problems: [] });
    expect((await post(`/api/config/versions/${id}/validate`, { live: true })).status).toBe(200);
    expect(versions.calls.filter((c) => c.method === 'validate').map((c) => c.args[1])).toEqual(
      expect.arrayContaining([{ live: false }, { live: true }]),
    );

    const byId = await post(`/api/config/versions/${id}/dry-run`, { contactId: '501' });
    expect(byId.json).toMatchObject({ contactId: '501', active: { version: 'v1' }, draft: { version: id } });
    const bySample = await post(`/api/config/versions/${id}/dry-run`, { sample: { email: 'a@b.test', jobtitle: 'CTO' } });
    expect(bySample.json.contactId).toBeNull();
    expect(versions.calls.at(-1)).toEqual({ method: 'dryRun', args: [id, { sample: { email: 'a@b.test', jobtitle: 'CTO' } }] });

    const published = await post(`/api/config/versions/${id}/publish`, {}, { ...auth, 'x-admin-name': 'Ana Ops' });
    expect(published.status).toBe(200);
    expect(published.json).toMatchObject({ id, status: 'active' });
    expect(versions.calls.at(-1)).toEqual({ method: 'publish', args: [id, { author: 'Ana Ops' }] });
    expect((await get('/api/config/active')).json.id).toBe(id);
  });

  it('refuses to publish an invalid draft with every problem (422) and keeps the active version', async () => {
    const active = (await get('/api/config/active')).json;
    const files = { ...active.files, 'field-mapping.yaml': 'version: "x"\nfields: 12\n' };
    const draft = (await post('/api/config/versions', { files })).json;
    expect(draft.author).toBe('admin');
    const report = (await post(`/api/config/versions/${draft.id}/validate`, {})).json;
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ file: 'field-mapping.yaml', source: 'schema' });
    const refused = await post(`/api/config/versions/${draft.id}/publish`);
    expect(refused.status).toBe(422);
    expect(refused.json.error.code).toBe('invalid_version');
    expect(refused.json.error.details.problems).toEqual(report.problems);
    expect((await get('/api/config/active')).json.id).toBe(active.id);
  });

  it('rolls back to an earlier version with a default comment', async () => {
    const rolled = await post('/api/config/versions/v1/rollback', {}, { ...auth, 'x-admin-name': 'Bo' });
    expect(rolled.status).toBe(200);
    expect(rolled.json).toMatchObject({ status: 'active', author: 'Bo', comment: 'rollback to v1' });
    expect(rolled.json.files).toEqual((await get('/api/config/versions/v1')).json.files);
    expect((await post('/api/config/versions/v404/rollback')).status).toBe(404);
  });

  it('exports all files as JSON, or one as YAML text', async () => {
    const all = await get('/api/config/versions/v1/export');
    expect(Object.keys(all.json.files).sort()).toEqual([
      'field-mapping.yaml',
      'mql-definition.yaml',
      'rejection-reasons.yaml',
      'revenue.yaml',
      'routing.yaml',
      'sla-rules.yaml',
      'sql-definition.yaml',
      'status-map.yaml',
    ]);
    const one = await get('/api/config/versions/v1/export?file=status-map.yaml');
    expect(one.headers.get('content-type')).toBe('text/yaml; charset=utf-8');
    expect(one.text).toBe(all.json.files['status-map.yaml']);
    expect((await get('/api/config/versions/v1/export?file=nope.yaml')).status).toBe(404);
  });

  it('answers 400 with the path of every invalid param, query, body and header', async () => {
    const cases: [Promise<{ status: number; json: any }>, string, string[]][] = [
      [post('/api/config/versions', { files: { 'Bad Name': 'x' }, extra: 1 }), 'invalid_body', ['files.Bad Name', '(body)']],
      [post('/api/config/versions', { files: {} }), 'invalid_body', ['files']],
      [post('/api/config/versions/v1/validate', { live: 'yes' }), 'invalid_body', ['live']],
      [post('/api/config/versions/v1/dry-run', { contactId: '1', sample: {} }), 'invalid_body', ['(body)']],
      [post('/api/config/versions/v1/dry-run', { sample: { email: 5 } }), 'invalid_body', ['sample.email']],
      [post('/api/config/versions/v1/dry-run', { contactId: 'abc' }), 'invalid_body', ['contactId']],
      [get('/api/config/versions/v1/export?file=../etc/passwd'), 'invalid_query', ['file']],
      [get('/api/parked?limit=9999&open=maybe'), 'invalid_query', ['open', 'limit']],
      [post('/api/parked/abc/retry'), 'invalid_params', ['id']],
      [get('/api/parked?kind=Bad-Kind&provider=zendesk&code=a%20b'), 'invalid_query', ['kind', 'provider', 'code']],
      [post('/api/parked/retry-all', { kind: 5, waitingFor: 'Budget!', extra: true }), 'invalid_body', ['kind', 'waitingFor', '(body)']],
      [post('/api/parked/1/retry', { force: true }), 'invalid_body', ['(body)']],
      [post('/api/parked/retry-all', {}, { ...auth, 'x-admin-name': '' }), 'invalid_header', ['x-admin-name']],
      [post('/api/config/versions/v1/publish', {}, { ...auth, 'x-admin-name': '' }), 'invalid_header', ['x-admin-name']],
      [post('/api/config/versions/v1/publish', {}, { ...auth, 'x-admin-name': 'a\tb' }), 'invalid_header', ['x-admin-name']],
    ];
    for (const [pending, code, paths] of cases) {
      const response = await pending;
      expect(response.status).toBe(400);
      expect(response.json.error.code).toBe(code);
      expect(response.json.error.details.map((d: { path: string }) => d.path).sort()).toEqual([...paths].sort());
    }
    const malformed = await call('POST', '/api/config/versions', { headers: { ...auth, 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
  });
});

describe('records and parked work over the store', () => {
  beforeAll(async () => {
    await upsertLink(fresh.db, { hubspotContactId: '501', salesforceObject: 'Lead', salesforceId: '00Q000000000001AAA' });
    await appendHistory(fresh.db, [
      {
        hubspotContactId: '501',
        action: 'handed_off',
        reason: 'score 80 >= 70',
        definitionVersion: '2025.1@abcdef0',
        score: 80,
        at: new Date('2025-03-01T10:00:00Z'),
      },
      { hubspotContactId: '501', action: 'status_synced', reason: 'Working', at: new Date('2025-03-01T11:00:00Z') },
      { hubspotContactId: '777', action: 'not_qualified', reason: 'score 10 < 70' },
    ]);
  });

  it('looks a record up by contact id or Salesforce id and shows its link and full history', async () => {
    const byContact = await get('/api/records/501');
    expect(byContact.status).toBe(200);
    expect(byContact.json).toMatchObject({
      matchedBy: 'hubspotContactId',
      hubspotContactId: '501',
      link: { salesforceObject: 'Lead', salesforceId: '00Q000000000001AAA' },
    });
    expect(byContact.json.history.map((e: { action: string }) => e.action)).toEqual(['handed_off', 'status_synced']);
    const byLead = await get('/api/records/00Q000000000001AAA');
    expect(byLead.json).toMatchObject({ matchedBy: 'salesforceId', hubspotContactId: '501' });
    expect((await get('/api/records/777')).json).toMatchObject({ link: null, history: [{ action: 'not_qualified' }] });
    expect((await get('/api/records/999')).status).toBe(404);
    const email = await get('/api/records/someone%40example.test');
    expect(email.status).toBe(400);
    expect(email.json.error.code).toBe('unsupported_key');
  });

  it('resolves an e-mail through the injected resolver when one is wired', async () => {
    const lookup = createRecordLookup(fresh.db, { contactIdForEmail: async (email) => (email === 'x@y.test' ? '501' : undefined) });
    expect(await lookup.find('x@y.test')).toMatchObject({ matchedBy: 'email', hubspotContactId: '501' });
    expect(await lookup.find('nobody@y.test')).toBeUndefined();
  });

  const alert = (leadId: string): SlaAlert => ({
    event: 'sla_breached',
    clock: 'first_touch',
    leadId,
    hubspotContactId: '501',
    rule: 'Demo request: 30 min',
    dueAt: '2025-03-01T10:30:00.000Z',
    lateByMs: 60_000,
    text: `SLA breached for Lead ${leadId}`,
  });
  const item = async (id: string) => (await get('/api/parked?open=false')).json.items.find((i: { id: string }) => i.id === id);

  it('lists parked work with its provider message, waitingFor and replays, filtered by kind, provider, code or waitingFor', async () => {
    await park(fresh.db, {
      kind: 'handoff',
      recordKey: '601',
      provider: 'salesforce',
      message: 'FIELD_CUSTOM_VALIDATION_EXCEPTION: Region is required',
      context: { code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' },
    });
    await park(fresh.db, {
      kind: 'handoff',
      recordKey: '602',
      provider: 'salesforce',
      message: 'REQUEST_LIMIT_EXCEEDED',
      context: { code: 'REQUEST_LIMIT_EXCEEDED', waitingFor: 'salesforce_budget' },
    });
    await park(fresh.db, {
      kind: 'sla_alert',
      recordKey: '00Q-ok:first_touch',
      message: 'alert webhook answered 503',
      context: { alert: alert('00Q-ok') },
    });

    const listed = (await get('/api/parked')).json.items;
    expect(listed.map((i: { recordKey: string }) => i.recordKey)).toEqual(['00Q-ok:first_touch', '602', '601']);
    expect(listed[2]).toMatchObject({
      kind: 'handoff',
      provider: 'salesforce',
      message: 'FIELD_CUSTOM_VALIDATION_EXCEPTION: Region is required',
      context: { code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' },
      attempts: 1,
      waitingFor: null,
      needsPerson: false,
      replays: [],
      resolvedAt: null,
      chainId: listed[2].id,
    });
    const keys = async (query: string) => (await get(`/api/parked?${query}`)).json.items.map((i: { recordKey: string }) => i.recordKey);
    expect(await keys('kind=handoff')).toEqual(['602', '601']);
    expect(await keys('code=FIELD_CUSTOM_VALIDATION_EXCEPTION')).toEqual(['601']);
    expect(await keys('waitingFor=salesforce_budget')).toEqual(['602']);
    expect(await keys('provider=salesforce&kind=sla_alert')).toEqual([]);
    expect(await keys('limit=1')).toHaveLength(1);
  });

  it('replays a handoff as a durable inbox entry, resolves it, and answers 404 for a second replay', async () => {
    const [handoff] = await listParked(fresh.db, { open: true, code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' });
    const replayed = await post(`/api/parked/${handoff!.id}/retry`, {}, { ...auth, 'x-admin-name': 'Ana Ops' });
    expect(replayed.status).toBe(200);
    expect(replayed.json).toEqual({ id: handoff!.id, kind: 'handoff', recordKey: '601', outcome: 'handed_off', retried: true });
    // The inbox holds the replay for the handoff job (and its sweeper), whatever happens to the queue.
    const pending = await pendingEvents(fresh.db, ['601']);
    expect(pending).toEqual([
      expect.objectContaining({
        eventType: 'handoff.replay',
        source: 'handoff',
        objectType: 'contact',
        dedupeKey: `replay:parked:${handoff!.id}`,
      }),
    ]);
    expect(pending[0]!.payload).toEqual({ parkedId: handoff!.id, chainId: handoff!.id, attempts: 1, actor: 'Ana Ops' });
    expect(queued).toEqual(['601']);
    expect(await item(handoff!.id)).toMatchObject({
      resolvedAt: expect.any(String),
      replays: [{ parkedId: handoff!.id, actor: 'Ana Ops', outcome: 'handed_off', message: null, at: expect.any(String) }],
    });
    expect((await get('/api/records/601')).json.history.at(-1)).toMatchObject({
      action: 'replayed',
      reason: expect.stringContaining('replayed by Ana Ops: handed_off'),
    });

    const again = await post(`/api/parked/${handoff!.id}/retry`);
    expect(again.status).toBe(404);
    expect(again.json.error.code).toBe('not_found');
    expect((await post('/api/parked/987654/retry')).status).toBe(404);
    expect(await pendingEvents(fresh.db, ['601'])).toHaveLength(1);
  });

  it('answers 409 naming the kind for work nothing can replay, and leaves the item open and uncounted', async () => {
    const mystery = await park(fresh.db, { kind: 'status_sync', recordKey: '00Q-mystery', message: 'bad picklist' });
    const refused = await post(`/api/parked/${mystery.id}/retry`);
    expect(refused.status).toBe(409);
    expect(refused.json.error).toMatchObject({
      code: 'unknown_kind',
      message: expect.stringContaining("kind 'status_sync' cannot be replayed"),
    });
    expect(await getParked(fresh.db, mystery.id)).toMatchObject({ resolvedAt: null, attempts: 1 });
  });

  it('counts a replay that fails again, answers 502 with the attempts, and marks the item as needing a person past the limit', async () => {
    const stuck = await park(fresh.db, {
      kind: 'sla_alert',
      recordKey: '00Q-refused:first_touch',
      message: 'alert webhook answered 503',
      context: { alert: alert('00Q-refused') },
    });
    const failed = await post(`/api/parked/${stuck.id}/retry`);
    expect(failed.status).toBe(502);
    expect(failed.json.error).toEqual({
      code: 'replay_failed',
      message: 'alert not delivered: Slack webhook answered 500',
      details: { id: stuck.id, kind: 'sla_alert', recordKey: '00Q-refused:first_touch', attempts: 2, needsPerson: false },
    });
    expect(await item(stuck.id)).toMatchObject({
      resolvedAt: null,
      attempts: 2,
      message: 'alert not delivered: Slack webhook answered 500',
      replays: [{ actor: 'admin', outcome: 'failed' }],
    });
    await post(`/api/parked/${stuck.id}/retry`);
    const third = await post(`/api/parked/${stuck.id}/retry`);
    expect(third.json.error.details).toMatchObject({ attempts: 4, needsPerson: true });
    expect(await item(stuck.id)).toMatchObject({ needsPerson: true, attempts: 4 });
    expect((await item(stuck.id)).replays).toHaveLength(3);
  });

  it('replays in bulk by filter, listing what was replayed and what failed with reasons', async () => {
    const byKind = await post('/api/parked/retry-all', { kind: 'sla_alert' });
    expect(byKind.status).toBe(200);
    expect(byKind.json.retried).toEqual([expect.objectContaining({ kind: 'sla_alert', recordKey: '00Q-ok:first_touch', outcome: 'done' })]);
    expect(byKind.json.failed).toEqual([
      expect.objectContaining({ recordKey: '00Q-refused:first_touch', code: 'replay_failed', attempts: 5, needsPerson: true }),
    ]);
    expect(alertsSent.map((a) => a.leadId)).toEqual(['00Q-ok']);

    const byWaiting = await post('/api/parked/retry-all', { waitingFor: 'salesforce_budget', provider: 'salesforce' });
    expect(byWaiting.json).toEqual({ retried: [expect.objectContaining({ recordKey: '602', outcome: 'handed_off' })], failed: [] });

    const everything = await post('/api/parked/retry-all');
    expect(everything.json.retried).toEqual([]);
    expect(everything.json.failed.map((f: { recordKey: string; code: string }) => [f.recordKey, f.code])).toEqual([
      ['00Q-mystery', 'unknown_kind'],
      ['00Q-refused:first_touch', 'replay_failed'],
    ]);
    expect((await listParked(fresh.db, { open: true })).map((i) => i.recordKey).sort()).toEqual(['00Q-mystery', '00Q-refused:first_touch']);
    expect(queued).toEqual(['601', '602']);
  });
});

describe('OpenAPI document', () => {
  it('describes every mounted route with its parameters, bodies, responses and the security schemes', async () => {
    const doc = (await get('/api/openapi.json')).json;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.adminToken).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    expect(doc.security).toContainEqual({ adminToken: [] });
    const routes = mountedRoutes();
    for (const route of routes) {
      const operation = doc.paths[openApiPath(route.path)]?.[route.method];
      expect({ route, documented: operation !== undefined }).toEqual({ route, documented: true });
      for (const name of route.path.match(/:(\w+)/g) ?? []) {
        expect(operation.parameters).toContainEqual(expect.objectContaining({ name: name.slice(1), in: 'path', required: true }));
      }
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['400', '401', '429', '503']));
      if (route.method === 'post') expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['403', '415']));
    }
    const documented = Object.values(doc.paths).reduce((n: number, methods) => n + Object.keys(methods as object).length, 0);
    expect(documented).toBe(routes.length);
    const draft = doc.paths['/api/config/versions'].post;
    expect(draft.requestBody.content['application/json'].schema.required).toEqual(['files']);
    expect(draft.parameters).toContainEqual(expect.objectContaining({ name: 'X-Admin-Name', in: 'header' }));
    expect(doc.paths['/api/parked'].get.parameters.map((p: { name: string }) => p.name)).toEqual([
      'open',
      'limit',
      'kind',
      'provider',
      'code',
      'waitingFor',
    ]);
    const bulk = doc.paths['/api/parked/retry-all'].post;
    expect(Object.keys(bulk.requestBody.content['application/json'].schema.properties)).toEqual(['kind', 'provider', 'code', 'waitingFor']);
    expect(Object.keys(doc.paths['/api/parked/{id}/retry'].post.responses)).toEqual(expect.arrayContaining(['200', '404', '409', '502']));
    expect(doc.paths['/api/config/versions/{id}'].get.responses['200'].content['application/json'].schema.properties.files).toBeDefined();
  });
});

describe('admin page', () => {
  it('serves the page and its modules from /admin with a strict content security policy', async () => {
    const page = await call('GET', '/admin/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<form id="login-form"');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const script = await call('GET', '/admin/js/app.js');
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect((await call('GET', '/admin/nope.js')).status).toBe(404);
  });
});
