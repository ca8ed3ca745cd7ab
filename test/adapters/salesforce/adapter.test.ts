import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createSalesforceAdapter } from '../../../src/adapters/salesforce/adapter.ts';
import type { SalesforcePort } from '../../../src/adapters/salesforce/salesforce-port.ts';
import { ProviderError } from '../../../src/errors.ts';
import { silentLogger } from '../../../src/log.ts';
import {
  INTEGRATION_USER_ID,
  REP_USER_ID,
  SALES_REP_IDS,
  type SalesforceSimulator,
  startSalesforceSimulator,
} from '../../../src/simulators/salesforce/server.ts';

const CREDS = { clientId: 'sim-client', clientSecret: 'sim-secret', refreshToken: 'sim-refresh' };
const EXT = 'Handoff_HubSpot_Id__c';
const NO_RULE = { kind: 'none' } as const;

let sim: SalesforceSimulator;
let sleeps: number[];

function adapter(overrides: Partial<Parameters<typeof createSalesforceAdapter>[0]> = {}): SalesforcePort {
  return createSalesforceAdapter({
    loginUrl: sim.url,
    instanceUrl: sim.url,
    ...CREDS,
    apiVersion: '66.0',
    logger: silentLogger(),
    retryPolicy: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000 },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  });
}

function lead(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { [EXT]: `hs-${n}`, LastName: `Last${n}`, Company: `Co ${n}`, Email: `p${n}@example.com`, ...extra };
}

beforeAll(async () => {
  sim = await startSalesforceSimulator({ ...CREDS });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
  sleeps = [];
});

describe('authentication', () => {
  it('gets a token by refresh-token grant at first use, then reuses it', async () => {
    const sf = adapter();
    await sf.query('SELECT Id FROM Lead');
    await sf.query('SELECT Id FROM Lead');
    expect(sim.calls.token).toBe(1);
    expect(sim.calls.query).toBe(2);
  });

  it('refreshes once after the access token expires (jsforce replays the 401 call)', async () => {
    const sf = adapter();
    await sf.query('SELECT Id FROM Lead');
    sim.expireAccessTokens();
    sim.createRecord('Lead', { LastName: 'Rep', Company: 'Acme' });
    const rows = await sf.query<{ Id: string }>('SELECT Id FROM Lead');
    expect(rows).toHaveLength(1);
    expect(sim.calls.token).toBe(2);
    expect(sim.calls.query).toBe(3);
  });

  it('reports a refused refresh token as a permanent provider error', async () => {
    const sf = adapter({ refreshToken: 'wrong' });
    const error = await sf.query('SELECT Id FROM Lead').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'invalid_grant', retryable: false });
    expect(String((error as Error).message)).not.toContain('wrong');
  });
});

