import type { Queryable } from './database.ts';

/** One webhook event as the HTTP layer persists it, before any work happens. */
export interface InboxEventInput {
  /** Derived from the delivery (e.g. HubSpot eventId); a redelivery carries the same key. */
  dedupeKey: string;
  source: string;
  eventType: string;
  objectType: string;
  /** The HubSpot contact id the event is about. */
  objectId: string;
  propertyName?: string | null;
  propertyValue?: string | null;
  changeSource?: string | null;
  occurredAt: Date;
  payload: unknown;
}

export interface InboxEvent extends Required<InboxEventInput> {
  /** bigserial, returned as text so both engines agree. */
  id: string;
  receivedAt: Date;
  processedAt: Date | null;
  outcome: string | null;
}

const HEAD_COLUMNS = `id::text AS id, dedupe_key AS "dedupeKey", source, event_type AS "eventType",
  object_type AS "objectType", object_id AS "objectId", property_name AS "propertyName",
  property_value AS "propertyValue", change_source AS "changeSource", occurred_at AS "occurredAt",
  received_at AS "receivedAt", processed_at AS "processedAt", outcome`;
const EVENT_COLUMNS = `${HEAD_COLUMNS}, payload`;

/** A stored event without its payload: all the handoff worker reads, so a large backlog costs less to fetch. */
export type PendingEvent = Omit<InboxEvent, 'payload'>;

export interface InsertOutcome {
  inserted: number;
  duplicates: number;
}

/**
 * Stores a batch in one statement; redelivered events (same dedupe key, in the table or earlier
 * in the batch) are skipped and counted as duplicates.
 */
export async function insertEvents(db: Queryable, events: InboxEventInput[]): Promise<InsertOutcome> {
  const [outcome] = await insertEventBatches(db, [events]);
  return outcome ?? { inserted: 0, duplicates: 0 };
}

/**
 * Stores several deliveries' batches in ONE statement (one commit) and tells each batch what became of its
 * events: an event is stored for the first batch that carries its dedupe key, and a duplicate for every other
 * occurrence and for keys the table already held.
 */
export async function insertEventBatches(db: Queryable, batches: InboxEventInput[][]): Promise<InsertOutcome[]> {
  const events = batches.flat();
  if (events.length === 0) return batches.map(() => ({ inserted: 0, duplicates: 0 }));
  // The batch travels as one jsonb array so the statement has a fixed shape at any batch size.
  const rows = events.map((event) => ({
    dedupe_key: event.dedupeKey,
    source: event.source,
    event_type: event.eventType,
    object_type: event.objectType,
    object_id: event.objectId,
    property_name: event.propertyName ?? null,
    property_value: event.propertyValue ?? null,
    change_source: event.changeSource ?? null,
    occurred_at: event.occurredAt.toISOString(),
    payload: event.payload ?? null,
  }));
  const result = await db.query<{ dedupeKey: string }>(
    `INSERT INTO webhook_inbox (dedupe_key, source, event_type, object_type, object_id, property_name,
       property_value, change_source, occurred_at, payload)
     SELECT dedupe_key, source, event_type, object_type, object_id, property_name, property_value,
       change_source, occurred_at, coalesce(payload, 'null'::jsonb)
     FROM jsonb_to_recordset($1::jsonb) AS e(dedupe_key text, source text, event_type text, object_type text,
       object_id text, property_name text, property_value text, change_source text, occurred_at timestamptz,
       payload jsonb)
     ON CONFLICT (dedupe_key) DO NOTHING
     RETURNING dedupe_key AS "dedupeKey"`,
    [JSON.stringify(rows)],
  );
  const unclaimed = new Set(result.rows.map((row) => row.dedupeKey));
  return batches.map((batch) => {
    let inserted = 0;
    for (const event of batch) if (unclaimed.delete(event.dedupeKey)) inserted += 1;
    return { inserted, duplicates: batch.length - inserted };
  });
}

/** Unprocessed events for these contacts, oldest first (by occurrence, then arrival). */
export async function pendingEvents(db: Queryable, contactIds: string[]): Promise<InboxEvent[]> {
  return selectPending<InboxEvent>(db, contactIds, EVENT_COLUMNS);
}

/** The same events without their payloads. */
export async function pendingEventHeads(db: Queryable, contactIds: string[]): Promise<PendingEvent[]> {
  return selectPending<PendingEvent>(db, contactIds, HEAD_COLUMNS);
}

/** The stored payloads of these events (pending reads leave payloads out; few events need theirs). */
export async function eventPayloads(db: Queryable, ids: string[]): Promise<Map<string, unknown>> {
  if (ids.length === 0) return new Map();
  const result = await db.query<{ id: string; payload: unknown }>(
    'SELECT id::text AS id, payload FROM webhook_inbox WHERE id = ANY($1::bigint[])',
    [ids],
  );
  return new Map(result.rows.map((row) => [row.id, row.payload]));
}

async function selectPending<T>(db: Queryable, contactIds: string[], columns: string): Promise<T[]> {
  if (contactIds.length === 0) return [];
  const result = await db.query<T>(
    `SELECT ${columns} FROM webhook_inbox
     WHERE processed_at IS NULL AND object_id = ANY($1::text[])
     ORDER BY occurred_at, id`,
    [contactIds],
  );
  return result.rows;
}

/**
 * Contacts whose oldest unprocessed event arrived before `receivedBefore`, longest-waiting first.
 * Using the oldest event (not the newest) means a contact that keeps changing is still processed.
 */
export async function pendingContactIds(db: Queryable, options: { receivedBefore: Date; limit: number }): Promise<string[]> {
  const result = await db.query<{ objectId: string }>(
    `SELECT object_id AS "objectId" FROM webhook_inbox
     WHERE processed_at IS NULL
     GROUP BY object_id
     HAVING min(received_at) < $1
     ORDER BY min(received_at), object_id
     LIMIT $2`,
    [options.receivedBefore.toISOString(), options.limit],
  );
  return result.rows.map((row) => row.objectId);
}

/** Marks events done with an outcome; already-processed events are left as they were. Returns how many changed. */
export async function markProcessed(db: Queryable, ids: Array<bigint | string>, outcome: string): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db.query(
    `UPDATE webhook_inbox SET processed_at = now(), outcome = $2
     WHERE id = ANY($1::bigint[]) AND processed_at IS NULL`,
    [ids.map(String), outcome],
  );
  return result.rowCount;
}

/** Number of unprocessed events, for health and admin views. */
export async function countPending(db: Queryable): Promise<number> {
  const result = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM webhook_inbox WHERE processed_at IS NULL');
  return result.rows[0]?.count ?? 0;
}
