import type { NotificationChannel } from '../../adapters/notify/channel.ts';
import type { DeliveryOutcome, NotificationRecipient, OwnerNotification } from '../../core/routing/owner-notification.ts';
import type { Logger } from '../../log.ts';
import type { Metrics } from '../../metrics/metrics.ts';
import type { Database } from '../../store/database.ts';
import {
  type ClaimedNotification,
  claimDueNotifications,
  markNotifications,
  type NotificationMark,
} from '../../store/owner-notifications.ts';
import { nextNotificationStep } from './notification-retry.ts';

/** A claim older than this is taken to be a dead sender's: no channel call takes anywhere near this long. */
export const NOTIFICATION_LEASE_MS = 2 * 60_000;
const DEFAULT_BATCH = 50;

export interface DeliverDeps {
  db: Database;
  /** The configured channels; a row for a channel missing here is parked with the reason. */
  channels: readonly NotificationChannel[];
  now: () => Date;
  logger: Logger;
  metrics?: Pick<Metrics, 'ownerNotification' | 'notificationLatency'>;
  /** Rows claimed per pass. */
  batch?: number;
  leaseMs?: number;
}

export interface DeliveryCounts {
  claimed: number;
  delivered: number;
  retried: number;
  parked: number;
}

/**
 * One delivery pass: claims due notifications (committed at once, so a slow channel holds no lock and another
 * replica never sends the same row), sends each through its channel concurrently, and records every outcome.
 * Delivered rows lose their content and recipient; a retry waits with backoff; an undeliverable one, or one past
 * the last attempt, is parked with the reason. Provider answers are values, so this never throws for them; it runs
 * apart from the handoff, which it can neither block nor undo. Logs carry ids, channels and codes only.
 */
export async function deliverDueNotifications(deps: DeliverDeps): Promise<DeliveryCounts> {
  const log = deps.logger.child({ module: 'notify' });
  const claimed = await claimDueNotifications(deps.db, {
    now: deps.now(),
    leaseMs: deps.leaseMs ?? NOTIFICATION_LEASE_MS,
    limit: deps.batch ?? DEFAULT_BATCH,
  });
  const counts: DeliveryCounts = { claimed: claimed.length, delivered: 0, retried: 0, parked: 0 };
  if (claimed.length === 0) return counts;
  const channels = new Map(deps.channels.map((channel) => [channel.name, channel]));
  const outcomes = await sendAll(claimed, channels, log);
  const results = claimed.map((row) => ({ row, outcome: outcomes.get(row) ?? { status: 'retry' as const, reason: 'no outcome' } }));
  const marks: NotificationMark[] = [];
  const finished = deps.now();
  for (const { row, outcome } of results) {
    const step = nextNotificationStep(outcome, row.attempts);
    if (step.state === 'delivered') marks.push({ id: row.id, claimedAt: row.claimedAt, state: 'delivered', at: finished });
    else if (step.state === 'pending')
      marks.push({
        id: row.id,
        claimedAt: row.claimedAt,
        state: 'pending',
        nextAttemptAt: new Date(finished.getTime() + step.waitMs),
        error: step.reason,
      });
    else marks.push({ id: row.id, claimedAt: row.claimedAt, state: 'parked', error: step.reason });
  }
  const marked = await markNotifications(deps.db, marks);
  for (const [index, { row }] of results.entries()) {
    const mark = marks[index];
    if (!mark || !marked.has(row.id)) {
      log.warn('notification outcome not recorded: its claim expired and another sender took it', { notificationId: row.id });
      continue;
    }
    const fields = { notificationId: row.id, assignmentId: row.assignmentId, channel: row.channel, kind: row.kind, attempt: row.attempts };
    if (mark.state === 'delivered') {
      counts.delivered += 1;
      deps.metrics?.ownerNotification(row.channel, row.kind, 'delivered');
      deps.metrics?.notificationLatency((finished.getTime() - new Date(row.assignedAt).getTime()) / 1000);
    } else if (mark.state === 'pending') {
      counts.retried += 1;
      deps.metrics?.ownerNotification(row.channel, row.kind, 'retried');
      log.info('notification not delivered; retried later', { ...fields, retryAt: mark.nextAttemptAt.toISOString() });
    } else {
      counts.parked += 1;
      deps.metrics?.ownerNotification(row.channel, row.kind, 'parked');
      log.warn('notification parked', { ...fields, reason: mark.error });
    }
  }
  return counts;
}

/**
 * Every claimed row through its channel, all channels at once. A channel that takes a list (Salesforce's action)
 * gets its rows in one call, so a pass of fifty leads costs it one request instead of fifty queued behind each other.
 */
async function sendAll(
  rows: ClaimedNotification[],
  channels: ReadonlyMap<string, NotificationChannel>,
  log: Logger,
): Promise<Map<ClaimedNotification, DeliveryOutcome>> {
  const outcomes = new Map<ClaimedNotification, DeliveryOutcome>();
  type Listed = { row: ClaimedNotification; notification: OwnerNotification; to: NotificationRecipient };
  const listed = new Map<NotificationChannel, Listed[]>();
  const single: ClaimedNotification[] = [];
  for (const row of rows) {
    const channel = channels.get(row.channel);
    if (channel?.deliverMany && row.content && row.recipient)
      listed.set(channel, [...(listed.get(channel) ?? []), { row, notification: row.content, to: row.recipient }]);
    else single.push(row);
  }
  const many = [...listed].map(async ([channel, group]) => {
    let answers: DeliveryOutcome[];
    try {
      answers = (await channel.deliverMany?.(group)) ?? [];
    } catch (error) {
      answers = group.map(() => threw(channel.name, error, log));
    }
    group.forEach(({ row }, index) => {
      const answer = answers[index];
      if (answer) outcomes.set(row, answer);
    });
  });
  const each = single.map(async (row) => {
    outcomes.set(row, await send(row, channels, log));
  });
  await Promise.all([...many, ...each]);
  return outcomes;
}

/** A channel answers with values; a throw is unexpected. Only the error's name is kept (the message may quote the recipient). */
function threw(channel: string, error: unknown, log: Logger): DeliveryOutcome {
  const name = error instanceof Error ? error.name : typeof error;
  log.error('notification channel threw instead of answering', { channel, errorName: name });
  return { status: 'retry', reason: `channel ${channel} threw ${name}` };
}

async function send(row: ClaimedNotification, channels: ReadonlyMap<string, NotificationChannel>, log: Logger): Promise<DeliveryOutcome> {
  const channel = channels.get(row.channel);
  if (!channel)
    return { status: 'undeliverable', reason: `channel ${row.channel} is not configured (routing.yaml notify.channels and its settings)` };
  if (!row.content || !row.recipient) return { status: 'undeliverable', reason: 'the message was erased before it could be sent' };
  try {
    return await channel.deliver(row.content, row.recipient);
  } catch (error) {
    // A channel answers with values; a throw is unexpected. The message may quote the recipient, so only its name
    // is kept and logged; the row is retried like any failed attempt, so the handoff never waits on it.
    const name = error instanceof Error ? error.name : typeof error;
    log.error('notification channel threw instead of answering', { notificationId: row.id, channel: row.channel, errorName: name });
    return { status: 'retry', reason: `channel ${row.channel} threw ${name}` };
  }
}
