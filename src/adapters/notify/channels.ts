import type { Logger } from '../../log.ts';
import type { NotificationChannel } from './channel.ts';
import { createEmailChannel } from './email-channel.ts';
import { createSalesforcePushChannel, type SalesforcePush } from './salesforce-push-channel.ts';
import { createSlackChannel } from './slack-channel.ts';

/** Which channels are configured (from the environment, see config/notification-env.ts). */
export interface NotificationSettings {
  /** Slack is on when a bot token is set. */
  slackBotToken?: string | undefined;
  slackApiUrl?: string | undefined;
  /** E-mail is on when an SMTP URL is set; it then needs a sender. */
  smtpUrl?: string | undefined;
  emailFrom?: string | undefined;
  /** Salesforce push needs only the Salesforce connection the service has anyway (NOTIFY_SALESFORCE_PUSH, default on). */
  salesforcePush: boolean;
  salesforceNotificationType: string;
}

export interface NotificationChannelDeps {
  logger: Logger;
  /** Required when `salesforcePush` is on. */
  salesforce?: SalesforcePush | undefined;
}

/** The configured channels, in the order of NOTIFICATION_CHANNELS (slack, email, salesforce); none is a valid answer. */
export function buildNotificationChannels(settings: NotificationSettings, deps: NotificationChannelDeps): NotificationChannel[] {
  const channels: NotificationChannel[] = [];
  if (settings.slackBotToken) {
    channels.push(createSlackChannel({ token: settings.slackBotToken, apiUrl: settings.slackApiUrl, logger: deps.logger }));
  }
  if (settings.smtpUrl) {
    // The environment check refuses this; reaching here means settings were built by hand, a bug.
    if (!settings.emailFrom) throw new Error('e-mail notifications need a sender: NOTIFY_EMAIL_FROM is required when SMTP_URL is set');
    channels.push(createEmailChannel({ smtpUrl: settings.smtpUrl, from: settings.emailFrom, logger: deps.logger }));
  }
  if (settings.salesforcePush) {
    if (!deps.salesforce) throw new Error('Salesforce push notifications are on but no Salesforce connection was given');
    channels.push(createSalesforcePushChannel({ salesforce: deps.salesforce, notificationType: settings.salesforceNotificationType }));
  }
  return channels;
}
