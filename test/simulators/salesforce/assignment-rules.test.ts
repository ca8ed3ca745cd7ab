import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  INTEGRATION_USER_ID,
  REP_USER_ID,
  SALES_REP_IDS,
  type SalesforceSimulator,
  startSalesforceSimulator,
} from '../../../src/simulators/salesforce/server.ts';

/**
 * REST API Developer Guide, "Assignment Rule Header": `Sforce-Auto-Assign` absent or TRUE runs the active
 * assignment rule on created and updated Leads; FALSE runs none; an AssignmentRule id runs that rule for created
 * Leads (SOAP API "AssignmentRuleHeader": the rule may be inactive; a malformed id fails with MALFORMED_ID).
 * Every write endpoint honours it: sObject create/update/upsert, sObject Collections create/update/upsert, and the
 * sObject subrequests of Composite (the composite request's header applies to them).
 */
const CREDS = { clientId: 'assign-client', clientSecret: 'assign-secret', refreshToken: 'assign-refresh' };
const [FIRST_IN_TURN, SECOND_IN_TURN, NAMED_RULE_USER] = SALES_REP_IDS;
const ACTIVE_RULE = { id: '01Q000000000001AAA', name: 'Round robin', active: true, assignTo: [FIRST_IN_TURN, SECOND_IN_TURN] };
const NAMED_RULE = { id: '01Q000000000002AAA', name: 'Enterprise desk', active: false, assignTo: NAMED_RULE_USER };

let sim: SalesforceSimulator;
let token: string;

