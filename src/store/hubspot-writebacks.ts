import type { Queryable } from './database.ts';

/** The HubSpot budget priority a write-back goes out at: the real-time handoff's, or a backfill's. */
export type WriteBackPriority = 'handoff' | 'bulk';

/** What HubSpot is still to learn about one contact after its handoff. */
export interface WriteBackInput {
  contactId: string;
  /** Final property values (forward lifecycle only, values HubSpot already holds dropped). */
  properties: Record<string, string>;
  /** The list (by its name in the mappings) the contact joins, if any. */
  listName?: string;
  priority: WriteBackPriority;
}

/** A row claimed for sending: the claim owns it until settled or until its lease runs out. */
export interface ClaimedWriteBack {
  contactId: string;
  properties: Record<string, string>;
  listName: string | null;
  priority: WriteBackPriority;
  /** Failed sends before this one. */
  attempts: number;
  claimedAt: Date;
}

/**
 * Queues write-backs in one statement (call in the transaction that persists the batch). A contact already waiting
 * takes the later values on top of the earlier ones, and is due again at once; if a flusher is sending it right now,
 * the reset claim keeps that flusher from deleting it, so the merged values go out in the next send.
 */
export async function queueWriteBacks(tx: Queryable, rows: WriteBackInput[]): Promise<number> {
  if (rows.length === 0) return 0;
  const merged = new Map<string, WriteBackInput>();
  for (const row of rows) {
    const earlier = merged.get(row.contactId);
    const listName = row.listName ?? earlier?.listName;
    merged.set(row.contactId, {
      contactId: row.contactId,
      properties: { ...earlier?.properties, ...row.properties },
      ...(listName ? { listName } : {}),
      priority: earlier?.priority === 'handoff' ? 'handoff' : row.priority,
    });
  }
  const records = [...merged.values()].map((row) => ({
    contact_id: row.contactId,
    properties: row.properties,
    list_name: row.listName ?? null,
    priority: row.priority,
  }));
  const result = await tx.query(
    `INSERT INTO hubspot_writebacks (contact_id, properties, list_name, priority)
     SELECT contact_id, properties, list_name, priority
     FROM jsonb_to_recordset($1::jsonb) AS r(contact_id text, properties jsonb, list_name text, priority text)
     ON CONFLICT (contact_id) DO UPDATE
       SET properties = hubspot_writebacks.properties || EXCLUDED.properties,
           list_name = coalesce(EXCLUDED.list_name, hubspot_writebacks.list_name),
           -- A real-time handoff's write-back merged with a backfill's keeps the real-time priority.
           priority = CASE WHEN 'handoff' IN (hubspot_writebacks.priority, EXCLUDED.priority) THEN 'handoff' ELSE 'bulk' END,
           next_attempt_at = now(), claimed_at = NULL`,
    [JSON.stringify(records)],
  );
  return result.rowCount;
}

/**
 * Claims due rows in one statement committed at once: rows whose time has come and that no live claim holds (a
 * claim older than `leaseMs` belongs to a flusher that died mid-send). Rows another flusher is claiming are skipped
 * (SKIP LOCKED), so two flushers, in one replica or in several, never hold one row at once.
 */
export async function claimDueWriteBacks(
  db: Queryable,
  options: { now: Date; leaseMs: number; limit: number },
): Promise<ClaimedWriteBack[]> {
  const result = await db.query<ClaimedWriteBack>(
    `WITH due AS (
       SELECT contact_id FROM hubspot_writebacks
       WHERE next_attempt_at <= $1
         AND (claimed_at IS NULL OR claimed_at < $1::timestamptz - make_interval(secs => $2::float8 / 1000))
       ORDER BY next_attempt_at, contact_id LIMIT $3 FOR UPDATE SKIP LOCKED)
     UPDATE hubspot_writebacks w SET claimed_at = $1
     FROM due WHERE w.contact_id = due.contact_id
     RETURNING w.contact_id AS "contactId", w.properties, w.list_name AS "listName", w.priority, w.attempts, w.claimed_at AS "claimedAt"`,
    [options.now.toISOString(), options.leaseMs, options.limit],
  );
  return result.rows.sort((a, b) => a.contactId.localeCompare(b.contactId));
}

/** How one claimed row ended: done (sent or parked: deleted), or partly left to send again later. */
export type WriteBackSettlement =
  | { contactId: string; claimedAt: Date; state: 'done' }
  | {
      contactId: string;
      claimedAt: Date;
      state: 'retry';
      /** What is still to send (the parts that went out or were parked are dropped). */
      properties: Record<string, string>;
      listName: string | null;
      nextAttemptAt: Date;
      error: string;
    };

