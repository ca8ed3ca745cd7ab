import { describe, expect, it } from '@jest/globals';
import { createHubSpotAdapter } from '../../../src/adapters/hubspot/adapter.ts';
import { readContactsWithCompanies } from '../../../src/jobs/handoff/read-contacts.ts';
import { silentLogger } from '../../../src/log.ts';
import type { HubSpotSimulator } from '../../../src/simulators/hubspot/server.ts';
import { useHubSpotSimulator } from '../../support/hubspot-simulator.ts';

const TOKEN = 'sim-token';
let sim: HubSpotSimulator;

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: response.status === 204 ? undefined : await response.json() };
}

const adapter = () =>
  createHubSpotAdapter({
    accessToken: TOKEN,
    baseUrl: sim.url,
    logger: silentLogger(),
    retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    sleep: async () => {},
  });

useHubSpotSimulator(TOKEN, (started) => (sim = started));

describe('contacts take only real contact properties (CRM API contacts guide; properties API, default contact properties)', () => {
  it.each([
    ['create', () => api('POST', '/crm/v3/objects/contacts', { properties: { email: 'a@b.example', numberofemployees: '200' } })],
    [
      'update',
      async () =>
        api('PATCH', `/crm/v3/objects/contacts/${sim.createContact({ email: 'a@b.example' })}`, {
          properties: { numberofemployees: '200' },
        }),
    ],
    [
      'batch update',
      async () =>
        api('POST', '/crm/v3/objects/contacts/batch/update', {
          inputs: [{ id: sim.createContact({ email: 'a@b.example' }), properties: { numberofemployees: '200' } }],
        }),
    ],
  ])('%s with an unknown property fails 400 VALIDATION_ERROR with a PROPERTY_DOESNT_EXIST error', async (_name, call) => {
    const { status, json } = await call();
    expect(status).toBe(400);
    expect(json).toMatchObject({
      status: 'error',
      category: 'VALIDATION_ERROR',
      errors: [
        {
          code: 'PROPERTY_DOESNT_EXIST',
          message: 'Property "numberofemployees" does not exist',
          context: { propertyName: ['numberofemployees'] },
        },
      ],
    });
    expect(json.message).toMatch(/^Property values were not valid: \[/);
    expect(JSON.parse(json.message.replace('Property values were not valid: ', ''))).toEqual([
      { isValid: false, message: 'Property "numberofemployees" does not exist', error: 'PROPERTY_DOESNT_EXIST', name: 'numberofemployees' },
    ]);
  });

  it('numemployees is a dropdown of bands on contacts: a band is taken, a number is refused as INVALID_OPTION', async () => {
    const definition = await api('GET', '/crm/v3/properties/contacts/numemployees');
    expect(definition.json).toMatchObject({ name: 'numemployees', type: 'enumeration', fieldType: 'select' });
    expect(definition.json.options.map((o: { value: string }) => o.value)).toEqual([
      '1-5',
      '5-25',
      '25-50',
      '50-100',
      '100-500',
      '500-1000',
      '1000+',
    ]);
    expect((await api('POST', '/crm/v3/objects/contacts', { properties: { email: 'a@b.example', numemployees: '1000+' } })).status).toBe(
      201,
    );
    const refused = await api('POST', '/crm/v3/objects/contacts', { properties: { email: 'c@b.example', numemployees: '1200' } });
    expect(refused.status).toBe(400);
    expect(refused.json.errors[0]).toMatchObject({ code: 'INVALID_OPTION', context: { propertyName: ['numemployees'] } });
  });

  it('a batch read asking for an unknown property leaves it out; a known empty one comes back null', async () => {
    const id = sim.createContact({ email: 'a@b.example' });
    const { status, json } = await api('POST', '/crm/v3/objects/contacts/batch/read', {
      inputs: [{ id }],
      properties: ['email', 'numberofemployees', 'jobtitle'],
    });
    expect(status).toBe(200);
    expect(json.results[0].properties).toEqual({
      email: 'a@b.example',
      jobtitle: null,
      createdate: expect.any(String),
      lastmodifieddate: expect.any(String),
      hs_object_id: id,
    });
  });

  it('custom properties exist once the properties API has created them', async () => {
    expect((await api('POST', '/crm/v3/objects/contacts', { properties: { email: 'a@b.example', pricing_page_views: '3' } })).status).toBe(
      400,
    );
    await api('POST', '/crm/v3/properties/contacts', {
      name: 'pricing_page_views',
      label: 'Pricing page views',
      type: 'number',
      fieldType: 'number',
      groupName: 'contactinformation',
    });
    expect((await api('POST', '/crm/v3/objects/contacts', { properties: { email: 'a@b.example', pricing_page_views: '3' } })).status).toBe(
      201,
    );
  });
});

describe('companies (CRM API companies guide; default company properties)', () => {
  it('lists the default company properties, with numberofemployees and annualrevenue as numbers', async () => {
    const { json } = await api('GET', '/crm/v3/properties/companies');
    const byName = new Map<string, { type: string }>(json.results.map((p: { name: string; type: string }) => [p.name, p]));
    for (const name of ['name', 'domain', 'industry', 'country', 'city', 'state']) expect(byName.has(name)).toBe(true);
    expect(byName.get('numberofemployees')?.type).toBe('number');
    expect(byName.get('annualrevenue')?.type).toBe('number');
  });

  it('creates, reads and batch reads companies; unknown ids come back in a 207', async () => {
    const created = await api('POST', '/crm/v3/objects/companies', {
      properties: { name: 'Acme', domain: 'acme.example', numberofemployees: '1200' },
    });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    expect((await api('GET', `/crm/v3/objects/companies/${id}`)).json.properties).toMatchObject({
      name: 'Acme',
      domain: 'acme.example',
      hs_object_id: id,
    });
    const batch = await api('POST', '/crm/v3/objects/companies/batch/read', {
      inputs: [{ id }, { id: '999' }],
      properties: ['numberofemployees', 'no_such_property'],
    });
    expect(batch.status).toBe(207);
    expect(batch.json.results[0].properties).toEqual({
      numberofemployees: '1200',
      createdate: expect.any(String),
      hs_lastmodifieddate: expect.any(String),
      hs_object_id: id,
    });
    expect(batch.json.errors[0]).toMatchObject({ category: 'OBJECT_NOT_FOUND', context: { ids: ['999'] } });
    expect((await api('POST', '/crm/v3/objects/companies', { properties: { name: 'X', numemployees: '5-25' } })).json.errors[0].code).toBe(
      'PROPERTY_DOESNT_EXIST',
    );
  });

  it('companies and associations can be made through /_sim (another process drives the simulator)', async () => {
    const contactId = sim.createContact({ email: 'a@b.example' });
    const company = await fetch(`${sim.url}/_sim/companies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { name: 'Acme' } }),
    });
    const companyId = ((await company.json()) as { id: string }).id;
    const linked = await fetch(`${sim.url}/_sim/associations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contactId, companyId }),
    });
    expect(linked.status).toBe(204);
    expect(sim.companies.linksOf(contactId)).toEqual([{ companyId, primary: true }]);
  });
});

