import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type SalesforceSimulator, startSalesforceSimulator } from '../../../src/simulators/salesforce/server.ts';

/**
 * The default simulated org is a standard Enterprise org plus the package: the Lead's standard fields as the
 * Object Reference for the Salesforce Platform ("Lead") lists them, and no Sales Engagement fields unless the
 * org turns Sales Engagement (High Velocity Sales) on.
 */

const CREDS = { clientId: 'std-client', clientSecret: 'std-secret', refreshToken: 'std-refresh' };

async function session(sim: SalesforceSimulator) {
  const form = {
    grant_type: 'refresh_token',
    client_id: CREDS.clientId,
    client_secret: CREDS.clientSecret,
    refresh_token: CREDS.refreshToken,
  };
  const tokenRes = await fetch(`${sim.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  const { access_token: token } = (await tokenRes.json()) as { access_token: string };
  return async (path: string): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${sim.url}/services/data/v62.0${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: await res.json() };
  };
}

const leadFieldNames = async (get: Awaited<ReturnType<typeof session>>): Promise<string[]> =>
  ((await get('/sobjects/Lead/describe')).body.fields as Array<{ name: string }>).map((field) => field.name);

describe('the simulated standard org (Object Reference for the Salesforce Platform, Lead)', () => {
  let sim: SalesforceSimulator;
  let get: Awaited<ReturnType<typeof session>>;
  beforeAll(async () => {
    sim = await startSalesforceSimulator(CREDS);
    get = await session(sim);
  });
  afterAll(async () => sim?.close());

  it('describes the common standard Lead fields with their documented types and lengths', async () => {
    const fields = (await get('/sobjects/Lead/describe')).body.fields as Array<Record<string, unknown>>;
    const pick = (name: string) => {
      const field = fields.find((f) => f.name === name);
      return field && { type: field.type, length: field.length, createable: field.createable, updateable: field.updateable };
    };
    expect(pick('Salutation')).toEqual({ type: 'picklist', length: 0, createable: true, updateable: true });
    expect(pick('Street')).toEqual({ type: 'textarea', length: 255, createable: true, updateable: true });
    expect(pick('City')).toEqual({ type: 'string', length: 40, createable: true, updateable: true });
    expect(pick('State')).toEqual({ type: 'string', length: 80, createable: true, updateable: true });
    expect(pick('PostalCode')).toEqual({ type: 'string', length: 20, createable: true, updateable: true });
    expect(pick('MobilePhone')).toEqual({ type: 'phone', length: 40, createable: true, updateable: true });
    expect(pick('AnnualRevenue')).toEqual({ type: 'currency', length: 0, createable: true, updateable: true });
    expect(pick('Rating')).toEqual({ type: 'picklist', length: 0, createable: true, updateable: true });
    expect(pick('IsUnreadByOwner')).toEqual({ type: 'boolean', length: 0, createable: true, updateable: true });
    expect(pick('LastActivityDate')).toEqual({ type: 'date', length: 0, createable: false, updateable: false });
  });

  it('has no Sales Engagement fields on Lead', async () => {
    expect(await leadFieldNames(get)).not.toEqual(expect.arrayContaining(['FirstCallDateTime']));
    expect(await leadFieldNames(get)).not.toEqual(expect.arrayContaining(['FirstEmailDateTime']));
  });

  it('answers a query naming FirstCallDateTime 400 INVALID_FIELD "No such column" at its row and column (SOQL and SOSL Reference, REST API error shape)', async () => {
    const soql = 'SELECT Id, FirstCallDateTime FROM Lead';
    const res = await get(`/query?q=${encodeURIComponent(soql)}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual([
      {
        errorCode: 'INVALID_FIELD',
        message: `\n${soql}\n           ^\nERROR at Row:1:Column:12\nNo such column 'FirstCallDateTime' on entity 'Lead'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      },
    ]);
  });

  it('stores a currency value as a number', () => {
    const lead = sim.createRecord('Lead', { LastName: 'Money', Company: 'Acme', AnnualRevenue: '2500000' });
    expect(lead.AnnualRevenue).toBe(2500000);
  });
});

describe('the simulated org with Sales Engagement (High Velocity Sales) on', () => {
  let sim: SalesforceSimulator;
  let get: Awaited<ReturnType<typeof session>>;
  beforeAll(async () => {
    sim = await startSalesforceSimulator({ ...CREDS, salesEngagement: true });
    get = await session(sim);
  });
  afterAll(async () => sim?.close());

  it('describes FirstCallDateTime and FirstEmailDateTime as read-only datetimes, and queries them', async () => {
    expect(await leadFieldNames(get)).toEqual(expect.arrayContaining(['FirstCallDateTime', 'FirstEmailDateTime']));
    sim.createRecord('Lead', { LastName: 'Caller', Company: 'Acme' });
    const res = await get(`/query?q=${encodeURIComponent('SELECT Id, FirstCallDateTime, FirstEmailDateTime FROM Lead')}`);
    expect(res.status).toBe(200);
    expect(res.body.records[0]).toMatchObject({ FirstCallDateTime: null, FirstEmailDateTime: null });
  });
});
