import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createHubSpotAdapter } from '../../../src/adapters/hubspot/adapter.ts';
import { silentLogger } from '../../../src/log.ts';

const BASE = 'https://api.hubapi.com';
const TOKEN = 'pat-test-token';
const JSON_HEADERS = { 'Content-Type': 'application/json' };

const adapter = () =>
  createHubSpotAdapter({
    accessToken: TOKEN,
    baseUrl: BASE,
    logger: silentLogger(),
    retryPolicy: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
    sleep: async () => undefined,
  });
const record = (id: string, properties: Record<string, string | null>) => ({
  id,
  properties: { hs_object_id: id, ...properties },
  createdAt: '2024-01-01T00:00:00.000Z',
  updatedAt: '2024-02-01T00:00:00.000Z',
  archived: false,
});

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

describe('listContactsPage (GET /crm/v3/objects/contacts)', () => {
  it('asks for at most 100 contacts after the cursor with the requested properties, and returns the next cursor', async () => {
    const scope = nock(BASE, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
      .get('/crm/v3/objects/contacts')
      .query({ limit: '100', after: '201', properties: ['email', 'lifecyclestage'], archived: 'false' })
      .reply(
        200,
        { results: [record('201', { email: null, lifecyclestage: 'lead' })], paging: { next: { after: '305', link: 'x' } } },
        JSON_HEADERS,
      );
    const page = await adapter().listContactsPage({ properties: ['email', 'lifecyclestage', 'email'], after: '201', limit: 500 });
    scope.done();
    expect(page).toEqual({
      contacts: [
        { id: '201', properties: { hs_object_id: '201', email: null, lifecyclestage: 'lead' }, updatedAt: '2024-02-01T00:00:00.000Z' },
      ],
      after: '305',
    });
  });

  it('says nothing of a next page on the last one', async () => {
    const scope = nock(BASE)
      .get('/crm/v3/objects/contacts')
      .query({ limit: '10', properties: 'email', archived: 'false' })
      .reply(200, { results: [] }, JSON_HEADERS);
    const page = await adapter().listContactsPage({ properties: ['email'], limit: 10 });
    scope.done();
    expect(page).toEqual({ contacts: [] });
  });
});

describe('countContacts (search total)', () => {
  it('asks search for one record with the filter groups and answers its total', async () => {
    const groups = [{ filters: [{ propertyName: 'lifecyclestage', operator: 'IN' as const, values: ['lead'] }] }];
    const scope = nock(BASE)
      .post('/crm/v3/objects/contacts/search', { filterGroups: groups, properties: ['hs_object_id'], limit: 1, sorts: [] })
      .reply(200, { total: 12_345, results: [record('1', {})] }, JSON_HEADERS);
    expect(await adapter().countContacts(groups)).toBe(12_345);
    scope.done();
  });
});
