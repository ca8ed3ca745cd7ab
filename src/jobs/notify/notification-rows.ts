import { type AssignmentSummary, composeNotification } from '../../core/routing/compose-notification.ts';
import type { NotificationKind, NotificationRecipient } from '../../core/routing/owner-notification.ts';
import type { RoutingConfig } from '../../core/routing/routing-schema.ts';
import type { OwnerNotificationInput } from '../../store/owner-notifications.ts';
import type { ResolvedDirectory } from '../routing/routing-deps.ts';

/**
 * Who a notification goes to: the Salesforce user or queue, with the person's e-mail and name when the directory
 * knows them, and the pool's Slack channel for a person without a Slack account (or for a queue).
 */
export function recipientOf(directory: ResolvedDirectory, salesforceId: string, slackChannel?: string): NotificationRecipient {
  const person = directory.people.get(salesforceId);
  return {
    salesforceId,
    ...(person ? { email: person.email, name: person.name } : {}),
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
): OwnerNotificationInput[] {
  return routing.notify.channels.flatMap((channel) =>
    to.map(({ kind, recipient }) => ({
      assignmentId: summary.assignmentId,
      kind,
      channel,
      recipient,
      content: composeNotification(summary, kind, recipient.salesforceId),
    })),
  );
}
