import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  INTEGRATION_USER_ID,
  REP_USER_ID,
  type SalesforceSimulator,
  startSalesforceSimulator,
} from '../../../src/simulators/salesforce/server.ts';

/** What the sales-side poller and flag writer rely on in the simulator. */

const CREDS = { clientId: 'sim-client', clientSecret: 'sim-secret', refreshToken: 'sim-refresh' };
const CODES = ['bad_fit', 'no_budget', 'other'];
let sim: SalesforceSimulator;
let token: string;

interface Result {
  status: number;
  body: unknown;
}

async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Result> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Result> =>
  call(method, `${sim.url}/services/data/v62.0${path}`, body, { authorization: `Bearer ${token}`, ...headers });

async function login(on: SalesforceSimulator): Promise<string> {
  const res = await fetch(`${on.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: CREDS.clientId,
      client_secret: CREDS.clientSecret,
      refresh_token: CREDS.refreshToken,
    }).toString(),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

const firstError = (r: Result): unknown => (r.body as Array<{ errors: unknown[] }>)[0]?.errors[0];

beforeAll(async () => {
  sim = await startSalesforceSimulator({ ...CREDS, rejectionReasons: CODES });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  sim.reset();
  token = await login(sim);
});

describe('the change poll', () => {
  const poll = (since: string): string =>
    encodeURIComponent(
      `SELECT Id, Handoff_HubSpot_Id__c, SystemModstamp FROM Lead WHERE SystemModstamp >= ${since} AND Handoff_HubSpot_Id__c != null ORDER BY SystemModstamp, Id`,
    );
  type Page = { totalSize: number; done: boolean; nextRecordsUrl?: string; records: Array<{ Id: string; SystemModstamp: string }> };

  it('pages 1,000 changed Leads in order through nextRecordsUrl with a page size of 200', async () => {
    sim.createRecord('Lead', { LastName: 'Before', Company: 'C', Handoff_HubSpot_Id__c: 'old' });
    const since = String(sim.createRecord('Lead', { LastName: 'Mark', Company: 'C' }).SystemModstamp).replace('+0000', 'Z');
    for (let i = 0; i < 1000; i++) sim.createRecord('Lead', { LastName: `L${i}`, Company: 'C', Handoff_HubSpot_Id__c: `hs-${i}` });
    sim.createRecord('Lead', { LastName: 'Untracked', Company: 'C' });

    const pages: Page[] = [];
    let page = (await api('GET', `/query?q=${poll(since)}`, undefined, { 'Sforce-Query-Options': 'batchSize=200' })).body as Page;
    pages.push(page);
    while (page.nextRecordsUrl) {
      page = (await call('GET', `${sim.url}${page.nextRecordsUrl}`, undefined, { authorization: `Bearer ${token}` })).body as Page;
      pages.push(page);
    }
    expect(pages.map((p) => [p.records.length, p.done])).toEqual([
      [200, false],
      [200, false],
      [200, false],
      [200, false],
      [200, true],
    ]);
    expect(pages[0]?.totalSize).toBe(1000);
    const rows = pages.flatMap((p) => p.records);
    expect(new Set(rows.map((r) => r.Id)).size).toBe(1000);
    const keys = rows.map((r) => `${r.SystemModstamp}|${r.Id}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('breaks SystemModstamp ties by Id when one transaction saves many Leads', async () => {
    const rows = sim.createRecords(
      'Lead',
      [3, 1, 2].map((n) => ({ LastName: `T${n}`, Company: 'C', Handoff_HubSpot_Id__c: `t-${n}` })),
    );
    expect(new Set(rows.map((r) => r.SystemModstamp)).size).toBe(1);
    const since = String(rows[0]?.SystemModstamp).replace('+0000', 'Z');
    const page = (await api('GET', `/query?q=${poll(since)}`)).body as Page;
    expect(page.records.map((r) => r.Id)).toEqual(rows.map((r) => String(r.Id)).sort());
    // Insertion order equals Id order here, so a descending Id proves the second key decides ties.
    const reversed = encodeURIComponent(`SELECT Id FROM Lead WHERE SystemModstamp >= ${since} ORDER BY SystemModstamp, Id DESC`);
    expect(((await api('GET', `/query?q=${reversed}`)).body as Page).records.map((r) => r.Id)).toEqual(
      rows
        .map((r) => String(r.Id))
        .sort()
        .reverse(),
    );
  });

  it('stamps one SystemModstamp per collections request when stampPerRequest is on', async () => {
    const tied = await startSalesforceSimulator({ ...CREDS, stampPerRequest: true });
    try {
      const tiedToken = await login(tied);
      const records = [1, 2, 3].map((n) => ({
        attributes: { type: 'Lead' },
        LastName: `B${n}`,
        Company: 'C',
        Handoff_HubSpot_Id__c: `b-${n}`,
      }));
      await call(
        'PATCH',
        `${tied.url}/services/data/v62.0/composite/sobjects/Lead/Handoff_HubSpot_Id__c`,
        { allOrNone: false, records },
        { authorization: `Bearer ${tiedToken}` },
      );
      expect(new Set(tied.records('Lead').map((r) => r.SystemModstamp)).size).toBe(1);
    } finally {
      await tied.close();
    }
  });
});

