import { describe, expect, it } from '@jest/globals';
import { buildNotificationChannels, type NotificationSettings } from '../../../src/adapters/notify/channels.ts';
import type { SalesforcePush } from '../../../src/adapters/notify/salesforce-push-channel.ts';
import { silentLogger } from '../../../src/log.ts';

const NONE: NotificationSettings = { salesforcePush: false, salesforceNotificationType: 'Handoff_Lead_Assigned' };
const salesforce: SalesforcePush = {
  sendCustomNotification: async () => undefined,
  sendCustomNotifications: async (inputs) => inputs.map(() => ({ ok: true })),
  customNotificationTypeId: async () => '0ML000000000001AAA',
};
const names = (settings: NotificationSettings, withSalesforce = true) =>
  buildNotificationChannels(settings, { logger: silentLogger(), salesforce: withSalesforce ? salesforce : undefined }).map((c) => c.name);

describe('buildNotificationChannels', () => {
  it('builds nothing when nothing is configured', () => {
    expect(names(NONE)).toEqual([]);
  });

  it('turns Slack on with a token, e-mail with an SMTP URL, Salesforce push when enabled, in that order', () => {
    expect(names({ ...NONE, slackBotToken: 'xoxb-1' })).toEqual(['slack']);
    expect(names({ ...NONE, smtpUrl: 'smtp://127.0.0.1:2525', emailFrom: 'a@b.example' })).toEqual(['email']);
    expect(names({ ...NONE, salesforcePush: true })).toEqual(['salesforce']);
    expect(
      names({
        slackBotToken: 'xoxb-1',
        smtpUrl: 'smtp://127.0.0.1:2525',
        emailFrom: 'a@b.example',
        salesforcePush: true,
        salesforceNotificationType: 'T',
      }),
    ).toEqual(['slack', 'email', 'salesforce']);
  });

  it('refuses settings the environment check would have refused, and push without a Salesforce connection', () => {
    expect(() => names({ ...NONE, smtpUrl: 'smtp://127.0.0.1:2525' })).toThrow('NOTIFY_EMAIL_FROM is required when SMTP_URL is set');
    expect(() => names({ ...NONE, salesforcePush: true }, false)).toThrow('no Salesforce connection was given');
  });
});