/**
 * Settles claimed rows in one statement each for the deleted and the retried, each only while its claim still holds:
 * a row a later batch merged into (claim reset) or a flusher that outlived its lease changes nothing. Returns the
 * contacts settled (only their failures are parked: the others' rows are still to send).
 */
export async function settleWriteBacks(tx: Queryable, settlements: WriteBackSettlement[]): Promise<Set<string>> {
  const settled = new Set<string>();
  const done = settlements.filter((s) => s.state === 'done');
  if (done.length > 0) {
    const deleted = await tx.query<{ contactId: string }>(
      `DELETE FROM hubspot_writebacks w USING jsonb_to_recordset($1::jsonb) AS d(contact_id text, claimed_at timestamptz)
       WHERE w.contact_id = d.contact_id AND w.claimed_at = d.claimed_at RETURNING w.contact_id AS "contactId"`,
      [JSON.stringify(done.map((s) => ({ contact_id: s.contactId, claimed_at: s.claimedAt.toISOString() })))],
    );
    for (const row of deleted.rows) settled.add(row.contactId);
  }
  const retry = settlements.flatMap((s) => (s.state === 'retry' ? [s] : []));
  if (retry.length > 0) {
    const updated = await tx.query<{ contactId: string }>(
      `UPDATE hubspot_writebacks w SET properties = r.properties, list_name = r.list_name, attempts = w.attempts + 1,
         next_attempt_at = r.next_attempt_at, last_error = r.last_error, claimed_at = NULL
       FROM jsonb_to_recordset($1::jsonb) AS r(contact_id text, claimed_at timestamptz, properties jsonb, list_name text,
         next_attempt_at timestamptz, last_error text)
       WHERE w.contact_id = r.contact_id AND w.claimed_at = r.claimed_at RETURNING w.contact_id AS "contactId"`,
      [
        JSON.stringify(
          retry.map((s) => ({
            contact_id: s.contactId,
            claimed_at: s.claimedAt.toISOString(),
            properties: s.properties,
            list_name: s.listName,
            next_attempt_at: s.nextAttemptAt.toISOString(),
            last_error: s.error.slice(0, 500),
          })),
        ),
      ],
    );
    for (const row of updated.rows) settled.add(row.contactId);
  }
  return settled;
}

export interface WaitingWriteBack {
  contactId: string;
  properties: Record<string, string>;
  listName: string | null;
  priority: WriteBackPriority;
  attempts: number;
  nextAttemptAt: Date;
}

/** Every row waiting, by contact (the tests and an operator's look). */
export async function waitingWriteBacks(db: Queryable): Promise<WaitingWriteBack[]> {
  const result = await db.query<WaitingWriteBack>(
    `SELECT contact_id AS "contactId", properties, list_name AS "listName", priority, attempts, next_attempt_at AS "nextAttemptAt"
     FROM hubspot_writebacks ORDER BY contact_id`,
  );
  return result.rows;
}

/** The properties still queued for these contacts: what HubSpot is about to hold (the sales-side sync reads it). */
export async function queuedWriteBackProperties(db: Queryable, contactIds: string[]): Promise<Map<string, Record<string, string>>> {
  if (contactIds.length === 0) return new Map();
  const result = await db.query<{ contactId: string; properties: Record<string, string> }>(
    `SELECT contact_id AS "contactId", properties FROM hubspot_writebacks WHERE contact_id = ANY($1::text[])`,
    [contactIds],
  );
  return new Map(result.rows.map((row) => [row.contactId, row.properties]));
}

/**
 * Drops from queued write-backs the properties a later write (the sales-side sync) has just set, so the flusher never
 * sends the handoff's older value over the newer one (call in the transaction that records that write).
 */
export async function supersedeWriteBacks(tx: Queryable, writes: { recordId: string; values: Record<string, unknown> }[]): Promise<void> {
  const rows = writes.filter((write) => Object.keys(write.values).length > 0);
  if (rows.length === 0) return;
  await tx.query(
    `UPDATE hubspot_writebacks w SET properties = w.properties - s.names
     FROM jsonb_to_recordset($1::jsonb) AS s(contact_id text, names text[])
     WHERE w.contact_id = s.contact_id AND w.properties ?| s.names`,
    [JSON.stringify(rows.map((write) => ({ contact_id: write.recordId, names: Object.keys(write.values) })))],
  );
}
