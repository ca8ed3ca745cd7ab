import type {
  DeliveryOutcome,
  NotificationChannelName,
  NotificationRecipient,
  OwnerNotification,
} from '../../core/routing/owner-notification.ts';

/**
 * One way of telling an owner about an assignment. `deliver` never throws for a provider's answer: it sorts it into
 * delivered, retry (network errors, 5xx, rate limits) or undeliverable (bad credentials, unknown channel, a recipient
 * without an address, a permanent refusal), and the job queue acts on that. Only bugs throw.
 */
export interface NotificationChannel {
  readonly name: NotificationChannelName;
  deliver(notification: OwnerNotification, to: NotificationRecipient): Promise<DeliveryOutcome>;
  /** Several at once, one outcome each in order, where the provider takes a list in one call (Salesforce's action). */
  deliverMany?(items: ReadonlyArray<{ notification: OwnerNotification; to: NotificationRecipient }>): Promise<DeliveryOutcome[]>;
  /** Lets go of kept connections (the e-mail pool) when the service stops. */
  close?(): void;
}

/** Cuts `text` to at most `max` characters (code points, so no half emoji), marking the cut with an ellipsis. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
