import type {
  NotificationChannelName,
  NotificationKind,
  NotificationRecipient,
  OwnerNotification,
} from '../core/routing/owner-notification.ts';
import type { Queryable } from './database.ts';

export interface OwnerNotificationInput {
  assignmentId: string;
  kind: NotificationKind;
  channel: NotificationChannelName;
  recipient: NotificationRecipient;
  content: OwnerNotification;
}

/**
 * Queues notifications in one statement (call in the transaction that records the assignment). The unique key
 * (assignment, kind, channel, recipient) makes each one exactly once: a replayed batch or a second replica adds
 * nothing. Returns how many were new.
 */
export async function enqueueOwnerNotifications(
  tx: Queryable,
  rows: OwnerNotificationInput[],
  options: { /** Due from (the caller's clock); default the database's. */ now?: Date } = {},
): Promise<number> {
  if (rows.length === 0) return 0;
  const records = rows.map((row) => ({
    assignment_id: row.assignmentId,
    kind: row.kind,
    channel: row.channel,
    recipient_id: row.recipient.salesforceId,
    recipient: row.recipient,
    content: row.content,
  }));
  const result = await tx.query(
    `INSERT INTO owner_notifications (assignment_id, kind, channel, recipient_id, recipient, content, next_attempt_at)
     SELECT assignment_id, kind, channel, recipient_id, recipient, content, coalesce($2::timestamptz, now())
     FROM jsonb_to_recordset($1::jsonb) AS r(assignment_id bigint, kind text, channel text, recipient_id text, recipient jsonb, content jsonb)
     ON CONFLICT (assignment_id, kind, channel, recipient_id) DO NOTHING`,
    [JSON.stringify(records), options.now?.toISOString() ?? null],
  );
  return result.rowCount;
}

/** A notification claimed for sending: its content, its recipient and the claim that owns it. */
export interface ClaimedNotification {
  id: string;
  assignmentId: string;
  kind: NotificationKind;
  channel: NotificationChannelName;
  /** Attempts including this one. */
  attempts: number;
  /** The claim's time: a later mark only applies while this claim still holds the row. */
  claimedAt: Date;
  /** When the owner got the Lead (the notification latency is counted from it). */
  assignedAt: Date;
  recipient: NotificationRecipient | null;
  content: OwnerNotification | null;
}

/**
 * Claims due notifications in one statement: pending ones whose time has come, and `sending` ones whose claim is
 * older than `leaseMs` (the replica that claimed them died mid-send). Rows another replica is claiming are skipped,
 * so each goes to one sender. A crash between the send and its mark repeats that one send after the lease; the
 * e-mail's deterministic Message-ID (the notification key) makes such a repeat recognisable. Each claim counts as
 * an attempt, so a row that crashes its sender every time still ends parked.
 */
export async function claimDueNotifications(
  db: Queryable,
  options: { now: Date; leaseMs: number; limit: number },
): Promise<ClaimedNotification[]> {
  const now = options.now.toISOString();
  const result = await db.query<ClaimedNotification>(
    `WITH due AS (
       SELECT id FROM owner_notifications
       WHERE (state = 'pending' AND next_attempt_at <= $1)
          OR (state = 'sending' AND claimed_at < $1::timestamptz - make_interval(secs => $2::float8 / 1000))
       ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED),
     claimed AS (
       UPDATE owner_notifications n SET state = 'sending', claimed_at = $1, attempts = n.attempts + 1
       FROM due WHERE n.id = due.id
       RETURNING n.id, n.assignment_id, n.kind, n.channel, n.attempts, n.claimed_at, n.recipient, n.content)
     SELECT c.id::text AS id, c.assignment_id::text AS "assignmentId", c.kind, c.channel, c.attempts,
       c.claimed_at AS "claimedAt", coalesce(a.assigned_at, a.decided_at) AS "assignedAt", c.recipient, c.content
     FROM claimed c JOIN lead_assignments a ON a.id = c.assignment_id ORDER BY c.id`,
    [now, options.leaseMs, options.limit],
  );
  return result.rows;
}

/** How one claimed send ended. */
export type NotificationMark =
  | { id: string; claimedAt: Date; state: 'delivered'; at: Date }
  | { id: string; claimedAt: Date; state: 'pending'; nextAttemptAt: Date; error: string }
  | { id: string; claimedAt: Date; state: 'parked'; error: string };

/**
 * Records the outcomes in one statement, each only while its claim still holds (a sender that outlived its lease
 * changes nothing). A delivered notification drops its content and recipient: personal data is not kept past its
 * use. Returns the ids marked.
 */
export async function markNotifications(db: Queryable, marks: NotificationMark[]): Promise<Set<string>> {
  if (marks.length === 0) return new Set();
  const rows = marks.map((mark) => ({
    id: mark.id,
    claimed_at: mark.claimedAt.toISOString(),
    state: mark.state,
    delivered_at: mark.state === 'delivered' ? mark.at.toISOString() : null,
    next_attempt_at: mark.state === 'pending' ? mark.nextAttemptAt.toISOString() : null,
    last_error: mark.state === 'delivered' ? null : mark.error.slice(0, 500),
  }));
  const result = await db.query<{ id: string }>(
    `UPDATE owner_notifications n SET state = m.state, delivered_at = coalesce(m.delivered_at, n.delivered_at),
       next_attempt_at = coalesce(m.next_attempt_at, n.next_attempt_at), last_error = m.last_error,
       content = CASE WHEN m.state = 'delivered' THEN NULL ELSE n.content END,
       recipient = CASE WHEN m.state = 'delivered' THEN NULL ELSE n.recipient END
     FROM jsonb_to_recordset($1::jsonb) AS m(id bigint, claimed_at timestamptz, state text, delivered_at timestamptz,
       next_attempt_at timestamptz, last_error text)
     WHERE n.id = m.id AND n.state = 'sending' AND n.claimed_at = m.claimed_at
     RETURNING n.id::text AS id`,
    [JSON.stringify(rows)],
  );
  return new Set(result.rows.map((row) => row.id));
}

export interface NotificationStatus {
  id: string;
  assignmentId: string;
  kind: NotificationKind;
  channel: NotificationChannelName;
  recipientId: string;
  state: 'pending' | 'sending' | 'delivered' | 'parked';
  attempts: number;
  nextAttemptAt: Date;
  deliveredAt: Date | null;
  lastError: string | null;
  hasContent: boolean;
}

/** Notifications of these assignments (the record look-up and the tests), without their personal content. */
export async function notificationsForAssignments(db: Queryable, assignmentIds: string[]): Promise<NotificationStatus[]> {
  if (assignmentIds.length === 0) return [];
  const result = await db.query<NotificationStatus>(
    `SELECT id::text AS id, assignment_id::text AS "assignmentId", kind, channel, recipient_id AS "recipientId", state,
       attempts, next_attempt_at AS "nextAttemptAt", delivered_at AS "deliveredAt", last_error AS "lastError",
       (content IS NOT NULL OR recipient IS NOT NULL) AS "hasContent"
     FROM owner_notifications WHERE assignment_id = ANY($1::bigint[]) ORDER BY owner_notifications.id`,
    [assignmentIds],
  );
  return result.rows;
}
