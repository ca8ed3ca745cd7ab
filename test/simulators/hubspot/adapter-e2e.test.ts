import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createHubSpotAdapter } from '../../../src/adapters/hubspot/adapter.ts';
import { ProviderError } from '../../../src/errors.ts';
import { silentLogger } from '../../../src/log.ts';
import { type HubSpotSimulator, startHubSpotSimulator } from '../../../src/simulators/hubspot/server.ts';

const TOKEN = 'sim-token';
let sim: HubSpotSimulator;
let waits: number[];

function adapter(accessToken = TOKEN) {
  return createHubSpotAdapter({
    accessToken,
    baseUrl: sim.url,
    logger: silentLogger(),
    retryPolicy: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 },
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
}

async function api(method: string, path: string, body?: unknown, token = TOKEN) {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  sim = await startHubSpotSimulator({ accessToken: TOKEN, rateLimit: { windowMs: 10_000, max: 1000 } });
});
afterAll(async () => {
  await sim.close();
  nock.enableNetConnect();
  nock.restore(); // leave no interceptor on node's shared http/net modules for later files in this worker
});
beforeEach(() => {
  sim.reset();
  waits = [];
});

describe('adapter against the simulator', () => {
  it('reads only the asked properties, in chunks, with unknown ids as missing', async () => {
    const ids = Array.from({ length: 150 }, (_, i) =>
      sim.createContact({ email: `p${i}@example.com`, firstname: `P${i}`, lifecyclestage: 'lead' }),
    );
    const result = await adapter().readContacts([...ids, '999999'], ['email', 'lifecyclestage']);
    expect(result.contacts).toHaveLength(150);
    expect(result.missing).toEqual(['999999']);
    expect(Object.keys(result.contacts[0]!.properties).sort()).toEqual([
      'createdate',
      'email',
      'hs_object_id',
      'lastmodifieddate',
      'lifecyclestage',
    ]);
    expect(sim.calls.byEndpoint['POST /crm/v3/objects/contacts/batch/read']).toBe(2);
  });

  it('updates contacts and reports unknown ids as failed', async () => {
    const id = sim.createContact({ email: 'a@example.com' });
    const result = await adapter().updateContacts([
      { id, properties: { hs_lead_status: 'OPEN', lifecyclestage: 'salesqualifiedlead' } },
      { id: '424242', properties: { hs_lead_status: 'OPEN' } },
    ]);
    expect(result.updated).toEqual([id]);
    expect(result.failed).toEqual([{ id: '424242', status: 404, message: expect.stringContaining('OBJECT_NOT_FOUND') }]);
    expect(sim.contacts.get(id)?.properties).toMatchObject({ hs_lead_status: 'OPEN', lifecyclestage: 'salesqualifiedlead' });
  });

  it('fails a chunk that writes an unknown property without touching any contact', async () => {
    const id = sim.createContact({ email: 'b@example.com' });
    const result = await adapter().updateContacts([
      { id, properties: { firstname: 'B' } },
      { id: '1', properties: { no_such_prop: 'x' } },
    ]);
    expect(result.updated).toEqual([]);
    expect(result.failed.map((failure) => failure.status)).toEqual([400, 400]);
    expect(sim.contacts.get(id)?.properties.firstname).toBeUndefined();
  });

  it('pages through a search with filters and sorts', async () => {
    for (let i = 0; i < 5; i++)
      sim.createContact({
        email: `s${i}@example.com`,
        hubspotscore: String(i * 10),
        lifecyclestage: i % 2 ? 'lead' : 'marketingqualifiedlead',
      });
    const request = {
      filterGroups: [{ filters: [{ propertyName: 'hubspotscore', operator: 'GTE' as const, value: '10' }] }],
      sorts: [{ propertyName: 'hubspotscore', direction: 'DESCENDING' as const }],
      properties: ['hubspotscore'],
      limit: 3,
    };
    const first = await adapter().searchContacts(request);
    expect(first.contacts.map((contact) => contact.properties.hubspotscore)).toEqual(['40', '30', '20']);
    expect(first.after).toBeDefined();
    const second = await adapter().searchContacts({ ...request, after: first.after });
    expect(second.contacts.map((contact) => contact.properties.hubspotscore)).toEqual(['10']);
    expect(second.after).toBeUndefined();
  });

  it('rejects a wrong token with 401 and does not retry', async () => {
    const error = (await adapter('wrong')
      .readContacts(['1'], [])
      .catch((e: unknown) => e)) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.status).toBe(401);
    expect(error.message).toContain('INVALID_AUTHENTICATION');
    expect(sim.calls.total).toBe(1);
  });

  it('recovers from injected 429s and 503s by retrying', async () => {
    const id = sim.createContact({ email: 'r@example.com' });
    sim.injectFaults({ status: 429, count: 2, retryAfterSeconds: 1 });
    const result = await adapter().readContacts([id], ['email']);
    expect(result.contacts).toHaveLength(1);
    expect(waits).toEqual([5, 5]); // Retry-After 1s, capped by the test policy
    sim.injectFaults({ status: 503, count: 1 });
    await adapter().readContacts([id], ['email']);
    expect(sim.calls.byEndpoint['POST /crm/v3/objects/contacts/batch/read']).toBe(5);
  });
});