describe('who changed a Lead, and when', () => {
  it('bumps SystemModstamp and LastModifiedById for rep edits, in process and over /_sim', async () => {
    const lead = sim.createRecord('Lead', { LastName: 'Rep', Company: 'C' });
    expect(lead).toMatchObject({
      OwnerId: REP_USER_ID,
      CreatedById: REP_USER_ID,
      LastModifiedById: REP_USER_ID,
      Status: 'Open - Not Contacted',
    });
    const id = String(lead.Id);
    const viaApi = await api('PATCH', `/sobjects/Lead/${id}`, { Handoff_Sync_Status__c: 'Blocked: choose a reason' });
    expect(viaApi.status).toBe(204);
    const afterApi = sim.getRecord('Lead', id) ?? {};
    expect(afterApi.LastModifiedById).toBe(INTEGRATION_USER_ID);
    expect(String(afterApi.SystemModstamp) > String(lead.SystemModstamp)).toBe(true);

    const inProcess = sim.updateRecord('Lead', id, { Status: 'Rejected', Rejection_Reason__c: 'bad_fit' });
    expect(inProcess.LastModifiedById).toBe(REP_USER_ID);
    expect(String(inProcess.SystemModstamp) > String(afterApi.SystemModstamp)).toBe(true);

    const overHttp = await call('PATCH', `${sim.url}/_sim/records/Lead/${id}?as=005Hs0000000009AAA`, { Rejection_Note__c: 'n' });
    expect(overHttp.body).toMatchObject({ LastModifiedById: '005Hs0000000009AAA', Rejection_Note__c: 'n' });
    expect(String((overHttp.body as { SystemModstamp: string }).SystemModstamp) > String(inProcess.SystemModstamp)).toBe(true);
  });
});

describe('conversion', () => {
  it('creates the Account, Contact and Opportunity, owned by the Lead owner, and locks the Lead', async () => {
    const lead = sim.createRecord('Lead', {
      LastName: 'Hopper',
      FirstName: 'Grace',
      Company: 'Navy',
      Email: 'grace@navy.example',
      OwnerId: '005Hs0000000007AAA',
    });
    const converted = sim.convertLead(String(lead.Id));
    expect(converted).toMatchObject({ IsConverted: true, Status: 'Closed - Converted', LastModifiedById: REP_USER_ID });
    const contact = sim.getRecord('Contact', String(converted.ConvertedContactId));
    const opportunity = sim.getRecord('Opportunity', String(converted.ConvertedOpportunityId));
    const account = sim.getRecord('Account', String(converted.ConvertedAccountId));
    expect(account).toMatchObject({ Name: 'Navy', OwnerId: '005Hs0000000007AAA' });
    expect(contact).toMatchObject({
      LastName: 'Hopper',
      Email: 'grace@navy.example',
      AccountId: account?.Id,
      OwnerId: '005Hs0000000007AAA',
    });
    expect(opportunity).toMatchObject({ Name: 'Navy-', StageName: 'Prospecting', AccountId: account?.Id });
    const query = await api(
      'GET',
      `/query?q=${encodeURIComponent('SELECT Id, ConvertedContactId, ConvertedOpportunityId FROM Lead WHERE IsConverted = true')}`,
    );
    expect((query.body as { records: unknown[] }).records).toEqual([
      expect.objectContaining({ ConvertedContactId: contact?.Id, ConvertedOpportunityId: opportunity?.Id }),
    ]);
    const update = await api('PATCH', `/sobjects/Lead/${String(lead.Id)}`, { Handoff_Sync_Status__c: 'x' });
    expect(update).toMatchObject({ status: 400, body: [{ errorCode: 'CANNOT_UPDATE_CONVERTED_LEAD' }] });
  });
});