describe('upsertLeads', () => {
  it('creates, then updates the same records by external id without duplicates', async () => {
    const sf = adapter();
    const first = await sf.upsertLeads([lead(1), lead(2)], EXT, NO_RULE);
    expect(first.map((r) => [r.externalId, r.success, r.created])).toEqual([
      ['hs-1', true, true],
      ['hs-2', true, true],
    ]);
    const second = await sf.upsertLeads([lead(1, { Title: 'CTO' }), lead(2)], EXT, NO_RULE);
    expect(second.map((r) => r.created)).toEqual([false, false]);
    expect(second[0]?.id).toBe(first[0]?.id);
    expect(sim.records('Lead')).toHaveLength(2);
    expect(sim.getRecord('Lead', String(first[0]?.id))?.Title).toBe('CTO');
  });

  it('sends 450 records as 200/200/50 collections calls and returns results in input order', async () => {
    const sf = adapter();
    const records = Array.from({ length: 450 }, (_, i) => lead(i));
    const results = await sf.upsertLeads(records, EXT, NO_RULE);
    expect(sim.calls.upsert).toBe(3);
    expect(results).toHaveLength(450);
    expect(results.map((r) => r.externalId)).toEqual(records.map((r) => r[EXT]));
    expect(results.every((r) => r.success && r.created === true)).toBe(true);
    const byExt = new Map(sim.records('Lead').map((row) => [row[EXT], row.Id]));
    expect(results.every((r) => byExt.get(r.externalId) === r.id)).toBe(true);
  });

  it('returns per-record failures as results beside the successes', async () => {
    const sf = adapter();
    const results = await sf.upsertLeads(
      [lead(1), { [EXT]: 'hs-2', LastName: 'NoCompany' }, lead(3, { Status: 'Not A Status' }), lead(4, { Title: 'x'.repeat(129) })],
      EXT,
      NO_RULE,
    );
    expect(results.map((r) => r.success)).toEqual([true, false, false, false]);
    expect(results[1]?.errors).toEqual([
      { statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Company]', fields: ['Company'] },
    ]);
    expect(results[2]?.errors[0]?.statusCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    expect(results[3]?.errors[0]?.statusCode).toBe('STRING_TOO_LONG');
    expect(results[1]?.externalId).toBe('hs-2');
    expect(sim.records('Lead')).toHaveLength(1);
  });

  it('fails the whole call on an unknown field, as Salesforce does, without retrying', async () => {
    const sf = adapter();
    const error = await sf.upsertLeads([lead(1, { Nope__c: 1 })], EXT, NO_RULE).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_FIELD', retryable: false, status: undefined });
    expect(sim.calls.upsert).toBe(1);
  });
});

describe('updateRecords and createRecords', () => {
  it('creates Tasks and updates Leads through collections', async () => {
    const sf = adapter();
    const [created] = await sf.upsertLeads([lead(1)], EXT, NO_RULE);
    const tasks = await sf.createRecords('Task', [
      { Subject: 'Call', WhoId: created?.id },
      { Subject: 'Bad', Status: 'Nope' },
    ]);
    expect(tasks.map((t) => t.success)).toEqual([true, false]);
    expect(tasks[0]?.id?.startsWith('00T')).toBe(true);
    const updated = await sf.updateRecords('Lead', [{ Id: String(created?.id), Status: 'Working - Contacted' }]);
    expect(updated).toEqual([{ id: created?.id, success: true, errors: [] }]);
    expect(sim.getRecord('Lead', String(created?.id))?.Status).toBe('Working - Contacted');
    expect(sim.calls.create).toBe(1);
    expect(sim.calls.update).toBe(1);
  });
});

describe('findByEmails', () => {
  it('escapes quotes and backslashes and finds leads and contacts', async () => {
    const tricky = "o'brien\\x@example.com";
    const leadRow = sim.createRecord('Lead', { LastName: 'OBrien', Company: 'Acme', Email: tricky, [EXT]: 'hs-9' });
    sim.createRecord('Lead', { LastName: 'Other', Company: 'Acme', Email: 'other@example.com' });
    const contact = sim.createRecord('Contact', { LastName: 'Quote', Email: "a'b@example.com" });
    const found = await adapter().findByEmails([tricky, "a'b@example.com", "' OR Email != '"]);
    expect(found.leads).toEqual([
      { id: leadRow.Id, email: tricky, externalId: 'hs-9', isConverted: false, convertedContactId: null, status: 'Open - Not Contacted' },
    ]);
    expect(found.contacts).toEqual([{ id: contact.Id, email: "a'b@example.com" }]);
  });

  it('asks for Leads and Contacts of 100 addresses per query, four queries per composite API call', async () => {
    const emails = Array.from({ length: 250 }, (_, i) => `p${i}@example.com`);
    sim.createRecord('Lead', { LastName: 'L', Company: 'C', Email: 'p249@example.com' });
    sim.createRecord('Contact', { LastName: 'K', Email: 'p3@example.com' });
    const found = await adapter().findByEmails(emails);
    expect(found.leads.map((l) => l.email)).toEqual(['p249@example.com']);
    expect(found.contacts.map((c) => c.email)).toEqual(['p3@example.com']);
    // 3 chunks → 6 queries → 2 composites (a composite counts once against the API limit); no single queries.
    expect(sim.calls.composite).toBe(2);
    expect(sim.calls.query ?? 0).toBe(0);
  });

  it('costs one API call for a batch of 100 contacts, and none for no addresses', async () => {
    const sf = adapter();
    await sf.findByEmails(Array.from({ length: 100 }, (_, i) => `q${i}@example.com`));
    expect(sim.calls.composite).toBe(1);
    const total = sim.calls.total;
    await sf.findByEmails(['', '  ']);
    expect(sim.calls.total).toBe(total);
  });

  it('follows nextRecordsUrl when one query of the composite has more rows than a batch', async () => {
    const paged = await startSalesforceSimulator({ ...CREDS, queryBatchSize: 2 });
    try {
      for (let i = 0; i < 5; i++) paged.createRecord('Lead', { LastName: `L${i}`, Company: 'C', Email: 'same@example.com' });
      const sf = createSalesforceAdapter({
        ...CREDS,
        loginUrl: paged.url,
        instanceUrl: paged.url,
        apiVersion: '66.0',
        logger: silentLogger(),
        leadExternalIdField: EXT,
      });
      const found = await sf.findByEmails(['same@example.com']);
      expect(found.leads).toHaveLength(5);
      expect(paged.calls.composite).toBe(1);
      expect(paged.calls.query).toBe(2);
    } finally {
      await paged.close();
    }
  });
});

describe('query', () => {
  it('follows nextRecordsUrl over 1,000 records in SystemModstamp, Id order', async () => {
    for (let i = 0; i < 1000; i++) sim.createRecord('Lead', { LastName: `L${i}`, Company: 'C' });
    const rows = await adapter().query<{ Id: string; SystemModstamp: string }>(
      'SELECT Id, SystemModstamp FROM Lead WHERE SystemModstamp >= 2000-01-01T00:00:00Z ORDER BY SystemModstamp, Id',
      { pageSize: 200 },
    );
    expect(rows).toHaveLength(1000);
    expect(sim.calls.query).toBe(5);
    const keys = rows.map((r) => `${r.SystemModstamp}|${r.Id}`);
    expect(keys).toEqual([...keys].sort());
    expect(new Set(rows.map((r) => r.Id)).size).toBe(1000);
    expect(rows[0]).not.toHaveProperty('attributes');
  });

  it('lets callers page themselves with queryPage', async () => {
    for (let i = 0; i < 250; i++) sim.createRecord('Lead', { LastName: `L${i}`, Company: 'C' });
    const sf = adapter();
    const first = await sf.queryPage('SELECT Id FROM Lead ORDER BY Id', { pageSize: 200 });
    expect(first).toMatchObject({ totalSize: 250, done: false });
    expect(first.records).toHaveLength(200);
    const second = await sf.queryPage(String(first.nextRecordsUrl), { pageSize: 200 });
    expect(second.done).toBe(true);
    expect(second.records).toHaveLength(50);
  });

  it('reports MALFORMED_QUERY as permanent', async () => {
    const error = await adapter()
      .query('SELECT FROM Lead')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MALFORMED_QUERY', retryable: false });
  });
});

describe('failures and budget', () => {
  it('retries a 503 with the injected sleep, then succeeds', async () => {
    sim.injectFaults({ status: 503, errorCode: 'SERVER_UNAVAILABLE', count: 2 });
    const results = await adapter().upsertLeads([lead(1)], EXT, NO_RULE);
    expect(results[0]?.success).toBe(true);
    expect(sim.calls.upsert).toBe(3);
    expect(sleeps).toHaveLength(2);
    expect(sim.records('Lead')).toHaveLength(1);
  });

  it('gives up after the policy attempts with a retryable error', async () => {
    sim.injectFaults({ status: 500, errorCode: 'UNABLE_TO_LOCK_ROW', count: 10 });
    const error = await adapter()
      .query('SELECT Id FROM Lead')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNABLE_TO_LOCK_ROW', retryable: true });
    expect(sim.calls.query).toBe(4);
  });

  it('surfaces REQUEST_LIMIT_EXCEEDED as non-retryable so the caller parks', async () => {
    sim.injectFaults({ status: 403, errorCode: 'REQUEST_LIMIT_EXCEEDED', count: 1 });
    const error = await adapter()
      .query('SELECT Id FROM Lead')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'REQUEST_LIMIT_EXCEEDED', retryable: false, status: 403 });
    expect(sim.calls.query).toBe(1);
  });

  it('tracks Sforce-Limit-Info and hits the org budget', async () => {
    const small = await startSalesforceSimulator({ ...CREDS, apiLimit: 2 });
    try {
      const sf = createSalesforceAdapter({
        loginUrl: small.url,
        instanceUrl: small.url,
        ...CREDS,
        apiVersion: '66.0',
        logger: silentLogger(),
        sleep: async () => {},
      });
      expect(sf.apiUsage()).toBeUndefined();
      await sf.query('SELECT Id FROM Lead');
      expect(sf.apiUsage()).toEqual({ used: 1, limit: 2 });
      await sf.query('SELECT Id FROM Lead');
      await expect(sf.query('SELECT Id FROM Lead')).rejects.toMatchObject({ code: 'REQUEST_LIMIT_EXCEEDED', retryable: false });
    } finally {
      await small.close();
    }
  });

  it('treats a refused connection as retryable', async () => {
    const dead = await startSalesforceSimulator({ ...CREDS });
    const url = dead.url;
    await dead.close();
    const sf = createSalesforceAdapter({
      loginUrl: url,
      instanceUrl: url,
      ...CREDS,
      apiVersion: '66.0',
      logger: silentLogger(),
      retryPolicy: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
      sleep: async () => {},
    });
    await expect(sf.query('SELECT Id FROM Lead')).rejects.toMatchObject({ retryable: true, code: 'ECONNREFUSED' });
  });
});

