import type { KeptValues } from '../core/handoff/kept-values.ts';
import type { Queryable } from './database.ts';

/** One property's value for one contact, known as of `at`. */
export interface KeptRow {
  contactId: string;
  property: string;
  value: string | null;
  at: Date;
}

/** The kept values of these contacts; a contact never read (or whose values were all purged) is absent. */
export async function readKeptValues(db: Queryable, contactIds: string[]): Promise<Map<string, KeptValues>> {
  if (contactIds.length === 0) return new Map();
  const result = await db.query<{ contactId: string; property: string; value: string | null; at: Date }>(
    `SELECT hubspot_contact_id AS "contactId", property, value, known_at AS at
     FROM contact_kept_values WHERE hubspot_contact_id = ANY($1::text[])`,
    [contactIds],
  );
  const kept = new Map<string, KeptValues>();
  for (const row of result.rows) {
    const values = kept.get(row.contactId) ?? {};
    values[row.property] = { value: row.value, at: new Date(row.at) };
    kept.set(row.contactId, values);
  }
  return kept;
}

/** The newest row per contact and property (one statement cannot update a row twice); later rows win a tie. */
function newestPerProperty(rows: KeptRow[]): KeptRow[] {
  const newest = new Map<string, KeptRow>();
  for (const row of rows) {
    const key = JSON.stringify([row.contactId, row.property]);
    const known = newest.get(key);
    if (!known || row.at.getTime() >= known.at.getTime()) newest.set(key, row);
  }
  return [...newest.values()];
}

/**
 * Upserts values, each replacing a kept one only when strictly newer, so late, out-of-order and duplicate events are
 * harmless. `knownContactsOnly`: rows for contacts with no kept values are dropped (webhooks never start them).
 */
async function upsertNewer(db: Queryable, rows: KeptRow[], knownContactsOnly: boolean): Promise<number> {
  if (rows.length === 0) return 0;
  const payload = newestPerProperty(rows).map((row) => ({
    contact_id: row.contactId,
    property: row.property,
    value: row.value,
    known_at: row.at.toISOString(),
  }));
  const result = await db.query(
    `INSERT INTO contact_kept_values AS k (hubspot_contact_id, property, value, known_at)
     SELECT contact_id, property, value, known_at
     FROM jsonb_to_recordset($1::jsonb) AS e(contact_id text, property text, value text, known_at timestamptz)
     WHERE NOT $2::boolean OR EXISTS (SELECT 1 FROM contact_kept_values c WHERE c.hubspot_contact_id = e.contact_id)
     ON CONFLICT (hubspot_contact_id, property) DO UPDATE SET value = EXCLUDED.value, known_at = EXCLUDED.known_at
       WHERE EXCLUDED.known_at > k.known_at`,
    [JSON.stringify(payload), knownContactsOnly],
  );
  return result.rowCount;
}

/** Values just read from HubSpot (a read may start a contact's kept values). Returns the rows written. */
export async function keepReadValues(db: Queryable, reads: { contactId: string; values: KeptValues }[]): Promise<number> {
  const rows = reads.flatMap(({ contactId, values }) =>
    Object.entries(values).map(([property, kept]) => ({ contactId, property, value: kept.value, at: kept.at })),
  );
  return upsertNewer(db, rows, false);
}

/** Values from propertyChange webhooks, applied only to contacts already read once. Returns the rows written. */
export async function keepEventValues(db: Queryable, rows: KeptRow[]): Promise<number> {
  return upsertNewer(db, rows, true);
}

/**
 * Kept values known as of before the cutoff (the max age) can no longer decide anything: they go. At most `limit`
 * rows per call; rows another replica is purging are skipped. Returns how many were deleted.
 */
export async function purgeKeptValues(db: Queryable, options: { knownBefore: Date; limit: number }): Promise<number> {
  const result = await db.query(
    `DELETE FROM contact_kept_values WHERE (hubspot_contact_id, property) IN (
       SELECT hubspot_contact_id, property FROM contact_kept_values WHERE known_at < $1
       ORDER BY known_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    [options.knownBefore.toISOString(), options.limit],
  );
  return result.rowCount;
}
