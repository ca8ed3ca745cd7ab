import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createHubSpotAdapter } from '../../../src/adapters/hubspot/adapter.ts';
import type { ContactUpdate } from '../../../src/adapters/hubspot/hubspot-port.ts';
import { ProviderError } from '../../../src/errors.ts';
import { silentLogger } from '../../../src/log.ts';

const BASE = 'https://api.hubapi.com';
const TOKEN = 'pat-test-token';
const READ = '/crm/v3/objects/contacts/batch/read';
const UPDATE = '/crm/v3/objects/contacts/batch/update';
const JSON_HEADERS = { 'Content-Type': 'application/json' };

function adapter(waits: number[] = []) {
  return createHubSpotAdapter({
    accessToken: TOKEN,
    baseUrl: BASE,
    logger: silentLogger(),
    retryPolicy: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 60_000 },
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
}

function record(id: string, properties: Record<string, string | null> = {}) {
  return {
    id,
    properties: { hs_object_id: id, ...properties },
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-02-01T00:00:00.000Z',
    archived: false,
  };
}

function batchAnswer(results: unknown[], errors?: unknown[]) {
  return {
    status: 'COMPLETE',
    results,
    startedAt: '2024-02-01T00:00:00.000Z',
    completedAt: '2024-02-01T00:00:01.000Z',
    ...(errors ? { errors, numErrors: errors.length } : {}),
  };
}

const ids = (from: number, count: number) => Array.from({ length: count }, (_, i) => String(from + i));

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
// nock patches node's shared http/net modules: undo it so later test files in this worker see no interceptor.
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

describe('readContacts', () => {
  it('de-dupes ids and reads in chunks of 100 asking only for the requested properties', async () => {
    const all = ids(1, 250);
    const scope = nock(BASE, { reqheaders: { authorization: `Bearer ${TOKEN}` } });
    for (const part of [all.slice(0, 100), all.slice(100, 200), all.slice(200)]) {
      scope
        .post(READ, { inputs: part.map((id) => ({ id })), properties: ['email', 'lifecyclestage'], propertiesWithHistory: [] })
        .reply(200, batchAnswer(part.map((id) => record(id, { email: null, lifecyclestage: 'lead' }))), JSON_HEADERS);
    }
    const result = await adapter().readContacts([...all, '1', '2'], ['email', 'lifecyclestage', 'email']);
    scope.done();
    expect(result.contacts).toHaveLength(250);
    expect(result.missing).toEqual([]);
    expect(result.contacts[0]).toEqual({
      id: '1',
      properties: { hs_object_id: '1', email: null, lifecyclestage: 'lead' },
      updatedAt: '2024-02-01T00:00:00.000Z',
    });
  });

  it('reports ids HubSpot answers 207 OBJECT_NOT_FOUND for as missing', async () => {
    const scope = nock(BASE)
      .post(READ, { inputs: [{ id: '1' }, { id: '2' }, { id: '3' }], properties: ['email'], propertiesWithHistory: [] })
      .reply(
        207,
        batchAnswer(
          [record('1', { email: 'a@example.com' })],
          [
            {
              status: 'error',
              category: 'OBJECT_NOT_FOUND',
              message: 'Could not get some CONTACT objects, they may be deleted or not exist.',
              context: { ids: ['2', '3'] },
              errors: [],
              links: {},
            },
          ],
        ),
        JSON_HEADERS,
      );
    const result = await adapter().readContacts(['1', '2', '3'], ['email']);
    scope.done();
    expect(result.contacts.map((contact) => contact.id)).toEqual(['1']);
    expect(result.missing).toEqual(['2', '3']);
  });

  it('retries a 429 as told by Retry-After, then succeeds', async () => {
    const waits: number[] = [];
    const scope = nock(BASE)
      .post(READ)
      .reply(
        429,
        {
          status: 'error',
          message: 'You have reached your ten_secondly_rolling limit.',
          errorType: 'RATE_LIMIT',
          correlationId: 'c-1',
          policyName: 'TEN_SECONDLY_ROLLING',
        },
        { ...JSON_HEADERS, 'Retry-After': '2' },
      )
      .post(READ)
      .reply(200, batchAnswer([record('7')]), JSON_HEADERS);
    const result = await adapter(waits).readContacts(['7'], ['email']);
    scope.done();
    expect(waits).toEqual([2000]);
    expect(result.contacts.map((contact) => contact.id)).toEqual(['7']);
  });

  it('retries a 503 even when the body is not JSON', async () => {
    const waits: number[] = [];
    const scope = nock(BASE)
      .post(READ)
      .reply(503, '<html>Service Unavailable</html>', { 'Content-Type': 'text/html' })
      .post(READ)
      .reply(503)
      .post(READ)
      .reply(200, batchAnswer([record('8')]), JSON_HEADERS);
    const result = await adapter(waits).readContacts(['8'], ['email']);
    scope.done();
    expect(waits).toHaveLength(2);
    expect(result.contacts).toHaveLength(1);
  });

  it('marks a DAILY 429 retryable with a long wait instead of retrying within seconds', async () => {
    const waits: number[] = [];
    const daily = {
      status: 'error',
      message: 'You have reached your daily limit.',
      errorType: 'RATE_LIMIT',
      correlationId: 'c-2',
      policyName: 'DAILY',
    };
    const scope = nock(BASE)
      .post(READ)
      .reply(429, daily, JSON_HEADERS)
      .post(READ)
      .reply(200, batchAnswer([record('9')]), JSON_HEADERS);
    await adapter(waits).readContacts(['9'], []);
    scope.done();
    expect(waits).toEqual([60_000]); // one hour asked, capped by this test's policy maxDelayMs
  });

  it('does not retry a 400 and surfaces HubSpot message and category', async () => {
    const waits: number[] = [];
    const scope = nock(BASE)
      .post(READ)
      .reply(
        400,
        { status: 'error', message: 'Invalid input JSON on line 1', correlationId: 'c-3', category: 'VALIDATION_ERROR' },
        JSON_HEADERS,
      );
    const failure = await adapter(waits)
      .readContacts(['1'], ['email'])
      .catch((error: unknown) => error);
    scope.done();
    expect(waits).toEqual([]);
    expect(failure).toBeInstanceOf(ProviderError);
    const error = failure as ProviderError;
    expect(error.retryable).toBe(false);
    expect(error.status).toBe(400);
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.message).toContain('VALIDATION_ERROR: Invalid input JSON on line 1');
    expect(error.message).not.toContain(TOKEN);
  });

  it('treats a 401 as permanent', async () => {
    const scope = nock(BASE)
      .post(READ)
      .reply(
        401,
        { status: 'error', message: 'Authentication credentials not found.', correlationId: 'c-4', category: 'INVALID_AUTHENTICATION' },
        JSON_HEADERS,
      );
    const error = (await adapter()
      .readContacts(['1'], [])
      .catch((e: unknown) => e)) as ProviderError;
    scope.done();
    expect(error.status).toBe(401);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('INVALID_AUTHENTICATION');
  });
});

