import type {
  DeliveryOutcome,
  NotificationChannelName,
  NotificationRecipient,
  OwnerNotification,
} from '../../core/routing/owner-notification.ts';

/**
 * What the delivery pass asks of a channel (Slack, e-mail, Salesforce push; built in adapters/notify). Structurally
 * the adapters' own interface: a provider's answer is a DeliveryOutcome value, never an exception.
 */
export interface NotificationChannel {
  name: NotificationChannelName;
  deliver(notification: OwnerNotification, to: NotificationRecipient): Promise<DeliveryOutcome>;
}