async function api(
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${sim.url}/services/data/v62.0${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const lead = (n: number) => ({ LastName: `Lead ${n}`, Company: 'Acme', Handoff_HubSpot_Id__c: `hs-${n}` });
const ok = (status: number) => expect(status).toBeLessThan(300);

/** One write endpoint: how it creates a Lead and how it updates one, each returning the Lead id. */
interface Endpoint {
  create(n: number, headers: Record<string, string>): Promise<string>;
  update(id: string, n: number, headers: Record<string, string>): Promise<void>;
}

const composite = async (sub: Record<string, unknown>, headers: Record<string, string>) => {
  const res = await api('POST', '/composite', { compositeRequest: [{ referenceId: 'w', ...sub }] }, headers);
  ok(res.status);
  const [answer] = (res.body as { compositeResponse: Array<{ body: { id?: string } | null; httpStatusCode: number }> }).compositeResponse;
  ok(answer!.httpStatusCode);
  return answer!.body;
};
const collection = async (method: string, path: string, record: Record<string, unknown>, headers: Record<string, string>) => {
  const res = await api(method, path, { allOrNone: false, records: [{ attributes: { type: 'Lead' }, ...record }] }, headers);
  const [result] = res.body as Array<{ id: string; success: boolean }>;
  expect(result).toMatchObject({ success: true });
  return result!.id;
};

const ENDPOINTS: Record<string, Endpoint> = {
  'sObject create / update': {
    create: async (n, h) => {
      const res = await api('POST', '/sobjects/Lead', lead(n), h);
      ok(res.status);
      return (res.body as { id: string }).id;
    },
    update: async (id, n, h) => ok((await api('PATCH', `/sobjects/Lead/${id}`, { Title: `T${n}` }, h)).status),
  },
  'sObject upsert by external id': {
    create: async (n, h) => {
      const { Handoff_HubSpot_Id__c: key, ...rest } = lead(n);
      const res = await api('PATCH', `/sobjects/Lead/Handoff_HubSpot_Id__c/${key}`, rest, h);
      expect(res.status).toBe(201);
      return (res.body as { id: string }).id;
    },
    update: async (_id, n, h) =>
      expect((await api('PATCH', `/sobjects/Lead/Handoff_HubSpot_Id__c/hs-${n}`, { Title: `T${n}` }, h)).status).toBe(200),
  },
  'sObject Collections create / update': {
    create: (n, h) => collection('POST', '/composite/sobjects', lead(n), h),
    update: async (id, n, h) => void (await collection('PATCH', '/composite/sobjects', { Id: id, Title: `T${n}` }, h)),
  },
  'sObject Collections upsert': {
    create: (n, h) => collection('PATCH', '/composite/sobjects/Lead/Handoff_HubSpot_Id__c', lead(n), h),
    update: async (_id, n, h) =>
      void (await collection(
        'PATCH',
        '/composite/sobjects/Lead/Handoff_HubSpot_Id__c',
        { Handoff_HubSpot_Id__c: `hs-${n}`, Title: `T${n}` },
        h,
      )),
  },
  'Composite sObject Collections subrequests': {
    create: async (n, h) => {
      const records = [{ attributes: { type: 'Lead' }, ...lead(n) }];
      const body = await composite(
        { method: 'POST', url: '/services/data/v62.0/composite/sobjects', body: { allOrNone: false, records } },
        h,
      );
      return (body as unknown as Array<{ id: string }>)[0]!.id;
    },
    update: async (id, n, h) =>
      void (await composite({ method: 'PATCH', url: `/services/data/v62.0/sobjects/Lead/${id}`, body: { Title: `T${n}` } }, h)),
  },
  'Composite sObject subrequests': {
    create: async (n, h) =>
      ((await composite({ method: 'POST', url: '/services/data/v62.0/sobjects/Lead', body: lead(n) }, h)) as { id: string }).id,
    update: async (id, n, h) =>
      void (await composite({ method: 'PATCH', url: `/services/data/v62.0/sobjects/Lead/${id}`, body: { Title: `T${n}` } }, h)),
  },
};

/** Header values and the owner each gives a Lead on create, and on update of a Lead a rep owns. */
const HEADERS: Array<[string, Record<string, string>, { create: string; update: string }]> = [
  ['no header (default TRUE)', {}, { create: FIRST_IN_TURN, update: FIRST_IN_TURN }],
  ['TRUE', { 'Sforce-Auto-Assign': 'TRUE' }, { create: FIRST_IN_TURN, update: FIRST_IN_TURN }],
  ['true (not case-sensitive)', { 'Sforce-Auto-Assign': 'true' }, { create: FIRST_IN_TURN, update: FIRST_IN_TURN }],
  ['FALSE', { 'Sforce-Auto-Assign': 'FALSE' }, { create: INTEGRATION_USER_ID, update: REP_USER_ID }],
  ['an inactive rule id', { 'Sforce-Auto-Assign': NAMED_RULE.id }, { create: NAMED_RULE_USER, update: REP_USER_ID }],
  [
    'a rule id in 15-character form',
    { 'Sforce-Auto-Assign': NAMED_RULE.id.slice(0, 15) },
    { create: NAMED_RULE_USER, update: REP_USER_ID },
  ],
];

beforeAll(async () => {
  sim = await startSalesforceSimulator({ ...CREDS, assignmentRules: [ACTIVE_RULE, NAMED_RULE] });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  sim.reset();
  const res = await fetch(`${sim.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: CREDS.clientId,
      client_secret: CREDS.clientSecret,
      refresh_token: CREDS.refreshToken,
    }).toString(),
  });
  token = ((await res.json()) as { access_token: string }).access_token;
});

describe.each(Object.entries(ENDPOINTS))('REST API Developer Guide, Assignment Rule Header, on %s', (_name, endpoint) => {
  it.each(HEADERS)('with %s: a created Lead gets the owner the header says', async (_label, headers, owners) => {
    const id = await endpoint.create(1, headers);
    expect(sim.getRecord('Lead', id)?.OwnerId).toBe(owners.create);
  });

  it.each(HEADERS)('with %s: an updated Lead a rep owns gets the owner the header says', async (_label, headers, owners) => {
    const { Id } = sim.createRecord('Lead', lead(1), { userId: REP_USER_ID });
    await endpoint.update(String(Id), 1, headers);
    expect(sim.getRecord('Lead', String(Id))).toMatchObject({ OwnerId: owners.update, Title: 'T1' });
  });
});

describe('REST API Developer Guide, Assignment Rule Header: the rule engine', () => {
  it('deals Leads out in turn under a round-robin active rule', async () => {
    const ids = [
      await ENDPOINTS['sObject create / update']!.create(1, {}),
      await ENDPOINTS['sObject create / update']!.create(2, {}),
      await ENDPOINTS['sObject create / update']!.create(3, {}),
    ];
    expect(ids.map((id) => sim.getRecord('Lead', id)?.OwnerId)).toEqual([FIRST_IN_TURN, SECOND_IN_TURN, FIRST_IN_TURN]);
  });

  it('fails the whole call with MALFORMED_ID when the header is neither TRUE, FALSE nor an id (SOAP API AssignmentRuleHeader)', async () => {
    const res = await api('POST', '/sobjects/Lead', lead(1), { 'Sforce-Auto-Assign': 'sometimes' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual([expect.objectContaining({ errorCode: 'MALFORMED_ID' })]);
    expect(sim.records('Lead')).toEqual([]);
  });

  it("runs no rule on a rep's edit in the UI (a /_sim control write is not an API call)", () => {
    const { Id } = sim.createRecord('Lead', lead(1), { userId: REP_USER_ID });
    sim.updateRecord('Lead', String(Id), { Title: 'Edited' }, { userId: REP_USER_ID });
    expect(sim.getRecord('Lead', String(Id))?.OwnerId).toBe(REP_USER_ID);
  });

  it('refuses a second active rule at start (one active lead assignment rule per org)', async () => {
    await expect(startSalesforceSimulator({ ...CREDS, assignmentRules: [ACTIVE_RULE, { ...NAMED_RULE, active: true }] })).rejects.toThrow(
      /at most one/,
    );
  });
});

/**
 * A converted Lead is read-only: every write path answers CANNOT_UPDATE_CONVERTED_LEAD, "cannot reference converted
 * lead" (Salesforce Help 000384333, "CANNOT_UPDATE_CONVERTED_LEAD"), and no assignment rule runs on it.
 */
describe('REST API Developer Guide, "Composite Subrequest": a subrequest\'s own httpHeaders', () => {
  const createIn = (n: number, httpHeaders?: Record<string, string>) => ({
    method: 'POST',
    url: '/services/data/v62.0/composite/sobjects',
    body: { allOrNone: false, records: [{ attributes: { type: 'Lead' }, ...lead(n) }] },
    ...(httpHeaders ? { httpHeaders } : {}),
  });

  it("apply to that subrequest: its Sforce-Auto-Assign wins over the composite request's", async () => {
    const res = await api(
      'POST',
      '/composite',
      {
        compositeRequest: [
          { referenceId: 'own', ...createIn(1, { 'sforce-auto-assign': 'FALSE' }) },
          { referenceId: 'inherited', ...createIn(2) },
          {
            referenceId: 'owners',
            method: 'GET',
            url: `/services/data/v62.0/query?q=${encodeURIComponent("SELECT Handoff_HubSpot_Id__c, OwnerId FROM Lead WHERE Handoff_HubSpot_Id__c IN ('hs-1','hs-2') ORDER BY Handoff_HubSpot_Id__c")}`,
          },
        ],
      },
      { 'Sforce-Auto-Assign': 'TRUE' },
    );
    ok(res.status);
    const [own, inherited, owners] = (res.body as { compositeResponse: Array<{ body: unknown; httpStatusCode: number }> })
      .compositeResponse;
    expect([own?.httpStatusCode, inherited?.httpStatusCode]).toEqual([200, 200]);
    // The query runs after the creates in the same call and sees the owners they got.
    expect((owners!.body as { records: Array<{ OwnerId: string }> }).records.map((r) => r.OwnerId)).toEqual([
      INTEGRATION_USER_ID,
      FIRST_IN_TURN,
    ]);
  });

  it('counts collection subrequests with queries against the five allowed per composite', async () => {
    const query = { method: 'GET', url: `/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM Lead')}` };
    const subrequests = [createIn(1), createIn(2), createIn(3), query, query, query].map((sub, i) => ({ referenceId: `s${i}`, ...sub }));
    const refused = await api('POST', '/composite', { compositeRequest: subrequests }, {});
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('LIMIT_EXCEEDED');
    expect(sim.records('Lead')).toHaveLength(0);
    ok((await api('POST', '/composite', { compositeRequest: subrequests.slice(1) }, {})).status);
  });
});

describe('Salesforce Help, CANNOT_UPDATE_CONVERTED_LEAD, on every write path', () => {
  const converted = { message: 'cannot reference converted lead', fields: [] };
  const attempts: Array<[string, (id: string) => Promise<unknown>]> = [
    ['sObject update', async (id) => (await api('PATCH', `/sobjects/Lead/${id}`, { Title: 'x' }, {})).body],
    ['sObject upsert', async () => (await api('PATCH', '/sobjects/Lead/Handoff_HubSpot_Id__c/hs-1', { Title: 'x' }, {})).body],
    [
      'Collections update',
      async (id) =>
        (
          await api(
            'PATCH',
            '/composite/sobjects',
            { allOrNone: false, records: [{ attributes: { type: 'Lead' }, Id: id, Title: 'x' }] },
            {},
          )
        ).body,
    ],
    [
      'Collections upsert',
      async () =>
        (
          await api(
            'PATCH',
            '/composite/sobjects/Lead/Handoff_HubSpot_Id__c',
            { allOrNone: false, records: [{ attributes: { type: 'Lead' }, Handoff_HubSpot_Id__c: 'hs-1', Title: 'x' }] },
            {},
          )
        ).body,
    ],
    [
      'Composite update',
      async (id) =>
        (
          await api(
            'POST',
            '/composite',
            {
              compositeRequest: [
                { referenceId: 'w', method: 'PATCH', url: `/services/data/v62.0/sobjects/Lead/${id}`, body: { Title: 'x' } },
              ],
            },
            {},
          )
        ).body,
    ],
  ];
  it.each(attempts)('%s answers CANNOT_UPDATE_CONVERTED_LEAD and leaves the Lead as it was', async (_name, attempt) => {
    const { Id } = sim.createRecord('Lead', lead(1), { userId: REP_USER_ID });
    sim.convertLead(String(Id));
    const before = sim.getRecord('Lead', String(Id));
    const body = JSON.stringify(await attempt(String(Id)));
    expect(body).toContain('"CANNOT_UPDATE_CONVERTED_LEAD"');
    expect(body).toContain(JSON.stringify(converted.message));
    expect(sim.getRecord('Lead', String(Id))).toEqual(before);
  });
});
