import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type SalesforceSimulator, startSalesforceSimulator } from '../../../src/simulators/salesforce/server.ts';

const CREDS = { clientId: 'sim-client', clientSecret: 'sim-secret', refreshToken: 'sim-refresh' };
let sim: SalesforceSimulator;
let token: string;

async function getToken(form: Record<string, string>): Promise<Response> {
  return fetch(`${sim.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

async function api(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(`${sim.url}/services/data/v62.0${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${sim.url}/_sim${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const goodForm = {
  grant_type: 'refresh_token',
  client_id: CREDS.clientId,
  client_secret: CREDS.clientSecret,
  refresh_token: CREDS.refreshToken,
};

beforeAll(async () => {
  sim = await startSalesforceSimulator({ ...CREDS, queryBatchSize: 2000 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  sim.reset();
  token = ((await (await getToken(goodForm)).json()) as { access_token: string }).access_token;
});

describe('oauth', () => {
  it('answers a refresh-token grant with the token response fields', async () => {
    const res = await getToken(goodForm);
    expect(res.status).toBe(200);
    expect(Object.keys((await res.json()) as object).sort()).toEqual([
      'access_token',
      'id',
      'instance_url',
      'issued_at',
      'scope',
      'signature',
      'token_type',
    ]);
  });

  it.each([
    [{ refresh_token: 'bad' }, 'invalid_grant'],
    [{ client_secret: 'bad' }, 'invalid_client'],
    [{ client_id: 'bad' }, 'invalid_client_id'],
  ])('rejects %j with 400 %s', async (override, error) => {
    const res = await getToken({ ...goodForm, ...override });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error });
  });

  it('rejects data calls without a valid session, and after tokens expire', async () => {
    sim.expireAccessTokens();
    const res = await api('GET', '/query?q=SELECT+Id+FROM+Lead');
    expect(res.status).toBe(401);
    expect(res.body).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  });
});

describe('collections', () => {
  const leadRecord = (n: number): Record<string, unknown> => ({
    attributes: { type: 'Lead' },
    Handoff_HubSpot_Id__c: `h${n}`,
    LastName: 'L',
    Company: 'C',
  });

  it('rejects more than 200 records as EXCEEDED_ID_LIMIT', async () => {
    const records = Array.from({ length: 201 }, (_, i) => leadRecord(i));
    const res = await api('PATCH', '/composite/sobjects/Lead/Handoff_HubSpot_Id__c', { allOrNone: false, records });
    expect(res.status).toBe(400);
    expect(res.body).toEqual([{ message: expect.any(String), errorCode: 'EXCEEDED_ID_LIMIT' }]);
    expect(sim.records('Lead')).toHaveLength(0);
  });

  it('rolls every record back when allOrNone is set and one fails', async () => {
    const res = await api('POST', '/composite/sobjects', {
      allOrNone: true,
      records: [leadRecord(1), { attributes: { type: 'Lead' }, LastName: 'x' }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { id: null, success: false, errors: [expect.objectContaining({ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' })] },
      { id: null, success: false, errors: [expect.objectContaining({ statusCode: 'REQUIRED_FIELD_MISSING' })] },
    ]);
    expect(sim.records('Lead')).toHaveLength(0);
  });

  it('refuses read-only fields per record and bad types for the whole request', async () => {
    const readOnly = await api('POST', '/composite/sobjects', { records: [{ ...leadRecord(1), IsConverted: true }] });
    expect(readOnly.body).toEqual([
      {
        id: null,
        success: false,
        errors: [expect.objectContaining({ statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['IsConverted'] })],
      },
    ]);
    const badType = await api('POST', '/composite/sobjects', { records: [{ ...leadRecord(2), MQL_Score__c: 'high' }] });
    expect(badType.status).toBe(400);
    expect(badType.body).toEqual([expect.objectContaining({ errorCode: 'JSON_PARSER_ERROR' })]);
  });

  it('stamps Sforce-Limit-Info on data responses', async () => {
    const res = await api('GET', '/sobjects/Lead/describe');
    expect(res.headers.get('sforce-limit-info')).toBe('api-usage=1/15000');
  });
});

describe('single-record endpoints', () => {
  it('creates, reads, updates and upserts one record', async () => {
    const created = await api('POST', '/sobjects/Lead', { LastName: 'One', Company: 'Co', Email: 'one@example.com' });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    expect(id).toMatch(/^00Q[A-Za-z0-9]{15}$/);
    expect((await api('PATCH', `/sobjects/Lead/${id}`, { Title: 'CEO' })).status).toBe(204);
    expect((await api('GET', `/sobjects/Lead/${id}?fields=Title,Status`)).body).toMatchObject({
      Title: 'CEO',
      Status: 'Open - Not Contacted',
    });
    const upsert = await api('PATCH', '/sobjects/Lead/Handoff_HubSpot_Id__c/h-7', { LastName: 'Seven', Company: 'Co' });
    expect(upsert).toMatchObject({ status: 201, body: { success: true, created: true } });
    const again = await api('PATCH', '/sobjects/Lead/Handoff_HubSpot_Id__c/h-7', { Title: 'VP' });
    expect(again).toMatchObject({ status: 200, body: { success: true, created: false } });
    const bad = await api('POST', '/sobjects/Lead', { LastName: 'x', Company: 'y', Email: 'nope' });
    expect(bad).toMatchObject({ status: 400, body: [{ errorCode: 'INVALID_EMAIL_ADDRESS', fields: ['Email'] }] });
  });

  it('answers 404 NOT_FOUND for a missing record', async () => {
    const res = await api('GET', '/sobjects/Lead/00QHs0000000000AAA');
    expect(res).toMatchObject({ status: 404, body: [{ errorCode: 'NOT_FOUND' }] });
  });
});

describe('query paging', () => {
  it('honours Sforce-Query-Options batchSize (minimum 200) and pages by nextRecordsUrl', async () => {
    for (let i = 0; i < 450; i++) sim.createRecord('Lead', { LastName: `L${i}`, Company: 'C' });
    const first = await api('GET', `/query?q=${encodeURIComponent('SELECT Id FROM Lead ORDER BY Id')}`, undefined, {
      'Sforce-Query-Options': 'batchSize=50',
    });
    const page = first.body as { totalSize: number; done: boolean; nextRecordsUrl: string; records: unknown[] };
    expect(page).toMatchObject({ totalSize: 450, done: false });
    expect(page.records).toHaveLength(200);
    expect(page.nextRecordsUrl).toMatch(/^\/services\/data\/v62\.0\/query\/01g[A-Za-z0-9]+-200$/);
    const next = await fetch(`${sim.url}${page.nextRecordsUrl}`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await next.json()) as { records: unknown[] }).records).toHaveLength(200);
  });
});

describe('control endpoints', () => {
  it('creates, updates and converts as a rep, lists records, counts calls and resets', async () => {
    const created = await control('POST', '/records/Lead', { LastName: 'Rep', Company: 'Acme', Email: 'rep@example.com' });
    expect(created.status).toBe(201);
    const lead = created.body as { Id: string; SystemModstamp: string };
    const updated = await control('PATCH', `/records/Lead/${lead.Id}`, { Status: 'Working - Contacted' });
    expect((updated.body as { SystemModstamp: string }).SystemModstamp > lead.SystemModstamp).toBe(true);
    const converted = (await control('POST', `/leads/${lead.Id}/convert`)).body as Record<string, unknown>;
    expect(converted).toMatchObject({ IsConverted: true, Status: 'Closed - Converted' });
    expect(String(converted.ConvertedContactId)).toMatch(/^003/);
    expect(String(converted.ConvertedOpportunityId)).toMatch(/^006/);
    expect((await control('GET', '/records/Contact')).body).toHaveLength(1);
    await api('GET', '/sobjects/Lead/describe');
    expect((await control('GET', '/calls')).body).toEqual({ total: 2, token: 1, describe: 1 });
    expect((await control('POST', '/reset')).status).toBe(204);
    expect((await control('GET', '/records/Lead')).body).toEqual([]);
  });

  it('injects faults for the next N calls and expires tokens', async () => {
    expect((await control('POST', '/faults', { status: 503, errorCode: 'SERVER_UNAVAILABLE', count: 1 })).status).toBe(204);
    expect(await api('GET', '/sobjects/Lead/describe')).toMatchObject({ status: 503, body: [{ errorCode: 'SERVER_UNAVAILABLE' }] });
    expect((await api('GET', '/sobjects/Lead/describe')).status).toBe(200);
    expect((await control('POST', '/expire-tokens')).status).toBe(204);
    expect((await api('GET', '/sobjects/Lead/describe')).status).toBe(401);
  });
});

describe('composite', () => {
  const query = (soql: string, referenceId: string) => ({
    method: 'GET',
    url: `/services/data/v62.0/query?q=${encodeURIComponent(soql)}`,
    referenceId,
  });

  it('answers each query subrequest in its own slot, counted as one API call', async () => {
    sim.createRecord('Lead', { LastName: 'Lamarr', Company: 'Frequency', Email: 'hedy@example.com' });
    const before = sim.calls.total ?? 0;
    const res = await api('POST', '/composite', {
      allOrNone: false,
      compositeRequest: [
        query("SELECT Id, Email FROM Lead WHERE Email IN ('hedy@example.com')", 'leads'),
        query('SELECT Id FROM Nope', 'broken'),
      ],
    });
    expect(res.status).toBe(200);
    const answers = (res.body as { compositeResponse: Array<{ referenceId: string; httpStatusCode: number; body: any }> })
      .compositeResponse;
    expect(answers.map((a) => [a.referenceId, a.httpStatusCode])).toEqual([
      ['leads', 200],
      ['broken', 400],
    ]);
    expect(answers[0]!.body).toMatchObject({ totalSize: 1, done: true, records: [{ Email: 'hedy@example.com' }] });
    expect(answers[1]!.body[0].errorCode).toEqual(expect.any(String));
    expect(sim.calls.total).toBe(before + 1);
    expect(sim.calls.composite).toBe(1);
  });

  it('refuses more than five query subrequests in one composite, as Salesforce does', async () => {
    const res = await api('POST', '/composite', {
      compositeRequest: Array.from({ length: 6 }, (_, i) => query('SELECT Id FROM Lead', `q${i}`)),
    });
    expect(res.status).toBe(400);
    expect((res.body as Array<{ errorCode: string }>)[0]!.errorCode).toBe('LIMIT_EXCEEDED');
  });
});
