import type { Queryable } from './database.ts';
import type { WrittenValues } from './last-written.ts';

/** Values about to be written to the Salesforce record of one HubSpot contact. */
export interface WriteIntent {
  contactId: string;
  values: WrittenValues;
}

/**
 * Records what the handoff is about to write, committed before the write is sent (see the migration for why).
 * One statement for the batch.
 */
export async function recordWriteIntents(db: Queryable, intents: WriteIntent[]): Promise<void> {
  if (intents.length === 0) return;
  await db.query(
    `INSERT INTO salesforce_write_intents (hubspot_contact_id, "values")
     SELECT contact_id, "values" FROM jsonb_to_recordset($1::jsonb) AS i(contact_id text, "values" jsonb)`,
    [JSON.stringify(intents.map((intent) => ({ contact_id: intent.contactId, values: intent.values })))],
  );
}

/** Every value still intended for each contact's record, by field (several attempts may have intended several). */
export async function writeIntentsFor(db: Queryable, contactIds: string[]): Promise<Map<string, Record<string, (string | null)[]>>> {
  const byContact = new Map<string, Record<string, (string | null)[]>>();
  if (contactIds.length === 0) return byContact;
  const result = await db.query<{ contactId: string; values: WrittenValues }>(
    `SELECT hubspot_contact_id AS "contactId", "values" FROM salesforce_write_intents
     WHERE hubspot_contact_id = ANY($1::text[]) ORDER BY id`,
    [contactIds],
  );
  for (const row of result.rows) {
    const fields = byContact.get(row.contactId) ?? {};
    for (const [field, value] of Object.entries(row.values)) fields[field] = [...(fields[field] ?? []), value];
    byContact.set(row.contactId, fields);
  }
  return byContact;
}

/** Forgets the intents of contacts whose results are being committed (call inside that transaction). */
export async function clearWriteIntents(db: Queryable, contactIds: string[]): Promise<void> {
  if (contactIds.length === 0) return;
  await db.query('DELETE FROM salesforce_write_intents WHERE hubspot_contact_id = ANY($1::text[])', [contactIds]);
}
