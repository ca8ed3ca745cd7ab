import { type AssignmentSummary, composeNotification } from '../../core/routing/compose-notification.ts';
import {
  NOTIFICATION_CHANNELS,
  type NotificationChannelName,
  type NotificationKind,
  type NotificationRecipient,
} from '../../core/routing/owner-notification.ts';
import type { RoutingConfig } from '../../core/routing/routing-schema.ts';
import type { OwnerNotificationInput } from '../../store/owner-notifications.ts';
import type { ResolvedDirectory } from '../routing/routing-deps.ts';

/**
 * Who a notification goes to: the Salesforce user or queue, with the person's e-mail and name when the directory
 * knows them, and the pool's Slack channel for a person without a Slack account (or for a queue).
 */
export function recipientOf(directory: ResolvedDirectory, salesforceId: string, slackChannel?: string): NotificationRecipient {
  const person = directory.people.get(salesforceId);
  // A queue owner is told at the queue's e-mail (and through the pool's Slack channel).
  const queue = person ? undefined : [...directory.queues.values()].find((q) => q.id === salesforceId);
  const known = person ?? (queue ? { email: queue.email ?? undefined, name: queue.name } : undefined);
  return {
    salesforceId,
    ...(known?.email ? { email: known.email } : {}),
    ...(known?.name ? { name: known.name } : {}),
    ...(slackChannel ? { slackChannel } : {}),
  };
}

/**
 * The outbox rows of one assignment: each recipient's message (composed in core) on every channel routing.yaml
 * names in `notify.channels`, ready for `enqueueOwnerNotifications` in the transaction that records the assignment.
 */
export function notificationRows(
  routing: RoutingConfig,
  summary: AssignmentSummary,
  to: ReadonlyArray<{ kind: NotificationKind; recipient: NotificationRecipient }>,
  /** The channels this service has settings for; a channel routing.yaml names without them is left out (logged at start). */
  configured: readonly NotificationChannelName[] = NOTIFICATION_CHANNELS,
): OwnerNotificationInput[] {
  const channels = routing.notify.channels.filter((channel) => configured.includes(channel));
  // One message per recipient, the same on each channel.
  return to.flatMap(({ kind, recipient }) => {
    const content = composeNotification(summary, kind, recipient.salesforceId);
    return channels.map((channel) => ({ assignmentId: summary.assignmentId, kind, channel, recipient, content }));
  });
}