describe('contact-company associations (associations v4 guide, batch read)', () => {
  it('answers each contact\'s companies with their association types; the primary carries typeId 1 "Primary"; a contact with none is a 207 error', async () => {
    const withCompanies = sim.createContact({ email: 'a@b.example' });
    const without = sim.createContact({ email: 'c@b.example' });
    const primary = sim.createCompany({ name: 'Acme' });
    const other = sim.createCompany({ name: 'Reseller' });
    sim.associate(withCompanies, other, { primary: false });
    sim.associate(withCompanies, primary);
    const { status, json } = await api('POST', '/crm/v4/associations/contacts/companies/batch/read', {
      inputs: [{ id: withCompanies }, { id: without }],
    });
    expect(status).toBe(207);
    expect(json.results).toEqual([
      {
        from: { id: withCompanies },
        to: [
          { toObjectId: Number(other), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 279, label: null }] },
          {
            toObjectId: Number(primary),
            associationTypes: [
              { category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' },
              { category: 'HUBSPOT_DEFINED', typeId: 279, label: null },
            ],
          },
        ],
      },
    ]);
    expect(json.errors).toEqual([
      expect.objectContaining({
        category: 'OBJECT_NOT_FOUND',
        subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
        context: expect.objectContaining({ fromObjectId: [without] }),
      }),
    ]);
  });

  it('refuses more than 1,000 inputs (changelog "Batch Read Limit for HubSpot Associations API")', async () => {
    const inputs = Array.from({ length: 1001 }, (_, i) => ({ id: String(i + 1) }));
    const { status, json } = await api('POST', '/crm/v4/associations/contacts/companies/batch/read', { inputs });
    expect(status).toBe(400);
    expect(json.category).toBe('VALIDATION_ERROR');
  });

  it('a new primary company replaces the old one as primary', () => {
    const contactId = sim.createContact({ email: 'a@b.example' });
    const first = sim.createCompany({ name: 'First' });
    const second = sim.createCompany({ name: 'Second' });
    sim.associate(contactId, first);
    sim.associate(contactId, second);
    expect(sim.companies.linksOf(contactId)).toEqual([
      { companyId: first, primary: false },
      { companyId: second, primary: true },
    ]);
  });

  it('keeps the contact\'s read-only associatedcompanyid at its primary company (changelog "associatedcompanyid … read-only")', async () => {
    const contactId = sim.createContact({ email: 'a@b.example' });
    const first = sim.createCompany({ name: 'First' });
    const second = sim.createCompany({ name: 'Second' });
    sim.associate(contactId, first);
    sim.associate(contactId, second, { primary: false });
    expect(sim.contacts.get(contactId)?.properties.associatedcompanyid).toBe(first);
    sim.associate(contactId, second);
    expect(sim.contacts.get(contactId)?.properties.associatedcompanyid).toBe(second);
    const { status, json } = await api('PATCH', `/crm/v3/objects/contacts/${contactId}`, { properties: { associatedcompanyid: first } });
    expect(status).toBe(400);
    expect(json.category).toBe('VALIDATION_ERROR');
    expect(sim.contacts.get(contactId)?.properties.associatedcompanyid).toBe(second);
  });
});

