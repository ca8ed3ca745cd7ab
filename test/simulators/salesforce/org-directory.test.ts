import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { SANDBOX_DIRECTORY } from '../../../src/simulators/salesforce/sandbox-directory.ts';
import {
  INACTIVE_REP_ID,
  INTEGRATION_USER_ID,
  REP_USER_ID,
  SALES_MANAGER_ID,
  SALES_REP_IDS,
  type SalesforceSimulator,
  startSalesforceSimulator,
} from '../../../src/simulators/salesforce/server.ts';
import { type SimApi, simApi } from './support/sim-api.ts';

/**
 * The org directory owner routing reads, as the Object Reference for the Salesforce Platform describes it: User,
 * Group (a queue is Type 'Queue') with QueueSobject rows for the objects a queue supports, Account.Website,
 * AssignmentRule and CustomNotificationType, all readable with SOQL.
 */
const CREDS = { clientId: 'dir-client', clientSecret: 'dir-secret', refreshToken: 'dir-refresh' };
const RULE = { id: '01Q000000000001AAA', name: 'Web leads', active: true, assignTo: SALES_REP_IDS[0] };
const CASE_QUEUE = { id: '00GHs1000000099AAA', developerName: 'Support_Cases', sobjectTypes: ['Case'] };

let sim: SalesforceSimulator;
let api: SimApi;

beforeAll(async () => {
  sim = await startSalesforceSimulator({
    ...CREDS,
    ...SANDBOX_DIRECTORY,
    queues: [...SANDBOX_DIRECTORY.queues, CASE_QUEUE],
    assignmentRules: [RULE],
  });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  sim.reset();
  api = await simApi(sim, CREDS);
});

describe('User (Object Reference: User)', () => {
  it('finds users by e-mail in any case, with Name built from first and last name, and their manager', async () => {
    const rows = await api.query<Record<string, unknown>>(
      "SELECT Id, Name, FirstName, LastName, Email, Username, IsActive, ManagerId, UserType FROM User WHERE Email IN ('RILEY.REP@sales.example', 'casey.former@sales.example') ORDER BY LastName",
    );
    expect(rows.map(({ attributes: _a, ...row }) => row)).toEqual([
      {
        Id: INACTIVE_REP_ID,
        Name: 'Casey Former',
        FirstName: 'Casey',
        LastName: 'Former',
        Email: 'casey.former@sales.example',
        Username: 'casey.former@sales.example',
        IsActive: false,
        ManagerId: SALES_MANAGER_ID,
        UserType: 'Standard',
      },
      {
        Id: REP_USER_ID,
        Name: 'Riley Rep',
        FirstName: 'Riley',
        LastName: 'Rep',
        Email: 'riley.rep@sales.example',
        Username: 'riley.rep@sales.example',
        IsActive: true,
        ManagerId: SALES_MANAGER_ID,
        UserType: 'Standard',
      },
    ]);
  });

  it('filters active users by id; the integration user is always in the org', async () => {
    const ids = [INTEGRATION_USER_ID, INACTIVE_REP_ID, ...SALES_REP_IDS];
    const rows = await api.query<{ Id: string }>(`SELECT Id FROM User WHERE IsActive = true AND Id IN ('${ids.join("','")}')`);
    expect(rows.map((r) => r.Id).sort()).toEqual([INTEGRATION_USER_ID, ...SALES_REP_IDS].sort());
  });

  it('a default org (no users option) has the integration user and the reps of users.ts, all active', async () => {
    const plain = await startSalesforceSimulator({ ...CREDS });
    try {
      const rows = await (await simApi(plain, CREDS)).query<{ Id: string; IsActive: boolean }>('SELECT Id, IsActive FROM User');
      expect(rows.map((r) => r.Id).sort()).toEqual([INTEGRATION_USER_ID, REP_USER_ID, ...SALES_REP_IDS].sort());
      expect(rows.every((r) => r.IsActive)).toBe(true);
    } finally {
      await plain.close();
    }
  });

  it('refuses options an org could not hold', async () => {
    await expect(startSalesforceSimulator({ ...CREDS, users: [{ id: 'nope', lastName: 'X', email: 'x@x.example' }] })).rejects.toThrow(
      /18-character User id/,
    );
    await expect(startSalesforceSimulator({ ...CREDS, queues: [{ developerName: 'Same' }, { developerName: 'same' }] })).rejects.toThrow(
      /unique/,
    );
    await expect(startSalesforceSimulator({ ...CREDS, accounts: [{ name: 'Orphan', ownerId: INACTIVE_REP_ID }] })).rejects.toThrow(
      /not a user/,
    );
  });
});

describe('queues (Object Reference: Group, QueueSobject)', () => {
  it('lists queues by DeveloperName and the objects each supports', async () => {
    const queues = await api.query<{ Id: string; Name: string; DeveloperName: string; Email: string | null }>(
      "SELECT Id, Name, DeveloperName, Email FROM Group WHERE Type = 'Queue' AND DeveloperName IN ('Inbound_Leads', 'Support_Cases') ORDER BY DeveloperName",
    );
    expect(queues.map((q) => [q.DeveloperName, q.Name, q.Email])).toEqual([
      ['Inbound_Leads', 'Inbound Leads', 'inbound-leads@sales.example'],
      ['Support_Cases', 'Support Cases', null],
    ]);
    const supports = await api.query<{ QueueId: string; SobjectType: string }>(
      `SELECT QueueId, SobjectType FROM QueueSobject WHERE QueueId IN ('${queues.map((q) => q.Id).join("','")}')`,
    );
    expect(supports.map((s) => [s.QueueId, s.SobjectType])).toEqual([
      [queues[0]?.Id, 'Lead'],
      [CASE_QUEUE.id, 'Case'],
    ]);
  });
});

describe('Account.Website, AssignmentRule, CustomNotificationType', () => {
  it('has the seeded accounts with websites and owners, and keeps them across a reset', async () => {
    sim.createRecord('Account', { Name: 'Made in a test', Website: 'made.example' });
    sim.reset();
    const rows = await api.query<{ Name: string; Website: string; OwnerId: string }>(
      "SELECT Name, Website, OwnerId FROM Account WHERE Website LIKE '%acme.example%'",
    );
    expect(rows.map((r) => [r.Name, r.Website, r.OwnerId])).toEqual([['Acme', 'https://www.acme.example', REP_USER_ID]]);
    expect(sim.records('Account')).toHaveLength(SANDBOX_DIRECTORY.accounts.length);
  });

  it('lists the lead assignment rules given as options', async () => {
    const rows = await api.query<{ Id: string; Name: string; Active: boolean }>(
      "SELECT Id, Name, Active FROM AssignmentRule WHERE SobjectType = 'Lead'",
    );
    expect(rows.map((r) => [r.Id, r.Name, r.Active])).toEqual([[RULE.id, RULE.name, true]]);
  });

  it("has the package's notification type, found by DeveloperName", async () => {
    const rows = await api.query<{ Id: string; CustomNotifTypeName: string }>(
      "SELECT Id, CustomNotifTypeName FROM CustomNotificationType WHERE DeveloperName = 'Handoff_Lead_Assigned'",
    );
    expect(rows).toEqual([
      expect.objectContaining({ Id: expect.stringMatching(/^0ML\w{15}$/), CustomNotifTypeName: 'Handoff Lead Assigned' }),
    ]);
  });

  it('directory objects are read-only through the API', async () => {
    const res = await api.call('POST', '/sobjects/User', { LastName: 'Sneaky', Email: 's@s.example' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual([expect.objectContaining({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE' })]);
  });
});
