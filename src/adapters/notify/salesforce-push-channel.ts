import { maskEmails } from '../../core/email-mask.ts';
import type { DeliveryOutcome, NotificationRecipient, OwnerNotification } from '../../core/routing/owner-notification.ts';
import { ProviderError } from '../../errors.ts';
import type { CustomNotificationInput, NotificationSendResult } from '../salesforce/salesforce-port.ts';
import { clip, type NotificationChannel } from './channel.ts';
import { NOTIFY_LIMITS } from './limits.ts';

/** Actions Developer Guide, "Custom Notification Actions" (POST /actions/standard/customNotificationAction). */

/** The two SalesforcePort methods this channel needs (the Salesforce adapter implements them). */
export type { CustomNotificationInput } from '../salesforce/salesforce-port.ts';

export interface SalesforcePush {
  sendCustomNotification(input: CustomNotificationInput): Promise<void>;
  /** Many in as few calls as the action allows, each input's result in order. */
  sendCustomNotifications(inputs: CustomNotificationInput[]): Promise<NotificationSendResult[]>;
  /** The CustomNotificationType's id by DeveloperName, or undefined when the org has none by that name. */
  customNotificationTypeId(developerName: string): Promise<string | undefined>;
}

export interface SalesforcePushChannelOptions {
  salesforce: SalesforcePush;
  /** DeveloperName of the CustomNotificationType, `Handoff_Lead_Assigned` by default in the settings. */
  notificationType: string;
}

type Failure = Exclude<DeliveryOutcome, { status: 'delivered' }>;

/**
 * What the Salesforce adapter threw, by its own judgement (errors.ts, as failure-policy.ts reads it): retryable →
 * retry; a refusal by our API budget is not retryable but says when the budget returns (retryAfterMs), so the
 * notification waits that long rather than being parked; anything else the provider said is undeliverable.
 * What is no ProviderError is a bug and is rethrown.
 */
export function salesforcePushFailureOf(step: string, error: unknown): Failure {
  if (!(error instanceof ProviderError)) throw error;
  const what = `Salesforce ${step}: ${maskEmails(error.message).slice(0, 300)}`;
  if (error.retryable)
    return { status: 'retry', reason: what, ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}) };
  if (error.retryAfterMs !== undefined) return { status: 'retry', reason: what, retryAfterMs: error.retryAfterMs };
  return { status: 'undeliverable', reason: what };
}

/** Title and body within the documented limits (250 and 750 characters); the body lists the facts, one a line. */
export function pushContentOf(notification: OwnerNotification): { title: string; body: string } {
  const lines = notification.facts.map((fact) => `${fact.label}: ${fact.value}`);
  const body = lines.length > 0 ? lines.join('\n') : 'Open the Lead for details.';
  return { title: clip(notification.title, NOTIFY_LIMITS.salesforce.title), body: clip(body, NOTIFY_LIMITS.salesforce.body) };
}

/**
 * Salesforce's own bell and mobile push: a custom notification to the owner (user or queue id) that opens the Lead.
 * The type's id is looked up once and kept; a missing type is not kept, so deploying the metadata fixes it live.
 */
export function createSalesforcePushChannel(options: SalesforcePushChannelOptions): NotificationChannel {
  // One lookup shared by concurrent deliveries; forgotten when it failed or found nothing, so it is asked again.
  let lookup: Promise<string | undefined> | undefined;
  const typeIdOnce = (): Promise<string | undefined> => {
    lookup ??= options.salesforce.customNotificationTypeId(options.notificationType).then(
      (id) => {
        if (id === undefined) lookup = undefined;
        return id;
      },
      (error: unknown) => {
        lookup = undefined;
        throw error;
      },
    );
    return lookup;
  };
  const resolveType = async (): Promise<string | Failure> => {
    let typeId: string | undefined;
    try {
      typeId = await typeIdOnce();
    } catch (error) {
      return salesforcePushFailureOf('custom notification type lookup', error);
    }
    return (
      typeId ?? {
        status: 'undeliverable',
        reason: `Salesforce has no custom notification type ${options.notificationType}: deploy salesforce-metadata (or set SALESFORCE_NOTIFICATION_TYPE to an existing one)`,
      }
    );
  };

  const inputOf = (notification: OwnerNotification, to: NotificationRecipient, typeId: string): CustomNotificationInput => {
    const content = pushContentOf(notification);
    return {
      notificationTypeId: typeId,
      recipientIds: [to.salesforceId],
      title: content.title,
      body: content.body,
      targetId: notification.leadId,
    };
  };
  const delivered = (to: NotificationRecipient): DeliveryOutcome => ({
    status: 'delivered',
    detail: `Salesforce custom notification ${options.notificationType} to ${to.salesforceId}`,
  });
  const noRecipient: DeliveryOutcome = { status: 'undeliverable', reason: 'the recipient has no Salesforce user or queue id' };

  return {
    name: 'salesforce',
    async deliver(notification: OwnerNotification, to: NotificationRecipient): Promise<DeliveryOutcome> {
      if (!to.salesforceId) return noRecipient;
      const type = await resolveType();
      if (typeof type !== 'string') return type;
      try {
        await options.salesforce.sendCustomNotification(inputOf(notification, to, type));
      } catch (error) {
        return salesforcePushFailureOf('custom notification', error);
      }
      return delivered(to);
    },
    /**
     * A delivery pass's notifications in one request (Salesforce's action takes a list of inputs), so 50 leads a
     * second cost a call or two a second, not fifty; each input's refusal stays its own.
     */
    async deliverMany(items): Promise<DeliveryOutcome[]> {
      const sendable = items.filter((item) => item.to.salesforceId);
      const outcomes = new Map<(typeof items)[number], DeliveryOutcome>();
      if (sendable.length > 0) {
        const type = await resolveType();
        if (typeof type !== 'string') for (const item of sendable) outcomes.set(item, type);
        else {
          let results: NotificationSendResult[] | undefined;
          try {
            results = await options.salesforce.sendCustomNotifications(sendable.map((item) => inputOf(item.notification, item.to, type)));
          } catch (error) {
            const failure = salesforcePushFailureOf('custom notification', error);
            for (const item of sendable) outcomes.set(item, failure);
          }
          results?.forEach((result, index) => {
            const item = sendable[index];
            if (!item) return;
            outcomes.set(item, result.ok ? delivered(item.to) : salesforcePushFailureOf('custom notification', result.error));
          });
        }
      }
      return items.map((item) => outcomes.get(item) ?? noRecipient);
    },
  };
}
