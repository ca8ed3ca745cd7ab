import type { Queryable } from './database.ts';

/**
 * A webhook event refused on its own while the rest of its delivery was stored. It holds what identifies the
 * event (when readable) and why it was refused, never the payload, which may hold personal data.
 */
export interface RejectedEventInput {
  source: string;
  dedupeKey: string | null;
  eventId: string | null;
  subscriptionType: string | null;
  objectId: string | null;
  reason: string;
}

export interface RejectedEvent extends RejectedEventInput {
  id: string;
  receivedAt: Date;
}

/** Records a delivery's refused events in one statement. */
export async function insertRejectedEvents(db: Queryable, events: RejectedEventInput[]): Promise<void> {
  if (events.length === 0) return;
  await db.query(
    `INSERT INTO rejected_webhook_events (source, dedupe_key, event_id, subscription_type, object_id, reason)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`,
    [
      events.map((e) => e.source),
      events.map((e) => e.dedupeKey),
      events.map((e) => e.eventId),
      events.map((e) => e.subscriptionType),
      events.map((e) => e.objectId),
      events.map((e) => e.reason),
    ],
  );
}

/** The most recently refused events, newest first. */
export async function recentRejectedEvents(db: Queryable, limit = 100): Promise<RejectedEvent[]> {
  const result = await db.query<RejectedEvent>(
    `SELECT id::text AS id, source, dedupe_key AS "dedupeKey", event_id AS "eventId",
       subscription_type AS "subscriptionType", object_id AS "objectId", reason, received_at AS "receivedAt"
     FROM rejected_webhook_events ORDER BY received_at DESC, id DESC LIMIT $1`,
    [limit],
  );
  return result.rows;
}