describe('Tasks for the Lead owner', () => {
  it('creates an open Task with defaults, derives IsClosed from Status, and refuses IsClosed and unknown statuses', async () => {
    const lead = sim.createRecord('Lead', { LastName: 'Owner', Company: 'C' });
    const created = await api('POST', '/composite/sobjects', {
      allOrNone: false,
      records: [
        {
          attributes: { type: 'Task' },
          Subject: 'Choose a rejection reason',
          Description: 'Pick one of: bad_fit, …',
          WhoId: lead.Id,
          OwnerId: lead.OwnerId,
          ActivityDate: '2026-11-23',
        },
        { attributes: { type: 'Task' }, Subject: 'x', IsClosed: true },
        { attributes: { type: 'Task' }, Subject: 'x', Status: 'Done' },
      ],
    });
    const [ok, closedField, badStatus] = created.body as Array<{
      id: string | null;
      success: boolean;
      errors: Array<{ statusCode: string }>;
    }>;
    expect(ok?.success).toBe(true);
    expect(closedField?.errors[0]?.statusCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    expect(badStatus?.errors[0]?.statusCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    expect(sim.getRecord('Task', String(ok?.id))).toMatchObject({
      Subject: 'Choose a rejection reason',
      WhoId: lead.Id,
      OwnerId: REP_USER_ID,
      Status: 'Not Started',
      Priority: 'Normal',
      IsClosed: false,
      ActivityDate: '2026-11-23',
    });
    await api('PATCH', '/composite/sobjects', {
      allOrNone: false,
      records: [{ attributes: { type: 'Task' }, Id: ok?.id, Status: 'Completed' }],
    });
    expect(sim.getRecord('Task', String(ok?.id))).toMatchObject({ Status: 'Completed', IsClosed: true });
    const open = await api(
      'GET',
      `/query?q=${encodeURIComponent(`SELECT Id FROM Task WHERE WhoId = '${String(lead.Id)}' AND IsClosed = false`)}`,
    );
    expect((open.body as { totalSize: number }).totalSize).toBe(0);
  });
});

describe('the package fields on Lead', () => {
  const upsert = (fields: Record<string, unknown>): Promise<Result> =>
    api('PATCH', '/composite/sobjects/Lead/Handoff_HubSpot_Id__c', {
      allOrNone: false,
      records: [{ attributes: { type: 'Lead' }, LastName: 'F', Company: 'C', Handoff_HubSpot_Id__c: 'f-1', ...fields }],
    });

  it.each([
    [{ Rejection_Reason__c: 'not_a_code' }, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST'],
    [{ Timeline__c: 'someday' }, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST'],
    [{ Handoff_HubSpot_Id__c: 'x'.repeat(41) }, 'STRING_TOO_LONG'],
    [{ MQL_Score__c: 100000 }, 'NUMBER_OUTSIDE_VALID_RANGE'],
    [{ Handoff_Sync_Status__c: 's'.repeat(256) }, 'STRING_TOO_LONG'],
    [{ Status: 'Won' }, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST'],
  ])('refuses %j with %s', async (fields, statusCode) => {
    expect(firstError(await upsert(fields))).toMatchObject({ statusCode });
  });

  it('stores valid values: rounded scores, checkbox defaults, taxonomy codes, every mapped status', async () => {
    const saved = await upsert({
      MQL_Score__c: 72.6,
      Rejection_Reason__c: 'other',
      Timeline__c: '0-3 months',
      Need__c: 'CRM sync',
      SLA_Due__c: '2026-11-23T10:00:00Z',
    });
    expect(firstError(saved)).toBeUndefined();
    expect(sim.records('Lead')[0]).toMatchObject({
      MQL_Score__c: 73,
      Budget_Confirmed__c: false,
      Decision_Maker__c: false,
      SLA_Breached__c: false,
      Rejection_Reason__c: 'other',
      Timeline__c: '0-3 months',
      SLA_Due__c: '2026-11-23T10:00:00.000+0000',
    });
    for (const status of ['Marketing Accepted', 'Accepted', 'Qualified', 'Rejected', 'Recycled', 'Closed - Not Converted']) {
      expect(firstError(await upsert({ Status: status }))).toBeUndefined();
    }
  });

  it('accepts any rejection code when the simulator has no taxonomy (as an org without the package)', async () => {
    const open = await startSalesforceSimulator({ ...CREDS });
    try {
      const lead = open.createRecord('Lead', { LastName: 'O', Company: 'C', Rejection_Reason__c: 'not_a_code' });
      expect(lead.Rejection_Reason__c).toBe('not_a_code');
      const res = await call('GET', `${open.url}/services/data/v62.0/sobjects/Lead/describe`, undefined, {
        authorization: `Bearer ${await login(open)}`,
      });
      const fields = (res.body as { fields: Array<{ name: string; restrictedPicklist: boolean }> }).fields;
      expect(fields.find((f) => f.name === 'Rejection_Reason__c')?.restrictedPicklist).toBe(false);
      expect(fields.find((f) => f.name === 'Timeline__c')?.restrictedPicklist).toBe(true);
    } finally {
      await open.close();
    }
  });

  it('describes the restricted taxonomy picklist and the number precision', async () => {
    const res = await api('GET', '/sobjects/Lead/describe');
    const fields = (res.body as { fields: Array<Record<string, unknown>> }).fields;
    expect(fields.find((f) => f.name === 'Rejection_Reason__c')).toMatchObject({
      restrictedPicklist: true,
      picklistValues: CODES.map((value) => expect.objectContaining({ value })),
    });
    expect(fields.find((f) => f.name === 'MQL_Score__c')).toMatchObject({ type: 'double', precision: 5, scale: 0 });
    expect(fields.find((f) => f.name === 'Handoff_HubSpot_Id__c')).toMatchObject({
      externalId: true,
      unique: true,
      length: 40,
      idLookup: true,
    });
  });
});