describe('reading contacts with their primary company through the adapter', () => {
  it("merges the primary company's properties as company.<name>: its id comes with the contacts read, then one company read", async () => {
    const acme = sim.createCompany({ name: 'Acme', industry: 'BANKING', numberofemployees: '1200' });
    const reseller = sim.createCompany({ name: 'Reseller', industry: 'RETAIL', numberofemployees: '4' });
    const ids = [
      sim.createContact({ email: 'a@acme.example', numemployees: '5-25' }),
      sim.createContact({ email: 'b@acme.example' }),
      sim.createContact({ email: 'solo@x.example' }),
    ];
    sim.associate(ids[0]!, reseller, { primary: false });
    sim.associate(ids[0]!, acme);
    sim.associate(ids[1]!, acme);
    const before = sim.calls.byEndpoint;

    const read = await readContactsWithCompanies(adapter(), ids, [
      'email',
      'numemployees',
      'company.industry',
      'company.numberofemployees',
    ]);
    const props = Object.fromEntries(read.contacts.map((c) => [c.properties.email, c.properties]));
    expect(props['a@acme.example']).toMatchObject({
      numemployees: '5-25',
      'company.industry': 'BANKING',
      'company.numberofemployees': '1200',
    });
    expect(props['b@acme.example']).toMatchObject({ 'company.industry': 'BANKING', 'company.numberofemployees': '1200' });
    expect(props['solo@x.example']).not.toHaveProperty('company.industry');
    const after = sim.calls.byEndpoint;
    const delta = (key: string) => (after[key] ?? 0) - (before[key] ?? 0);
    expect(delta('POST /crm/v3/objects/contacts/batch/read')).toBe(1);
    expect(delta('POST /crm/v4/associations/contacts/companies/batch/read')).toBe(0);
    expect(delta('POST /crm/v3/objects/companies/batch/read')).toBe(1);
  });

  it('reads no companies when nothing names a company property', async () => {
    const id = sim.createContact({ email: 'a@acme.example' });
    sim.associate(id, sim.createCompany({ name: 'Acme' }));
    await readContactsWithCompanies(adapter(), [id], ['email']);
    expect(sim.calls.byEndpoint['POST /crm/v4/associations/contacts/companies/batch/read']).toBeUndefined();
    expect(sim.calls.byEndpoint['POST /crm/v3/objects/companies/batch/read']).toBeUndefined();
  });
});
