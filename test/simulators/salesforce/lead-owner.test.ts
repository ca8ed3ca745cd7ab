import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { INBOUND_QUEUE, SANDBOX_DIRECTORY } from '../../../src/simulators/salesforce/sandbox-directory.ts';
import {
  INACTIVE_REP_ID,
  INTEGRATION_USER_ID,
  REP_USER_ID,
  type SalesforceSimulator,
  startSalesforceSimulator,
} from '../../../src/simulators/salesforce/server.ts';
import { type SimApi, simApi } from './support/sim-api.ts';

/**
 * Lead.OwnerId is polymorphic (Object Reference: Lead, "OwnerId … refers to Group, User"): a queue may own a Lead
 * when it supports Leads (QueueSobject). An inactive user cannot own one (INACTIVE_OWNER_OR_USER, Salesforce help
 * article 000205862); an id of nothing in the org is INVALID_CROSS_REFERENCE_KEY; a queue without Lead support or
 * an id of another object is FIELD_INTEGRITY_EXCEPTION "Owner ID: id value of incorrect type".
 */
const CREDS = { clientId: 'owner-client', clientSecret: 'owner-secret', refreshToken: 'owner-refresh' };
const CASE_QUEUE = { id: '00GHs1000000099AAA', developerName: 'Support_Cases', sobjectTypes: ['Case'] };
const NO_RULE = { 'Sforce-Auto-Assign': 'FALSE' };

let sim: SalesforceSimulator;
let api: SimApi;

beforeAll(async () => {
  sim = await startSalesforceSimulator({ ...CREDS, ...SANDBOX_DIRECTORY, queues: [...SANDBOX_DIRECTORY.queues, CASE_QUEUE] });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  sim.reset();
  api = await simApi(sim, CREDS);
});

const lead = (n: number, extra: Record<string, unknown> = {}) => ({
  attributes: { type: 'Lead' },
  LastName: `L${n}`,
  Company: 'Acme',
  ...extra,
});

async function createLeads(records: Array<Record<string, unknown>>) {
  const res = await api.call('POST', '/composite/sobjects', { allOrNone: false, records }, NO_RULE);
  expect(res.status).toBe(200);
  return res.body as Array<{
    id: string | null;
    success: boolean;
    errors: Array<{ statusCode: string; message: string; fields: string[] }>;
  }>;
}

describe('Lead owner on API saves', () => {
  it('accepts an active user or a queue that supports Leads; with no owner sent, the integration user owns it', async () => {
    const results = await createLeads([lead(1, { OwnerId: REP_USER_ID }), lead(2, { OwnerId: INBOUND_QUEUE.id }), lead(3)]);
    expect(results.map((r) => r.success)).toEqual([true, true, true]);
    expect(results.map((r) => sim.getRecord('Lead', String(r.id))?.OwnerId)).toEqual([REP_USER_ID, INBOUND_QUEUE.id, INTEGRATION_USER_ID]);
  });

  it('fails each record with an owner the org refuses, and saves the others', async () => {
    const unknownUser = '005Hs0000000999AAA';
    const results = await createLeads([
      lead(1, { OwnerId: INACTIVE_REP_ID }),
      lead(2, { OwnerId: CASE_QUEUE.id }),
      lead(3, { OwnerId: unknownUser }),
      lead(4, { OwnerId: 'not-an-id' }),
      lead(5, { OwnerId: '001Hs1000000001AAA' }),
      lead(6, { OwnerId: REP_USER_ID }),
    ]);
    expect(results.map((r) => [r.success, r.errors[0]?.statusCode ?? null])).toEqual([
      [false, 'INACTIVE_OWNER_OR_USER'],
      [false, 'FIELD_INTEGRITY_EXCEPTION'],
      [false, 'INVALID_CROSS_REFERENCE_KEY'],
      [false, 'MALFORMED_ID'],
      [false, 'FIELD_INTEGRITY_EXCEPTION'],
      [true, null],
    ]);
    expect(results[0]?.errors[0]).toEqual({
      statusCode: 'INACTIVE_OWNER_OR_USER',
      message: `operation performed with inactive user [${INACTIVE_REP_ID}] as owner of lead`,
      fields: ['OwnerId'],
    });
    expect(results[1]?.errors[0]?.message).toBe(`Owner ID: id value of incorrect type: ${CASE_QUEUE.id}`);
    expect(sim.records('Lead')).toHaveLength(1);
  });

  it('checks an update the same way, and a single-record save answers 400 with the code', async () => {
    const [created] = await createLeads([lead(1)]);
    const id = String(created?.id);
    const moved = await api.call('PATCH', `/sobjects/Lead/${id}`, { OwnerId: INBOUND_QUEUE.id }, NO_RULE);
    expect(moved.status).toBe(204);
    const refused = await api.call('PATCH', `/sobjects/Lead/${id}`, { OwnerId: INACTIVE_REP_ID }, NO_RULE);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual([expect.objectContaining({ errorCode: 'INACTIVE_OWNER_OR_USER', fields: ['OwnerId'] })]);
    expect(sim.getRecord('Lead', id)?.OwnerId).toBe(INBOUND_QUEUE.id);
  });

  it('a queue cannot own a Task, which only users own', async () => {
    const res = await api.call('POST', '/sobjects/Task', { Subject: 'Call', OwnerId: INBOUND_QUEUE.id });
    expect(res.status).toBe(400);
    expect(res.body).toEqual([expect.objectContaining({ errorCode: 'FIELD_INTEGRITY_EXCEPTION' })]);
  });

  it('a rep in the UI is not checked (the control plane writes as a person would, unvalidated)', () => {
    const row = sim.createRecord('Lead', { LastName: 'UI', Company: 'Acme', OwnerId: INACTIVE_REP_ID });
    expect(row.OwnerId).toBe(INACTIVE_REP_ID);
  });
});