describe('updateContacts', () => {
  it('sends chunks of 100 and merges duplicate ids', async () => {
    const all = ids(1, 150);
    const updates: ContactUpdate[] = all.map((id) => ({ id, properties: { hs_lead_status: 'OPEN' } }));
    updates.push({ id: '1', properties: { lifecyclestage: 'salesqualifiedlead' } });
    const first = all.slice(0, 100).map((id) => ({ id, properties: { hs_lead_status: 'OPEN' } as Record<string, string> }));
    first[0]!.properties = { hs_lead_status: 'OPEN', lifecyclestage: 'salesqualifiedlead' };
    const second = all.slice(100).map((id) => ({ id, properties: { hs_lead_status: 'OPEN' } }));
    const scope = nock(BASE, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
      .post(UPDATE, { inputs: first })
      .reply(200, batchAnswer(all.slice(0, 100).map((id) => record(id))), JSON_HEADERS)
      .post(UPDATE, { inputs: second })
      .reply(200, batchAnswer(all.slice(100).map((id) => record(id))), JSON_HEADERS);
    const result = await adapter().updateContacts(updates);
    scope.done();
    expect(result.updated).toHaveLength(150);
    expect(result.failed).toEqual([]);
  });

  it('reports a partial failure per id', async () => {
    const scope = nock(BASE)
      .post(UPDATE, {
        inputs: [
          { id: '1', properties: { firstname: 'A' } },
          { id: '2', properties: { firstname: 'B' } },
        ],
      })
      .reply(
        207,
        batchAnswer(
          [record('1')],
          [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Object not found', context: { ids: ['2'] } }],
        ),
        JSON_HEADERS,
      );
    const result = await adapter().updateContacts([
      { id: '1', properties: { firstname: 'A' } },
      { id: '2', properties: { firstname: 'B' } },
    ]);
    scope.done();
    expect(result.updated).toEqual(['1']);
    expect(result.failed).toEqual([{ id: '2', message: 'OBJECT_NOT_FOUND: Object not found', status: 404 }]);
  });

  it('fails the whole chunk on a 400 about its payload, without retrying', async () => {
    const waits: number[] = [];
    const scope = nock(BASE)
      .post(UPDATE)
      .reply(
        400,
        { status: 'error', message: 'Property values were not valid', correlationId: 'c-5', category: 'VALIDATION_ERROR' },
        JSON_HEADERS,
      );
    const result = await adapter(waits).updateContacts([{ id: '1', properties: { nope: 'x' } }]);
    scope.done();
    expect(waits).toEqual([]);
    expect(result.updated).toEqual([]);
    expect(result.failed).toEqual([
      { id: '1', status: 400, message: 'HubSpot contacts.batchUpdate failed with 400 VALIDATION_ERROR: Property values were not valid' },
    ]);
  });
});

describe('searchContacts', () => {
  it('posts the search and returns the next cursor', async () => {
    const filterGroups = [{ filters: [{ propertyName: 'lifecyclestage', operator: 'EQ' as const, value: 'marketingqualifiedlead' }] }];
    const sorts = [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' as const }];
    const scope = nock(BASE)
      .post('/crm/v3/objects/contacts/search', { filterGroups, sorts, properties: ['email'], limit: 200, after: '200' })
      .reply(200, { total: 401, results: [record('5')], paging: { next: { after: '400', link: 'x' } } }, JSON_HEADERS);
    const page = await adapter().searchContacts({ filterGroups, sorts, properties: ['email'], after: '200', limit: 500 });
    scope.done();
    expect(page.after).toBe('400');
    expect(page.contacts.map((contact) => contact.id)).toEqual(['5']);
  });
});
