import { describe, expect, it } from '@jest/globals';
import {
  type CustomNotificationInput,
  createSalesforcePushChannel,
  pushContentOf,
  type SalesforcePush,
} from '../../../src/adapters/notify/salesforce-push-channel.ts';
import { fromApiError, toProviderError } from '../../../src/adapters/salesforce/errors.ts';
import type { NotificationSendResult } from '../../../src/adapters/salesforce/salesforce-port.ts';
import { budgetRefusal } from '../../../src/budgets/budget-errors.ts';
import { OWNER, sampleNotification } from './fixtures.ts';

const TYPE_ID = '0ML000000000001AAA';
const notification = sampleNotification();

/** A Salesforce port that records what it was asked, answering from scripted results. */
function fakeSalesforce(
  script: {
    types?: Array<string | undefined | Error>;
    sends?: Array<Error | undefined>;
    batches?: Array<NotificationSendResult[] | Error>;
  } = {},
) {
  const lookups: string[] = [];
  const sent: CustomNotificationInput[] = [];
  const calls: number[] = [];
  const batches = [...(script.batches ?? [])];
  const types = [...(script.types ?? [TYPE_ID])];
  const sends = [...(script.sends ?? [])];
  const port: SalesforcePush = {
    async customNotificationTypeId(developerName) {
      lookups.push(developerName);
      await Promise.resolve();
      const next = types.length > 1 ? types.shift() : types[0];
      if (next instanceof Error) throw next;
      return next;
    },
    async sendCustomNotification(input) {
      sent.push(input);
      await Promise.resolve();
      const next = sends.shift();
      if (next) throw next;
    },
    async sendCustomNotifications(inputs) {
      sent.push(...inputs);
      calls.push(inputs.length);
      await Promise.resolve();
      const next = batches.shift();
      if (next instanceof Error) throw next;
      return next ?? inputs.map(() => ({ ok: true }));
    },
  };
  return { port, lookups, sent, calls };
}

const jsforceError = (errorCode: string, message = 'refused') => toProviderError(Object.assign(new Error(message), { errorCode })) as Error;
const channelWith = (port: SalesforcePush) => createSalesforcePushChannel({ salesforce: port, notificationType: 'Handoff_Lead_Assigned' });

