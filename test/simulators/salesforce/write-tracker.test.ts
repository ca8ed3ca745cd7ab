import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type SalesforceSimulator, startSalesforceSimulator } from '../../../src/simulators/salesforce/server.ts';

const CREDS = { clientId: 'sim-client', clientSecret: 'sim-secret', refreshToken: 'sim-refresh' };
let sim: SalesforceSimulator;
let token: string;

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${sim.url}/services/data/v62.0${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const upsert = (records: Record<string, unknown>[]) =>
  api('PATCH', '/composite/sobjects/Lead/Handoff_HubSpot_Id__c', {
    allOrNone: false,
    records: records.map((r) => ({ attributes: { type: 'Lead' }, ...r })),
  });
const lead = (id: string, title: string) => ({ Handoff_HubSpot_Id__c: id, LastName: `L${id}`, Company: 'Overlap', Title: title });

beforeAll(async () => {
  // Each data call takes 150 ms, so requests sent together are in flight together.
  sim = await startSalesforceSimulator({ ...CREDS, latencyMs: 150 });
});
afterAll(async () => sim.close());
beforeEach(async () => {
  sim.reset();
  const form = new URLSearchParams({
    grant_type: 'refresh_token',
    client_id: CREDS.clientId,
    client_secret: CREDS.clientSecret,
    refresh_token: CREDS.refreshToken,
  });
  const res = await fetch(`${sim.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  token = ((await res.json()) as { access_token: string }).access_token;
});

describe('overlapping writes for one record', () => {
  it('counts two upserts of the same external id in flight at once, before the record exists', async () => {
    const [a, b] = await Promise.all([upsert([lead('501', 'first')]), upsert([lead('501', 'second')])]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(sim.overlaps.count).toBe(1);
    expect(sim.overlaps.records[0]?.record).toBe('Lead/Handoff_HubSpot_Id__c=501');
  });

  it('counts an upsert by external id and an update by Id of the same existing Lead', async () => {
    const created = await upsert([lead('502', 'v1')]);
    const id = created.body[0].id as string;
    expect(sim.overlaps.count).toBe(0);
    await Promise.all([
      upsert([lead('502', 'v2')]),
      api('PATCH', '/composite/sobjects', { allOrNone: false, records: [{ attributes: { type: 'Lead' }, Id: id, Title: 'v3' }] }),
    ]);
    expect(sim.overlaps.count).toBe(1);
    expect(sim.overlaps.records[0]?.record).toBe(`Lead/${id}`);
    // Exposed through the control API too.
    const control = await fetch(`${sim.url}/_sim/overlaps`);
    expect(((await control.json()) as { count: number }).count).toBe(1);
  });

  it('counts nothing for writes one after another, or for different records at once', async () => {
    await upsert([lead('503', 'v1')]);
    await upsert([lead('503', 'v2')]);
    await Promise.all([upsert([lead('504', 'a')]), upsert([lead('505', 'b')])]);
    // One request naming the same record twice is not two requests racing.
    await upsert([lead('506', 'x'), lead('506', 'y')]);
    expect(sim.overlaps.count).toBe(0);
    expect(sim.writesInFlight).toBe(0);
  });

  it('counts single-record writes too, and a request refused by an injected fault while it was in flight', async () => {
    const created = await api('PATCH', '/sobjects/Lead/Handoff_HubSpot_Id__c/507', { LastName: 'L507', Company: 'Overlap' });
    expect(created.status).toBe(201);
    sim.injectFaults({ status: 503, errorCode: 'SERVER_UNAVAILABLE', count: 1 });
    const [first, second] = await Promise.all([
      api('PATCH', `/sobjects/Lead/${created.body.id}`, { Title: 'a' }),
      api('PATCH', '/sobjects/Lead/Handoff_HubSpot_Id__c/507', { Title: 'b' }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 503]);
    expect(sim.overlaps.count).toBe(1);
  });
});

describe('the write log of a record', () => {
  it('keeps each API save of a Lead in order, with the values sent, and leaves out rolled-back saves', async () => {
    const created = await upsert([lead('601', 'v1')]);
    const id = created.body[0].id as string;
    await upsert([lead('601', 'v2')]);
    await api('PATCH', '/composite/sobjects', {
      allOrNone: true,
      records: [
        { attributes: { type: 'Lead' }, Id: id, Title: 'rolled back' },
        { attributes: { type: 'Lead' }, Id: 'no-such-id', Title: 'fails' },
      ],
    });
    await upsert([lead('601', 'v3')]);
    sim.updateRecord('Lead', id, { Title: 'a rep edit is not an API save' });
    const log = sim.writeLog('Lead', id);
    expect(log.map((entry) => [entry.operation, entry.values.Title])).toEqual([
      ['create', 'v1'],
      ['update', 'v2'],
      ['update', 'v3'],
    ]);
    const control = await fetch(`${sim.url}/_sim/write-log/Lead/${id}`);
    expect(((await control.json()) as { values: { Title: string } }[]).map((entry) => entry.values.Title)).toEqual(['v1', 'v2', 'v3']);
  });
});
