import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createHubSpotAdapter } from '../../../src/adapters/hubspot/adapter.ts';
import { ProviderError } from '../../../src/errors.ts';
import { silentLogger } from '../../../src/log.ts';
import { SANDBOX_HUBSPOT_OWNERS } from '../../../src/simulators/hubspot/sandbox-owners.ts';
import { type HubSpotSimulator, startHubSpotSimulator } from '../../../src/simulators/hubspot/server.ts';

const TOKEN = 'sim-token';
const OWNER_ENDPOINT = 'GET /crm/v3/owners/{ownerId}';
let sim: HubSpotSimulator;

const adapter = () =>
  createHubSpotAdapter({
    accessToken: TOKEN,
    baseUrl: sim.url,
    logger: silentLogger(),
    retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    sleep: async () => {},
  });

async function api(method: string, path: string, body?: unknown, token = TOKEN): Promise<{ status: number; json: any }> {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: await response.json() };
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  sim = await startHubSpotSimulator({
    accessToken: TOKEN,
    rateLimit: { windowMs: 10_000, max: 10_000 },
    owners: SANDBOX_HUBSPOT_OWNERS,
    now: () => Date.parse('2026-03-02T09:00:00.000Z'),
  });
});
afterAll(async () => {
  await sim.close();
  nock.enableNetConnect();
  nock.restore();
});
beforeEach(() => sim.reset());

describe('owners over HTTP (HubSpot Owners API v3, "Retrieve an owner": GET /crm/v3/owners/{ownerId})', () => {
  it('the adapter finds the e-mail of a contact\'s owner (hubspot_owner_id, HubSpot\'s "Contact owner")', async () => {
    const created = await api('POST', '/_sim/contacts', { properties: { email: 'lead@buyer.example', hubspot_owner_id: '70001' } });
    expect(created.status).toBe(201);
    const hubspot = adapter();
    const { contacts } = await hubspot.readContacts([created.json.id], ['hubspot_owner_id']);
    const ownerId = contacts[0]?.properties.hubspot_owner_id;
    expect(ownerId).toBe('70001');
    expect(await hubspot.ownerEmails([ownerId as string])).toEqual(new Map([['70001', 'riley.rep@sales.example']]));
  });

  it('an unknown, archived or e-mail-less owner is absent; one request per distinct valid id', async () => {
    const queue = sim.addOwner({ type: 'QUEUE', firstName: 'Inbound queue' });
    sim.addOwner({ id: '70009', email: 'gone@sales.example', archived: true });

    const emails = await adapter().ownerEmails(['70002', '70001', queue.id, '70009', '123456', '70002', 'not-an-id']);

    expect([...emails]).toEqual([
      ['70002', 'sam.seller@sales.example'],
      ['70001', 'riley.rep@sales.example'],
    ]);
    expect(sim.calls.byEndpoint[OWNER_ENDPOINT]).toBe(5);
    expect(sim.refused).toEqual({ 404: 2 });
  });

  it('answers the documented owner shape; idProperty=userId and archived=true select as documented', async () => {
    const riley = await api('GET', '/crm/v3/owners/70001');
    expect(riley).toEqual({
      status: 200,
      json: {
        id: '70001',
        email: 'riley.rep@sales.example',
        type: 'PERSON',
        firstName: 'Riley',
        lastName: 'Rep',
        userId: 7_100_001,
        userIdIncludingInactive: 7_100_001,
        archived: false,
        createdAt: '2026-03-02T09:00:00.000Z',
        updatedAt: '2026-03-02T09:00:00.000Z',
      },
    });
    expect((await api('GET', '/crm/v3/owners/7100002?idProperty=userId')).json).toMatchObject({ id: '70002', userId: 7_100_002 });
    expect((await api('GET', '/crm/v3/owners/70001?idProperty=userId')).status).toBe(404);

    sim.addOwner({ id: '70009', email: 'gone@sales.example', archived: true, teams: [{ id: '178588', name: 'West', primary: true }] });
    expect((await api('GET', '/crm/v3/owners/70009')).json).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
    expect((await api('GET', '/crm/v3/owners/70009?archived=true')).json).toMatchObject({
      id: '70009',
      archived: true,
      teams: [{ id: '178588', name: 'West', primary: true }],
    });
    expect((await api('GET', '/crm/v3/owners/70001?archived=true')).status).toBe(404);
  });

  it('refuses a bad path id or query value (400), and a call without the token (401)', async () => {
    expect(await api('GET', '/crm/v3/owners/abc')).toMatchObject({ status: 400, json: { category: 'VALIDATION_ERROR' } });
    expect(await api('GET', '/crm/v3/owners/70001?idProperty=email')).toMatchObject({
      status: 400,
      json: { category: 'VALIDATION_ERROR', message: expect.stringContaining('idProperty') },
    });
    expect(await api('GET', '/crm/v3/owners/70001?archived=yes')).toMatchObject({ status: 400 });
    expect(await api('GET', '/crm/v3/owners/70001', undefined, 'wrong-token')).toMatchObject({
      status: 401,
      json: { category: 'INVALID_AUTHENTICATION' },
    });
  });

  it('an injected 403 on the owners endpoint reaches the caller as a permanent ProviderError', async () => {
    sim.injectFaults({ status: 403, count: 1, endpoint: OWNER_ENDPOINT });
    const failure = await adapter()
      .ownerEmails(['70001'])
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderError);
    expect(failure).toMatchObject({ status: 403, retryable: false });
  });
});

describe('/_sim/owners', () => {
  it('adds an owner with a made-up id and userId, lists it, and reset brings back only the seeded owners', async () => {
    const added = await api('POST', '/_sim/owners', { email: 'new.rep@sales.example' });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({ id: expect.stringMatching(/^[1-9][0-9]*$/), type: 'PERSON', archived: false });
    expect(typeof added.json.userId).toBe('number');
    expect((await api('GET', `/crm/v3/owners/${added.json.id}`)).json.email).toBe('new.rep@sales.example');
    expect((await api('GET', '/_sim/owners')).json.map((o: { id: string }) => o.id)).toEqual(['70001', '70002', added.json.id]);

    sim.reset();
    expect(sim.owners.all().map((o) => o.id)).toEqual(['70001', '70002']);
  });

  it.each([
    ['an e-mail that is not one', { email: 'not-an-email' }, 'email'],
    ['an id with letters', { id: 'o-1' }, 'id'],
    ['an unknown field', { mail: 'x@y.example' }, 'mail'],
    ['an unknown type', { type: 'TEAM' }, 'type'],
  ])('refuses %s with a 400 naming the field', async (_what, body, field) => {
    const answer = await api('POST', '/_sim/owners', body);
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ category: 'VALIDATION_ERROR', message: expect.stringContaining(field) });
  });

  it('refuses an id already taken (409)', async () => {
    expect(await api('POST', '/_sim/owners', { id: '70001', email: 'twin@sales.example' })).toMatchObject({
      status: 409,
      json: { category: 'CONFLICT' },
    });
  });
});