describe('Salesforce push channel ("Custom Notification Actions")', () => {
  it('sends the owner a custom notification that opens the Lead, facts as body lines', async () => {
    const sf = fakeSalesforce();
    const outcome = await channelWith(sf.port).deliver(notification, OWNER);
    expect(outcome).toEqual({ status: 'delivered', detail: 'Salesforce custom notification Handoff_Lead_Assigned to 005000000000001AAA' });
    expect(sf.sent).toEqual([
      {
        notificationTypeId: TYPE_ID,
        recipientIds: ['005000000000001AAA'],
        title: notification.title,
        body: 'Who: Jane Doe, VP Sales\nCompany: Acme GmbH\nSegment: enterprise\nScore: 72 (demo request +30, pricing page +15)\nSLA due: 2026-12-07T14:00:00Z',
        targetId: notification.leadId,
      },
    ]);
  });

  it('looks the type id up once, even for concurrent deliveries', async () => {
    const sf = fakeSalesforce();
    const push = channelWith(sf.port);
    await Promise.all([push.deliver(notification, OWNER), push.deliver(notification, OWNER)]);
    await push.deliver(notification, OWNER);
    expect(sf.lookups).toEqual(['Handoff_Lead_Assigned']);
    expect(sf.sent).toHaveLength(3);
  });

  it('a missing notification type is undeliverable, says to deploy salesforce-metadata, and is asked again next time', async () => {
    const sf = fakeSalesforce({ types: [undefined, TYPE_ID] });
    const push = channelWith(sf.port);
    expect(await push.deliver(notification, OWNER)).toEqual({
      status: 'undeliverable',
      reason:
        'Salesforce has no custom notification type Handoff_Lead_Assigned: deploy salesforce-metadata (or set SALESFORCE_NOTIFICATION_TYPE to an existing one)',
    });
    expect(sf.sent).toEqual([]);
    expect((await push.deliver(notification, OWNER)).status).toBe('delivered');
    expect(sf.lookups).toHaveLength(2);
  });

  it('keeps title and body within the documented limits (250 and 750 characters)', () => {
    const long = pushContentOf(
      sampleNotification({
        title: 't'.repeat(300),
        facts: Array.from({ length: 40 }, (_, i) => ({ label: `Fact ${i}`, value: 'v'.repeat(30) })),
      }),
    );
    expect(Array.from(long.title)).toHaveLength(250);
    expect(Array.from(long.body)).toHaveLength(750);
    expect(long.body.endsWith('…')).toBe(true);
    expect(pushContentOf(sampleNotification({ facts: [] })).body).toBe('Open the Lead for details.');
  });

  it.each([
    { what: 'SERVER_UNAVAILABLE (retryable by the adapter)', error: jsforceError('SERVER_UNAVAILABLE'), status: 'retry' },
    { what: 'a network error', error: toProviderError(Object.assign(new Error('reset'), { code: 'ECONNRESET' })), status: 'retry' },
    { what: 'INVALID_CROSS_REFERENCE_KEY (no such user)', error: jsforceError('INVALID_CROSS_REFERENCE_KEY'), status: 'undeliverable' },
    { what: 'INVALID_SESSION_ID (credentials)', error: jsforceError('INVALID_SESSION_ID'), status: 'undeliverable' },
  ])('a send failing with $what is $status', async ({ error, status }) => {
    const sf = fakeSalesforce({ sends: [error as Error] });
    const outcome = await channelWith(sf.port).deliver(notification, OWNER);
    expect(outcome.status).toBe(status);
    expect(outcome).toMatchObject({ reason: expect.stringMatching(/^Salesforce custom notification: /) });
  });

  it('a refusal by our API budget waits as long as the budget says, rather than being parked', async () => {
    const refusal = budgetRefusal('salesforce', 'BUDGET_RESERVED', { reason: 'notification share spent', waitMs: 45_000 });
    const sf = fakeSalesforce({ sends: [refusal] });
    expect(await channelWith(sf.port).deliver(notification, OWNER)).toEqual({
      status: 'retry',
      reason: 'Salesforce custom notification: notification share spent',
      retryAfterMs: 45_000,
    });
  });

  it('a failing type lookup is classified the same way and not kept', async () => {
    const sf = fakeSalesforce({ types: [jsforceError('UNKNOWN_EXCEPTION'), TYPE_ID] });
    const push = channelWith(sf.port);
    expect(await push.deliver(notification, OWNER)).toMatchObject({
      status: 'retry',
      reason: expect.stringMatching(/^Salesforce custom notification type lookup: UNKNOWN_EXCEPTION/),
    });
    expect((await push.deliver(notification, OWNER)).status).toBe('delivered');
  });

  it('rethrows what is no provider error: a bug is never parked', async () => {
    const bug = new TypeError('x is not a function');
    const sf = fakeSalesforce({ sends: [bug] });
    await expect(channelWith(sf.port).deliver(notification, OWNER)).rejects.toBe(bug);
  });

  it('a recipient without a Salesforce id is undeliverable without a call', async () => {
    const sf = fakeSalesforce();
    expect(await channelWith(sf.port).deliver(notification, { salesforceId: '' })).toEqual({
      status: 'undeliverable',
      reason: 'the recipient has no Salesforce user or queue id',
    });
    expect(sf.lookups).toEqual([]);
  });
});

describe('Salesforce push, many at once (one request: the action takes a list of inputs)', () => {
  const recipient = (id: string) => ({ salesforceId: id, email: 'owner@example.com', name: 'Owner' });

  it('sends a pass’s notifications in one call, each answered in order', async () => {
    const { port, sent, calls } = fakeSalesforce();
    const channel = channelWith(port);
    const outcomes = await channel.deliverMany!([
      { notification, to: recipient('005A00000000001') },
      { notification, to: recipient('005A00000000002') },
    ]);
    expect(calls).toEqual([2]);
    expect(sent.map((input) => input.recipientIds)).toEqual([['005A00000000001'], ['005A00000000002']]);
    expect(outcomes.map((o) => o.status)).toEqual(['delivered', 'delivered']);
  });

  it('a refused input is its own outcome; the others are delivered, and a recipient without an id is never sent', async () => {
    const refused = fromApiError('INVALID_CROSS_REFERENCE_KEY', 'recipientIds: not a user', undefined);
    const { port, calls } = fakeSalesforce({ batches: [[{ ok: true }, { ok: false, error: refused }]] });
    const outcomes = await channelWith(port).deliverMany!([
      { notification, to: recipient('005A00000000001') },
      { notification, to: recipient('005A00000000002') },
      { notification, to: { salesforceId: '' } },
    ]);
    expect(calls).toEqual([2]);
    expect(outcomes).toEqual([
      expect.objectContaining({ status: 'delivered' }),
      { status: 'undeliverable', reason: expect.stringContaining('INVALID_CROSS_REFERENCE_KEY') },
      { status: 'undeliverable', reason: 'the recipient has no Salesforce user or queue id' },
    ]);
  });

  it('a whole call that fails retries every input it carried', async () => {
    const { port } = fakeSalesforce({ batches: [jsforceError('SERVER_UNAVAILABLE')] });
    const outcomes = await channelWith(port).deliverMany!([{ notification, to: recipient('005A00000000001') }]);
    expect(outcomes).toEqual([{ status: 'retry', reason: expect.stringContaining('SERVER_UNAVAILABLE') }]);
  });
});
