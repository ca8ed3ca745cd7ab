import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createSalesforceAdapter } from '../../../src/adapters/salesforce/adapter.ts';
import type { SalesforcePort } from '../../../src/adapters/salesforce/salesforce-port.ts';
import { ProviderError } from '../../../src/errors.ts';
import { silentLogger } from '../../../src/log.ts';
import { SANDBOX_DIRECTORY } from '../../../src/simulators/salesforce/sandbox-directory.ts';
import {
  INTEGRATION_USER_ID,
  REP_USER_ID,
  SALES_REP_IDS,
  type SalesforceSimulator,
  startSalesforceSimulator,
} from '../../../src/simulators/salesforce/server.ts';

/**
 * REST API Developer Guide, "Composite" (subrequests run in order, the whole request is one API call, up to 5 of them
 * sObject Collections or query operations) and "Composite Subrequest" (a subrequest's httpHeaders): a create and the
 * read-back of its owners in one call; and the Accounts routing needs asked inside the e-mail match's composite.
 */
const CREDS = { clientId: 'create-client', clientSecret: 'create-secret', refreshToken: 'create-refresh' };
const EXT = 'Handoff_HubSpot_Id__c';
const RULE = { id: '01QHs1000000001AAA', name: 'Round robin', active: true, assignTo: [SALES_REP_IDS[0]!, SALES_REP_IDS[1]!] };

let sim: SalesforceSimulator;
let sf: SalesforcePort;
const total = (): number => sim.calls.total ?? 0;
const lead = (n: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  [EXT]: `hs-${n}`,
  LastName: `L${n}`,
  Company: 'Acme',
  ...extra,
});

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  sim = await startSalesforceSimulator({ ...CREDS, ...SANDBOX_DIRECTORY, assignmentRules: [RULE] });
  sf = createSalesforceAdapter({ loginUrl: sim.url, instanceUrl: sim.url, ...CREDS, apiVersion: '66.0', logger: silentLogger() });
});
afterAll(async () => {
  await sim.close();
  nock.enableNetConnect();
  nock.restore();
});
beforeEach(() => sim.reset());

describe('createLeads with readOwners', () => {
  it("answers the owner the org's active rule chose, in one API call and no other", async () => {
    await sf.query('SELECT Id FROM Lead LIMIT 1'); // log in first: the token call is not the create's
    const before = { total: total(), composite: sim.calls.composite ?? 0 };
    const saves = await sf.createLeads([lead(1), lead(2), lead(3)], { kind: 'active-rule' }, { readOwners: true });
    expect(saves.map((s) => [s.success, s.ownerId])).toEqual([
      [true, SALES_REP_IDS[0]],
      [true, SALES_REP_IDS[1]],
      [true, SALES_REP_IDS[0]],
    ]);
    expect(saves.map((s) => s.ownerId)).toEqual(saves.map((s) => sim.records('Lead').find((r) => r.Id === s.id)?.OwnerId));
    expect(total() - before.total).toBe(1);
    expect((sim.calls.composite ?? 0) - before.composite).toBe(1);
  });

  it('runs no rule with FALSE (the owner we set is answered) and a named rule with its id', async () => {
    const [chosen] = await sf.createLeads([lead(1, { OwnerId: REP_USER_ID })], { kind: 'none' }, { readOwners: true });
    const [defaulted] = await sf.createLeads([lead(2)], { kind: 'none' }, { readOwners: true });
    const [named] = await sf.createLeads([lead(3)], { kind: 'rule', ruleId: RULE.id }, { readOwners: true });
    expect([chosen?.ownerId, defaulted?.ownerId, named?.ownerId]).toEqual([REP_USER_ID, INTEGRATION_USER_ID, SALES_REP_IDS[0]]);
  });

  it("answers the existing Lead's owner for a create refused with DUPLICATE_VALUE on the external id", async () => {
    sim.createRecord('Lead', { ...lead(7), OwnerId: REP_USER_ID });
    const [again, fresh] = await sf.createLeads([lead(7), lead(8)], { kind: 'active-rule' }, { readOwners: true });
    expect(again).toMatchObject({ success: false, ownerId: REP_USER_ID });
    expect(again?.errors[0]?.statusCode).toBe('DUPLICATE_VALUE');
    expect(fresh).toMatchObject({ success: true, ownerId: SALES_REP_IDS[0] });
  });

  it('sends 200 records a composite, results in input order', async () => {
    const records = Array.from({ length: 250 }, (_, i) => lead(i, { OwnerId: i % 2 === 0 ? REP_USER_ID : SALES_REP_IDS[2] }));
    const before = sim.calls.composite ?? 0;
    const saves = await sf.createLeads(records, { kind: 'none' }, { readOwners: true });
    expect(saves).toHaveLength(250);
    expect(saves.every((s, i) => s.success && s.ownerId === records[i]?.OwnerId)).toBe(true);
    expect((sim.calls.composite ?? 0) - before).toBe(2);
  });
});

