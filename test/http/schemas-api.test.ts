import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { adminApiRouter } from '../../src/http/admin/admin-api-router.ts';
import type { ParkedWorkPort } from '../../src/http/admin/parked-work.ts';
import { contactPropertiesSchema, objectFieldsSchema, type SchemaSources } from '../../src/http/admin/schema-routes.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { silentLogger } from '../../src/log.ts';
import { listenOnLoopback } from '../support/http.ts';
import { FakeConfigVersions } from './support/fake-config-versions.ts';

const TOKEN = 'schema-routes-admin-token-0123456789';
const described: string[] = [];
const sources: SchemaSources = {
  listProperties: async () => [
    { name: 'jobtitle', type: 'string', label: 'Job Title', fieldType: 'text' },
    {
      name: 'hs_analytics_source',
      type: 'enumeration',
      label: 'Original Source',
      fieldType: 'select',
      readOnly: true,
      options: [{ value: 'ORGANIC_SEARCH', label: 'Organic Search' }],
    },
    { name: 'persona', type: 'enumeration', options: [{ value: 'cto', label: 'CTO' }] },
  ],
  describe: async (object) => {
    described.push(object);
    return {
      name: object,
      fields: [
        {
          name: 'Title',
          type: 'string',
          createable: true,
          updateable: true,
          externalId: false,
          label: 'Title',
          nillable: true,
          length: 128,
          picklistValues: [],
        },
        {
          name: 'LeadSource',
          type: 'picklist',
          createable: true,
          updateable: true,
          externalId: false,
          picklistValues: ['Web', 'Partner'],
          picklistLabels: { Web: 'Web', Partner: 'Partner referral' },
        },
        { name: 'CreatedDate', type: 'datetime', createable: false, updateable: false, externalId: false, picklistValues: [] },
      ],
    };
  },
};
const noParked = {
  list: async () => [],
  retry: async () => ({ status: 'not_found' }),
  retryAll: async () => ({ retried: [], failed: [] }),
};
let server: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  const router = adminApiRouter({
    adminToken: TOKEN,
    configVersions: await FakeConfigVersions.seeded(),
    records: { find: async () => undefined },
    parked: noParked as unknown as ParkedWorkPort,
    schemas: sources,
    logger: silentLogger(),
  });
  server = await listenOnLoopback(createHttpApp({ logger: silentLogger(), routers: [router] }));
});
afterAll(async () => {
  await server?.close();
});

const get = (path: string, token: string | null = TOKEN) =>
  fetch(`${server.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

describe('GET /api/schemas/hubspot/contact-properties', () => {
  it('needs the admin token', async () => {
    expect((await get('/api/schemas/hubspot/contact-properties', null)).status).toBe(401);
  });

  it("answers HubSpot's contact properties with labels, types and options; a missing label is the name", async () => {
    const response = await get('/api/schemas/hubspot/contact-properties');
    expect(response.status).toBe(200);
    const body = contactPropertiesSchema.parse(await response.json());
    expect(body.properties).toEqual([
      { name: 'jobtitle', label: 'Job Title', type: 'string', fieldType: 'text', readOnly: false, options: [] },
      {
        name: 'hs_analytics_source',
        label: 'Original Source',
        type: 'enumeration',
        fieldType: 'select',
        readOnly: true,
        options: [{ value: 'ORGANIC_SEARCH', label: 'Organic Search' }],
      },
      {
        name: 'persona',
        label: 'persona',
        type: 'enumeration',
        fieldType: null,
        readOnly: false,
        options: [{ value: 'cto', label: 'CTO' }],
      },
    ]);
  });
});

describe('GET /api/schemas/salesforce/:object', () => {
  it("answers the object's described fields with access, length and the active picklist values with their labels", async () => {
    const response = await get('/api/schemas/salesforce/Lead');
    expect(response.status).toBe(200);
    const body = objectFieldsSchema.parse(await response.json());
    expect(body.object).toBe('Lead');
    expect(body.fields).toEqual([
      {
        name: 'Title',
        label: 'Title',
        type: 'string',
        updateable: true,
        createable: true,
        nillable: true,
        length: 128,
        picklistValues: [],
      },
      {
        name: 'LeadSource',
        label: 'LeadSource',
        type: 'picklist',
        updateable: true,
        createable: true,
        nillable: null,
        length: null,
        picklistValues: [
          { value: 'Web', label: 'Web', active: true },
          { value: 'Partner', label: 'Partner referral', active: true },
        ],
      },
      {
        name: 'CreatedDate',
        label: 'CreatedDate',
        type: 'datetime',
        updateable: false,
        createable: false,
        nillable: null,
        length: null,
        picklistValues: [],
      },
    ]);
    expect(described).toEqual(['Lead']);
  });

  it('describes Opportunity too, and refuses any other object with the path named', async () => {
    expect((await get('/api/schemas/salesforce/Opportunity')).status).toBe(200);
    const refused = await get('/api/schemas/salesforce/Account');
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { error: { code: string; details: Array<{ path: string }> } };
    expect(body.error.code).toBe('invalid_params');
    expect(body.error.details.map((d) => d.path)).toEqual(['object']);
    expect(described).toEqual(['Lead', 'Opportunity']);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await (await get('/api/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/schemas/hubspot/contact-properties', '/api/schemas/salesforce/{object}']),
    );
  });
});
