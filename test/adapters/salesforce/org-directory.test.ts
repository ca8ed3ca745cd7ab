import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createSalesforceAdapter } from '../../../src/adapters/salesforce/adapter.ts';
import {
  accountOwnersByDomains,
  assignmentRules,
  domainOfWebsite,
  leadOwners,
  queuesByDeveloperNames,
  usersByEmails,
  usersByIds,
} from '../../../src/adapters/salesforce/org-directory.ts';
import type { SalesforcePort } from '../../../src/adapters/salesforce/salesforce-port.ts';
import { silentLogger } from '../../../src/log.ts';
import { INBOUND_QUEUE, SANDBOX_DIRECTORY } from '../../../src/simulators/salesforce/sandbox-directory.ts';
import {
  INACTIVE_REP_ID,
  REP_USER_ID,
  SALES_MANAGER_ID,
  SALES_REP_IDS,
  type SalesforceSimulator,
  startSalesforceSimulator,
} from '../../../src/simulators/salesforce/server.ts';

/** The org directory reads, over real HTTP against the simulated org (Object Reference: User, Group, QueueSobject, Account, AssignmentRule, Lead). */
const CREDS = { clientId: 'dir-client', clientSecret: 'dir-secret', refreshToken: 'dir-refresh' };
const RULE = { id: '01QHs1000000001AAA', name: 'Web leads', active: true, assignTo: SALES_REP_IDS[1] };
const CASE_QUEUE = { developerName: 'Support_Cases', sobjectTypes: ['Case'] };
const ACCOUNTS = [
  ...SANDBOX_DIRECTORY.accounts,
  { name: 'Acme Europe', website: 'https://eu.acme.example/de', ownerId: SALES_REP_IDS[2] },
  { name: 'Not Acme', website: 'notacme.example', ownerId: SALES_MANAGER_ID },
  { name: 'Acme elsewhere', website: 'acme.example.org', ownerId: SALES_MANAGER_ID },
  { name: 'No site', website: null, ownerId: SALES_MANAGER_ID },
];

let sim: SalesforceSimulator;
let sf: SalesforcePort;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  sim = await startSalesforceSimulator({
    ...CREDS,
    ...SANDBOX_DIRECTORY,
    queues: [...SANDBOX_DIRECTORY.queues, CASE_QUEUE],
    accounts: ACCOUNTS,
    assignmentRules: [RULE],
  });
  sf = createSalesforceAdapter({ loginUrl: sim.url, instanceUrl: sim.url, ...CREDS, apiVersion: '66.0', logger: silentLogger() });
});
afterAll(async () => {
  await sim.close();
  nock.enableNetConnect();
  nock.restore();
});
beforeEach(() => {
  sim.reset();
});

describe('domainOfWebsite', () => {
  it.each([
    ['https://www.acme.example', 'acme.example'],
    ['HTTP://WWW.Acme.Example/About?x=1#top', 'acme.example'],
    ['acme.example', 'acme.example'],
    ['www.acme.example:8080/path', 'acme.example'],
    ['  eu.acme.example.  ', 'eu.acme.example'],
    ['https://user:pw@shop.acme.example', 'shop.acme.example'],
    ['https://münchen.example', 'xn--mnchen-3ya.example'],
    ['', undefined],
    ['n/a', undefined],
    ['localhost', undefined],
    ['http://192.168.0.1', undefined],
  ])('%j → %j', (website, domain) => {
    expect(domainOfWebsite(website)).toBe(domain);
  });
});