describe('simulator API rules', () => {
  it('refuses batches over 100 inputs', async () => {
    const inputs = Array.from({ length: 101 }, (_, i) => ({ id: String(i + 1) }));
    const answer = await api('POST', '/crm/v3/objects/contacts/batch/read', { inputs, properties: [] });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect(answer.body.correlationId).toEqual(expect.any(String));
  });

  it('answers 207 with OBJECT_NOT_FOUND for unknown ids', async () => {
    const id = sim.createContact({ email: 'x@example.com' });
    const answer = await api('POST', '/crm/v3/objects/contacts/batch/read', { inputs: [{ id }, { id: '777' }], properties: ['email'] });
    expect(answer.status).toBe(207);
    expect(answer.body.results).toHaveLength(1);
    expect(answer.body.errors[0]).toMatchObject({ category: 'OBJECT_NOT_FOUND', context: { ids: ['777'] } });
  });

  it('rate-limits in a rolling window with HubSpot headers, then recovers', async () => {
    let clock = 1_000_000;
    const limited = await startHubSpotSimulator({ accessToken: TOKEN, rateLimit: { windowMs: 10_000, max: 2 }, now: () => clock });
    try {
      const call = () => fetch(`${limited.url}/crm/v3/properties/contacts`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect((await call()).headers.get('x-hubspot-ratelimit-remaining')).toBe('1');
      expect((await call()).status).toBe(200);
      const refused = await call();
      expect(refused.status).toBe(429);
      expect(await refused.json()).toMatchObject({ policyName: 'TEN_SECONDLY_ROLLING', errorType: 'RATE_LIMIT' });
      expect(refused.headers.get('x-hubspot-ratelimit-max')).toBe('2');
      expect(refused.headers.get('retry-after')).toBe('10');
      clock += 10_001;
      expect((await call()).status).toBe(200);
      // The bench counts the 429s a phase drew from here, in-process and over HTTP alike.
      expect(limited.rateLimit).toEqual({ windowMs: 10_000, max: 2, refused: 1 });
      expect(await (await fetch(`${limited.url}/_sim/rate-limit`)).json()).toEqual({ windowMs: 10_000, max: 2, refused: 1 });
    } finally {
      await limited.close();
    }
  });

  it('moves lifecycle stage forward only through the API, unless cleared first', async () => {
    const id = sim.createContact({ lifecyclestage: 'opportunity' });
    const backwards = await api('PATCH', `/crm/v3/objects/contacts/${id}`, { properties: { lifecyclestage: 'lead' } });
    expect(backwards.status).toBe(200);
    expect(backwards.body.properties.lifecyclestage).toBe('opportunity');
    await api('PATCH', `/crm/v3/objects/contacts/${id}`, { properties: { lifecyclestage: '' } });
    expect(sim.contacts.get(id)?.properties.lifecyclestage).toBeUndefined();
    await api('PATCH', `/crm/v3/objects/contacts/${id}`, { properties: { lifecyclestage: 'lead' } });
    expect(sim.contacts.get(id)?.properties.lifecyclestage).toBe('lead');
    sim.updateContact(id, { lifecyclestage: 'subscriber' }); // a person in the UI may go back
    expect(sim.contacts.get(id)?.properties.lifecyclestage).toBe('subscriber');
  });

  it('creates custom properties and answers 409 on a duplicate', async () => {
    const definition = {
      name: 'handoff_reason',
      label: 'Handoff reason',
      type: 'string',
      fieldType: 'text',
      groupName: 'contactinformation',
    };
    expect((await api('POST', '/crm/v3/properties/contacts', definition)).status).toBe(201);
    expect((await api('POST', '/crm/v3/properties/contacts', definition)).status).toBe(409);
    expect((await api('GET', '/crm/v3/properties/contacts/handoff_reason')).body.name).toBe('handoff_reason');
  });

  it('keeps MANUAL list memberships', async () => {
    const id = sim.createContact({ email: 'l@example.com' });
    const created = await api('POST', '/crm/v3/lists', { name: 'Nurture', objectTypeId: '0-1', processingType: 'MANUAL' });
    const listId = created.body.list.listId as string;
    expect((await api('GET', '/crm/v3/lists/object-type-id/0-1/name/Nurture')).body.list.listId).toBe(listId);
    const added = await api('PUT', `/crm/v3/lists/${listId}/memberships/add`, [id, '999']);
    expect(added.body).toMatchObject({ recordsIdsAdded: [id], recordIdsMissing: ['999'] });
    expect((await api('GET', `/crm/v3/lists/${listId}/memberships`)).body.results).toEqual([
      { recordId: id, membershipTimestamp: expect.any(String) },
    ]);
    await api('PUT', `/crm/v3/lists/${listId}/memberships/remove`, [id]);
    expect((await api('GET', `/crm/v3/lists/${listId}/memberships`)).body.total).toBe(0);
  });
});
