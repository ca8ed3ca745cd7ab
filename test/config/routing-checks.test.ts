import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createSalesforceAdapter } from '../../src/adapters/salesforce/adapter.ts';
import type { SalesforcePort } from '../../src/adapters/salesforce/salesforce-port.ts';
import { type RoutingReference, routingReferenceProblems } from '../../src/config/versions/routing-checks.ts';
import { silentLogger } from '../../src/log.ts';
import { INBOUND_QUEUE, SANDBOX_DIRECTORY } from '../../src/simulators/salesforce/sandbox-directory.ts';
import {
  INACTIVE_REP_ID,
  REP_USER_ID,
  SALES_MANAGER_ID,
  type SalesforceSimulator,
  startSalesforceSimulator,
} from '../../src/simulators/salesforce/server.ts';

/** Live checks of what a routing file names in the org, against the simulated sandbox org over HTTP. */
const CREDS = { clientId: 'route-client', clientSecret: 'route-secret', refreshToken: 'route-refresh' };
const FILE = 'routing.yaml';
const RULE = { id: '01QHs1000000001AAA', name: 'Web leads', active: true, assignTo: REP_USER_ID };
const TWIN = '005Hs0000000020AAA';
const TWIN_TOO = '005Hs0000000021AAA';

let sim: SalesforceSimulator;
let sf: SalesforcePort;
let n = 0;
const ref = (kind: RoutingReference['kind'], value: string): RoutingReference => ({ file: FILE, path: `refs[${n++}]`, kind, value });

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  sim = await startSalesforceSimulator({
    ...CREDS,
    ...SANDBOX_DIRECTORY,
    users: [
      ...SANDBOX_DIRECTORY.users,
      { id: TWIN, lastName: 'Twin', email: 'shared@sales.example' },
      { id: TWIN_TOO, lastName: 'Twin Too', email: 'Shared@Sales.example' },
    ],
    queues: [...SANDBOX_DIRECTORY.queues, { developerName: 'Support_Cases', sobjectTypes: ['Case'] }],
    assignmentRules: [RULE],
  });
  sf = createSalesforceAdapter({
    loginUrl: sim.url,
    instanceUrl: sim.url,
    ...CREDS,
    apiVersion: '66.0',
    logger: silentLogger(),
    retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
  });
});
afterAll(async () => {
  await sim.close();
  nock.enableNetConnect();
  nock.restore();
});
beforeEach(() => {
  sim.reset();
  n = 0;
});

describe('routingReferenceProblems', () => {
  it('finds nothing wrong with what the org has', async () => {
    const refs = [
      ref('user', 'Riley.Rep@sales.example'),
      ref('user', SALES_MANAGER_ID),
      ref('user', SALES_MANAGER_ID.slice(0, 15)),
      ref('queue', INBOUND_QUEUE.developerName),
      ref('assignmentRule', RULE.id),
      ref('notificationType', 'Handoff_Lead_Assigned'),
    ];
    expect(await routingReferenceProblems(sf, refs)).toEqual([]);
  });

  it('names each problem at its place, in file order, without personal data', async () => {
    const refs = [
      ref('user', 'casey.former@sales.example'),
      ref('user', 'shared@sales.example'),
      ref('user', 'nobody@sales.example'),
      ref('user', INACTIVE_REP_ID),
      ref('user', '005Hs0000000999AAA'),
      ref('user', 'Riley Rep'),
      ref('queue', 'Support_Cases'),
      ref('queue', 'Inbound Leads'),
      ref('assignmentRule', '01QHs1000000009AAA'),
      ref('assignmentRule', 'Web leads'),
      ref('notificationType', 'Lead_Assigned'),
    ];
    const problems = await routingReferenceProblems(sf, refs);
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      [
        'refs[0]',
        `the Salesforce user with this e-mail address is inactive (${INACTIVE_REP_ID}), so it cannot own Leads; reactivate it or name another user`,
      ],
      ['refs[1]', `2 active Salesforce users share this e-mail address (${TWIN}, ${TWIN_TOO}); name one by its user id instead`],
      ['refs[2]', 'no Salesforce user has this e-mail address'],
      [
        'refs[3]',
        `the Salesforce user with this id is inactive (${INACTIVE_REP_ID}), so it cannot own Leads; reactivate it or name another user`,
      ],
      ['refs[4]', 'no Salesforce user has this id (005Hs0000000999AAA)'],
      ['refs[5]', '"Riley Rep" is neither a Salesforce user id (005…) nor an e-mail address'],
      ['refs[6]', 'queue "Support_Cases" cannot own Leads: add Lead to its Supported Objects (Setup → Queues)'],
      ['refs[7]', 'no queue has the API name "Inbound Leads" (Setup → Queues: use the Queue Name, not its label)'],
      ['refs[8]', "no Lead assignment rule has the id 01QHs1000000009AAA (Setup → Lead Assignment Rules; the id is in the rule's URL)"],
      ['refs[9]', '"Web leads" is not an assignment rule id (they are 15 or 18 characters and start with 01Q)'],
      [
        'refs[10]',
        'no custom notification type has the API name "Lead_Assigned": deploy salesforce-metadata/ (it has Handoff_Lead_Assigned) or create one in Setup → Custom Notifications',
      ],
    ]);
    expect(problems.every((p) => p.file === FILE)).toBe(true);
    expect(JSON.stringify(problems)).not.toMatch(/@sales\.example|Casey|Former/);
  });

  it('asks the org once per kind, whatever the number of references', async () => {
    const refs = [
      ref('user', 'riley.rep@sales.example'),
      ref('user', 'sam.seller@sales.example'),
      ref('user', SALES_MANAGER_ID),
      ref('queue', INBOUND_QUEUE.developerName),
      ref('assignmentRule', RULE.id),
      ref('notificationType', 'Handoff_Lead_Assigned'),
      ref('notificationType', 'Handoff_Lead_Assigned'),
    ];
    await routingReferenceProblems(sf, refs);
    // users by id and by e-mail, queues and their Lead support, rules, one notification type
    expect(sim.calls.query).toBe(6);
  });

  it('an org that cannot be asked is one problem per kind, at its first reference', async () => {
    sim.injectFaults({ status: 500, errorCode: 'UNKNOWN_EXCEPTION', count: 100, kinds: ['query'] });
    const refs = [ref('user', SALES_MANAGER_ID), ref('user', REP_USER_ID), ref('queue', INBOUND_QUEUE.developerName)];
    const problems = await routingReferenceProblems(sf, refs);
    expect(problems.map((p) => [p.path, p.message.replace(/: .*/, '')])).toEqual([
      ['refs[0]', 'could not look up Salesforce users'],
      ['refs[2]', 'could not look up Salesforce queues'],
    ]);
    expect(problems[0]?.message).toContain('UNKNOWN_EXCEPTION');
  });
});
