import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createHubSpotAdapter } from '../../../src/adapters/hubspot/adapter.ts';
import { silentLogger } from '../../../src/log.ts';

const BASE = 'https://api.hubapi.com';
const JSON_HEADERS = { 'Content-Type': 'application/json' };
const adapter = () =>
  createHubSpotAdapter({
    accessToken: 'pat-test-token',
    baseUrl: BASE,
    logger: silentLogger(),
    retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    sleep: async () => {},
  });
const stamps = { startedAt: '2025-02-01T00:00:00.000Z', completedAt: '2025-02-01T00:00:01.000Z' };

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

describe('companies (CRM API companies guide)', () => {
  it('batch reads companies with only the named properties; unknown ids come back as missing', async () => {
    const scope = nock(BASE)
      .post('/crm/v3/objects/companies/batch/read', {
        inputs: [{ id: '502' }, { id: '999' }],
        properties: ['industry', 'numberofemployees'],
        propertiesWithHistory: [],
      })
      .reply(
        207,
        {
          status: 'COMPLETE',
          results: [
            {
              id: '502',
              properties: { industry: 'BANKING', numberofemployees: '1200', hs_object_id: '502' },
              createdAt: stamps.startedAt,
              updatedAt: stamps.startedAt,
              archived: false,
            },
          ],
          numErrors: 1,
          errors: [
            { status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some COMPANY objects', context: { ids: ['999'] } },
          ],
          ...stamps,
        },
        JSON_HEADERS,
      );
    const read = await adapter().readCompanies(['502', '999', '502'], ['industry', 'numberofemployees']);
    expect(read.companies.map((c) => [c.id, c.properties.industry, c.properties.numberofemployees])).toEqual([['502', 'BANKING', '1200']]);
    expect(read.missing).toEqual(['999']);
    scope.done();
  });

  it('lists company property definitions from the properties API', async () => {
    const scope = nock(BASE)
      .get('/crm/v3/properties/companies')
      .query(true)
      .reply(
        200,
        {
          results: [
            {
              name: 'numberofemployees',
              type: 'number',
              fieldType: 'number',
              label: 'Number of Employees',
              groupName: 'companyinformation',
            },
          ],
        },
        JSON_HEADERS,
      );
    expect(await adapter().listProperties('companies')).toEqual([
      { name: 'numberofemployees', type: 'number', label: 'Number of Employees', fieldType: 'number' },
    ]);
    scope.done();
  });
});