describe('users', () => {
  it('finds users by e-mail in any case, inactive ones included, with their manager', async () => {
    const users = await usersByEmails(sf, ['Riley.Rep@SALES.example', 'casey.former@sales.example', 'nobody@sales.example', '']);
    expect(users.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [
        { id: REP_USER_ID, name: 'Riley Rep', email: 'riley.rep@sales.example', isActive: true, managerId: SALES_MANAGER_ID },
        { id: INACTIVE_REP_ID, name: 'Casey Former', email: 'casey.former@sales.example', isActive: false, managerId: SALES_MANAGER_ID },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
  });

  it('asks in batches of 100 e-mails and not at all for an empty list', async () => {
    const emails = Array.from({ length: 150 }, (_, i) => `person${i}@sales.example`);
    await usersByEmails(sf, [...emails, 'sam.seller@sales.example']);
    expect(sim.calls.query).toBe(2);
    await usersByEmails(sf, []);
    expect(sim.calls.query).toBe(2);
  });

  it('finds users by 15- or 18-character id, skipping what is not a User id', async () => {
    const users = await usersByIds(sf, [SALES_MANAGER_ID.slice(0, 15), INACTIVE_REP_ID, INBOUND_QUEUE.id, 'junk']);
    expect(users.map((u) => [u.id, u.isActive, u.managerId]).sort()).toEqual(
      [
        [SALES_MANAGER_ID, true, null],
        [INACTIVE_REP_ID, false, SALES_MANAGER_ID],
      ].sort(),
    );
  });
});

describe('queues', () => {
  it('finds queues by developer name and says which can own Leads', async () => {
    const queues = await queuesByDeveloperNames(sf, ['Inbound_Leads', 'Support_Cases', 'No_Such_Queue']);
    expect(queues).toEqual([
      {
        id: INBOUND_QUEUE.id,
        developerName: 'Inbound_Leads',
        name: 'Inbound Leads',
        email: 'inbound-leads@sales.example',
        supportsLead: true,
      },
      { id: expect.stringMatching(/^00G/), developerName: 'Support_Cases', name: 'Support Cases', email: null, supportsLead: false },
    ]);
  });
});

describe('accountOwnersByDomains', () => {
  it('matches websites whatever their form, the domain or a subdomain of it, and nothing that only contains it', async () => {
    const owners = await accountOwnersByDomains(sf, ['acme.example', 'GLOBEX.example', 'umbrella.example', 'initech.example']);
    expect(owners.map((o) => [o.domain, o.accountName, o.ownerId])).toEqual([
      ['acme.example', 'Acme', REP_USER_ID],
      ['acme.example', 'Acme Europe', SALES_REP_IDS[2]],
      ['globex.example', 'Globex', SALES_REP_IDS[0]],
      ['umbrella.example', 'Umbrella', SALES_REP_IDS[2]],
      ['initech.example', 'Initech', SALES_REP_IDS[1]],
    ]);
    expect(owners.every((o) => /^001/.test(o.accountId))).toBe(true);
  });

  it('a subdomain e-mail does not match the parent company website (only the other way round)', async () => {
    expect(await accountOwnersByDomains(sf, ['mail.globex.example'])).toEqual([]);
  });

  it('treats LIKE wildcards in a domain as text and asks 40 domains per query', async () => {
    expect(await accountOwnersByDomains(sf, ['acme_example'])).toEqual([]);
    const domains = Array.from({ length: 45 }, (_, i) => `d${i}.example`);
    const before = sim.calls.query ?? 0;
    await accountOwnersByDomains(sf, [...domains, 'acme.example']);
    expect((sim.calls.query ?? 0) - before).toBe(2);
  });
});

describe('assignment rules and lead owners', () => {
  it('lists the Lead assignment rules', async () => {
    expect(await assignmentRules(sf)).toEqual([{ id: RULE.id, name: 'Web leads', active: true }]);
  });

  it('reads the owner the active rule gave created Leads, and a queue owner', async () => {
    const [ruled, queued] = await sf
      .createLeads([{ LastName: 'A', Company: 'Acme' }], { kind: 'active-rule' })
      .then(async (first) => [
        ...first,
        ...(await sf.createLeads([{ LastName: 'B', Company: 'Acme', OwnerId: INBOUND_QUEUE.id }], { kind: 'none' })),
      ]);
    const ids = [String(ruled?.id), String(queued?.id).slice(0, 15), '00QHs0000000zzzAAA'];
    const owners = await leadOwners(sf, ids);
    expect([...owners]).toEqual([
      [ids[0], SALES_REP_IDS[1]],
      [ids[1], INBOUND_QUEUE.id],
    ]);
  });
});

describe('custom notifications against the simulated org', () => {
  it('finds the package type, sends to the owner and surfaces a refused input as a permanent provider error', async () => {
    const typeId = await sf.customNotificationTypeId('Handoff_Lead_Assigned');
    expect(typeId).toMatch(/^0ML/);
    const leadId = String(sim.createRecord('Lead', { LastName: 'Lee', Company: 'Acme' }).Id);
    const input = { notificationTypeId: String(typeId), recipientIds: [REP_USER_ID], title: 'New lead', body: 'For you', targetId: leadId };
    await sf.sendCustomNotification(input);
    expect(sim.notifications).toEqual([
      expect.objectContaining({ notificationTypeId: typeId, recipientIds: [REP_USER_ID], targetId: leadId }),
    ]);
    const error = await sf.sendCustomNotification({ ...input, title: 't'.repeat(251) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STRING_TOO_LONG', status: 400, retryable: false });
    expect(await sf.customNotificationTypeId('No_Such_Type')).toBeUndefined();
  });
});