describe('describe', () => {
  it('lists fields with access, external id and picklist values', async () => {
    const description = await adapter().describe('Lead');
    const byName = new Map(description.fields.map((f) => [f.name, f]));
    expect(description.name).toBe('Lead');
    expect(byName.get(EXT)).toMatchObject({ externalId: true, createable: true, updateable: true });
    expect(byName.get('IsConverted')).toMatchObject({ createable: false, updateable: false });
    expect(byName.get('Status')?.picklistValues).toContain('Open - Not Contacted');
    expect(byName.get('MQL_Date__c')?.type).toBe('datetime');
  });
});

describe('REST API Developer Guide, Assignment Rule Header: which writes may run a lead assignment rule', () => {
  const ROUND_ROBIN = { id: '01Q000000000001AAA', name: 'Round robin', active: true, assignTo: [SALES_REP_IDS[0], SALES_REP_IDS[1]] };
  const NAMED = { id: '01Q000000000002AAA', name: 'Named', active: false, assignTo: SALES_REP_IDS[2] };
  let ruled: SalesforceSimulator;
  const ruledAdapter = () =>
    createSalesforceAdapter({ loginUrl: ruled.url, instanceUrl: ruled.url, ...CREDS, apiVersion: '66.0', logger: silentLogger() });
  beforeAll(async () => {
    ruled = await startSalesforceSimulator({ ...CREDS, assignmentRules: [ROUND_ROBIN, NAMED] });
  });
  afterAll(async () => {
    await ruled.close();
  });
  beforeEach(() => ruled.reset());

  it.each([
    [{ kind: 'active-rule' } as const, SALES_REP_IDS[0]],
    [{ kind: 'none' } as const, INTEGRATION_USER_ID],
    [{ kind: 'rule', ruleId: NAMED.id } as const, SALES_REP_IDS[2]],
  ])('createLeads with %j gives the new Lead owner %s', async (assignment, owner) => {
    const [created] = await ruledAdapter().createLeads([lead(1)], assignment);
    expect(ruled.getRecord('Lead', String(created?.id))?.OwnerId).toBe(owner);
  });

  it('updateRecords, createRecords and upsertLeads with no rule leave the owner a rep holds', async () => {
    const sf = ruledAdapter();
    const { Id } = ruled.createRecord('Lead', lead(1), { userId: REP_USER_ID });
    await sf.updateRecords('Lead', [{ Id: String(Id), Title: 'CTO' }]);
    await sf.upsertLeads([lead(1, { Title: 'CEO' })], EXT, NO_RULE);
    await sf.createRecords('Task', [{ Subject: 'Call', WhoId: String(Id) }]);
    expect(ruled.getRecord('Lead', String(Id))).toMatchObject({ OwnerId: REP_USER_ID, Title: 'CEO' });
  });
});