describe('findByEmails with accountDomains', () => {
  it('answers the Accounts of the domains in the same composite call', async () => {
    await sf.query('SELECT Id FROM Lead LIMIT 1');
    const before = total();
    const found = await sf.findByEmails(['a@acme.example'], { accountDomains: ['acme.example', 'nobody.example'] });
    expect(found.accounts?.map((a) => [a.domain, a.accountName])).toEqual([['acme.example', 'Acme']]);
    expect(total() - before).toBe(1);
  });

  it('fills the composites up to five queries: 100 addresses and 120 domains take one call more than the addresses', async () => {
    await sf.query('SELECT Id FROM Lead LIMIT 1');
    const emails = Array.from({ length: 100 }, (_, i) => `p${i}@example.com`);
    const domains = [...Array.from({ length: 119 }, (_, i) => `d${i}.example`), 'globex.example'];
    const before = total();
    const found = await sf.findByEmails(emails, { accountDomains: domains });
    // 2 e-mail queries + 3 Account queries (40 domains each) = 5: one composite.
    expect(total() - before).toBe(1);
    expect(found.accounts?.map((a) => a.accountName)).toEqual(['Globex']);
    const without = await sf.findByEmails(emails);
    expect(without.accounts).toBeUndefined();
  });
});

describe('createLeads with readOwners, answers nock gives (Salesforce answering each subrequest alone)', () => {
  const ORG = 'https://handoff-create.my.salesforce.com';
  const COMPOSITE = '/services/data/v66.0/composite';
  const remote = () =>
    createSalesforceAdapter({
      loginUrl: ORG,
      ...CREDS,
      apiVersion: '66.0',
      logger: silentLogger(),
      retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    });
  const org = () => nock(ORG).post('/services/oauth2/token').reply(200, { access_token: 't', instance_url: ORG, token_type: 'Bearer' });
  afterEach(() => nock.cleanAll());

  it('puts the Assignment Rule header on the create subrequest and on the request, and keeps saves when only the owner query fails', async () => {
    const scope = org()
      .post(COMPOSITE, (body: { compositeRequest: Array<{ url: string; httpHeaders?: Record<string, string> }> }) => {
        const [create, query] = body.compositeRequest;
        return (
          create?.url === '/services/data/v66.0/composite/sobjects' &&
          create.httpHeaders?.['Sforce-Auto-Assign'] === 'TRUE' &&
          query?.url.includes('query?q=') === true
        );
      })
      .matchHeader('Sforce-Auto-Assign', 'TRUE')
      .reply(200, {
        compositeResponse: [
          { referenceId: 'r0', httpStatusCode: 200, httpHeaders: {}, body: [{ id: '00QHs0000000001AAA', success: true, errors: [] }] },
          { referenceId: 'r1', httpStatusCode: 400, httpHeaders: {}, body: [{ errorCode: 'INVALID_FIELD', message: 'No such column' }] },
        ],
      });
    const saves = await remote().createLeads([lead(1)], { kind: 'active-rule' }, { readOwners: true });
    expect(saves).toEqual([{ id: '00QHs0000000001AAA', success: true, errors: [] }]);
    scope.done();
  });

  it("throws the create subrequest's refusal as a provider error (nothing was created)", async () => {
    const scope = org()
      .post(COMPOSITE)
      .reply(200, {
        compositeResponse: [
          {
            referenceId: 'r0',
            httpStatusCode: 400,
            httpHeaders: {},
            body: [{ errorCode: 'INVALID_FIELD', message: 'No such column Foo__c' }],
          },
          { referenceId: 'r1', httpStatusCode: 200, httpHeaders: {}, body: { records: [], totalSize: 0, done: true } },
        ],
      });
    const error = await remote()
      .createLeads([lead(1)], { kind: 'none' }, { readOwners: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'INVALID_FIELD' });
    scope.done();
  });
});
