import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { INBOUND_QUEUE, SANDBOX_DIRECTORY } from '../../../src/simulators/salesforce/sandbox-directory.ts';
import { REP_USER_ID, type SalesforceSimulator, startSalesforceSimulator } from '../../../src/simulators/salesforce/server.ts';
import { type SimApi, simApi } from './support/sim-api.ts';

/**
 * Actions Developer Guide, "Custom Notification Actions": POST /services/data/vXX.X/actions/standard/
 * customNotificationAction with { inputs: [{ customNotifTypeId, recipientIds (≤ 500), title (≤ 250), body (≤ 750),
 * targetId or targetPageRef }] }; the answer is one { actionName, errors, isSuccess, outputValues } per input.
 */
const CREDS = { clientId: 'notif-client', clientSecret: 'notif-secret', refreshToken: 'notif-refresh' };
const NOW = Date.parse('2026-12-07T09:30:00.000Z');
const PATH = '/actions/standard/customNotificationAction';

let sim: SalesforceSimulator;
let api: SimApi;
let typeId: string;
let leadId: string;

beforeAll(async () => {
  sim = await startSalesforceSimulator({ ...CREDS, ...SANDBOX_DIRECTORY, now: () => NOW });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  sim.reset();
  api = await simApi(sim, CREDS);
  [{ Id: typeId }] = (await api.query<{ Id: string }>(
    "SELECT Id FROM CustomNotificationType WHERE DeveloperName = 'Handoff_Lead_Assigned'",
  )) as [{ Id: string }];
  leadId = String(sim.createRecord('Lead', { LastName: 'Lee', Company: 'Acme' }).Id);
});

const input = (extra: Record<string, unknown> = {}) => ({
  customNotifTypeId: typeId,
  recipientIds: [REP_USER_ID],
  title: 'New lead: Lee (Acme)',
  body: 'Assigned to you by round robin.',
  targetId: leadId,
  ...extra,
});

describe('Custom Notification Actions', () => {
  it('sends to users and queues, answers per input and records what was sent', async () => {
    const res = await api.call('POST', PATH, { inputs: [input({ recipientIds: [REP_USER_ID, INBOUND_QUEUE.id] })] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      {
        actionName: 'customNotificationAction',
        errors: null,
        isSuccess: true,
        outputValues: { SuccessMessage: 'Your custom notification is processed successfully.' },
      },
    ]);
    expect(sim.notifications).toEqual([
      {
        at: '2026-12-07T09:30:00.000+0000',
        notificationTypeId: typeId,
        recipientIds: [REP_USER_ID, INBOUND_QUEUE.id],
        title: 'New lead: Lee (Acme)',
        body: 'Assigned to you by round robin.',
        targetId: leadId,
        targetPageRef: null,
        senderId: null,
      },
    ]);
    const listed = await fetch(`${sim.url}/_sim/notifications`);
    expect(await listed.json()).toEqual(sim.notifications);
    expect(sim.calls.action).toBe(1);
  });

  const refusals: Array<[string, Record<string, unknown>, string, string]> = [
    ['no title', { title: '' }, 'REQUIRED_FIELD_MISSING', 'title'],
    ['no body', { body: undefined }, 'REQUIRED_FIELD_MISSING', 'body'],
    ['no type', { customNotifTypeId: undefined }, 'REQUIRED_FIELD_MISSING', 'customNotifTypeId'],
    ['no recipients', { recipientIds: [] }, 'REQUIRED_FIELD_MISSING', 'recipientIds'],
    ['no target', { targetId: undefined }, 'REQUIRED_FIELD_MISSING', 'targetId'],
    ['a title of 251 characters', { title: 't'.repeat(251) }, 'STRING_TOO_LONG', 'title'],
    ['a body of 751 characters', { body: 'b'.repeat(751) }, 'STRING_TOO_LONG', 'body'],
    ['501 recipients', { recipientIds: Array.from({ length: 501 }, () => REP_USER_ID) }, 'LIMIT_EXCEEDED', 'recipientIds'],
    ['an unknown type', { customNotifTypeId: '0MLHs1000000999AAA' }, 'INVALID_CROSS_REFERENCE_KEY', 'customNotifTypeId'],
    ['a recipient that is a Lead', { recipientIds: ['00QHs0000000001AAA'] }, 'INVALID_CROSS_REFERENCE_KEY', 'recipientIds'],
    ['a user who is not in the org', { recipientIds: ['005Hs0000000999AAA'] }, 'INVALID_CROSS_REFERENCE_KEY', 'recipientIds'],
  ];

  it.each(refusals)('refuses %s with 400 and the error in the answer body', async (_label, extra, statusCode, field) => {
    const res = await api.call('POST', PATH, { inputs: [input(extra)] });
    expect(res.status).toBe(400);
    expect(res.body).toEqual([
      {
        actionName: 'customNotificationAction',
        errors: [{ statusCode, message: expect.any(String), fields: [field] }],
        isSuccess: false,
        outputValues: null,
      },
    ]);
    expect(sim.notifications).toEqual([]);
  });

  it('takes exactly the limits: 250-character title, 750-character body, 500 recipients, a targetPageRef instead of a target', async () => {
    const res = await api.call('POST', PATH, {
      inputs: [
        input({
          title: 't'.repeat(250),
          body: 'b'.repeat(750),
          recipientIds: Array.from({ length: 500 }, () => REP_USER_ID),
          targetId: undefined,
          targetPageRef: `/lightning/r/Lead/${leadId}/view`,
        }),
      ],
    });
    expect(res.status).toBe(200);
    expect(sim.notifications).toHaveLength(1);
  });

  it('answers every input of a mixed request in order; one failure makes it a 400', async () => {
    const res = await api.call('POST', PATH, { inputs: [input(), input({ title: '' })] });
    expect(res.status).toBe(400);
    expect((res.body as Array<{ isSuccess: boolean }>).map((a) => a.isSuccess)).toEqual([true, false]);
    expect(sim.notifications).toHaveLength(1);
  });

  it('refuses a body without inputs as a whole, and a reset forgets what was sent', async () => {
    const res = await api.call('POST', PATH, { title: 'no inputs' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual([expect.objectContaining({ errorCode: 'JSON_PARSER_ERROR' })]);
    await api.call('POST', PATH, { inputs: [input()] });
    expect(sim.notifications).toHaveLength(1);
    sim.reset();
    expect(sim.notifications).toEqual([]);
  });
});
