import type { Queryable } from './database.ts';

export type SalesforceObject = 'Lead' | 'Contact';

export interface RecordLink {
  hubspotContactId: string;
  salesforceObject: SalesforceObject;
  salesforceId: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface LinkInput {
  hubspotContactId: string;
  salesforceObject: SalesforceObject;
  salesforceId: string;
}

/** Linking a Salesforce record already linked to another contact is an expected outcome, not a crash. */
export type UpsertLinkResult =
  | { ok: true; link: RecordLink }
  | { ok: false; reason: 'salesforce_id_linked_elsewhere'; existing: RecordLink };

const LINK_COLUMNS = `hubspot_contact_id AS "hubspotContactId", salesforce_object AS "salesforceObject",
  salesforce_id AS "salesforceId", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** A contact linked again keeps its link's date unless the Salesforce record changed. */
const ON_CONFLICT_RELINK = `ON CONFLICT (hubspot_contact_id) DO UPDATE
       SET salesforce_object = EXCLUDED.salesforce_object, salesforce_id = EXCLUDED.salesforce_id,
           updated_at = CASE WHEN record_links.salesforce_id = EXCLUDED.salesforce_id
                              AND record_links.salesforce_object = EXCLUDED.salesforce_object
                             THEN record_links.updated_at ELSE now() END
     RETURNING ${LINK_COLUMNS}`;

/**
 * Creates the link, or repoints the contact's link (a Lead converted to a Contact gets a new id).
 * Checked first rather than caught, so a conflict does not abort the caller's transaction; the
 * unique index still guards the race.
 */
export async function upsertLink(db: Queryable, input: LinkInput): Promise<UpsertLinkResult> {
  const existing = await linkForSalesforceId(db, input.salesforceId);
  if (existing && existing.hubspotContactId !== input.hubspotContactId) {
    return { ok: false, reason: 'salesforce_id_linked_elsewhere', existing };
  }
  const result = await db.query<RecordLink>(
    `INSERT INTO record_links (hubspot_contact_id, salesforce_object, salesforce_id)
     VALUES ($1, $2, $3)
     ${ON_CONFLICT_RELINK}`,
    [input.hubspotContactId, input.salesforceObject, input.salesforceId],
  );
  const link = result.rows[0];
  if (!link) throw new Error('upsertLink returned no row');
  return { ok: true, link };
}

/**
 * Many upserts with upsertLink's outcome for each input, in order: a batch's links in two statements instead
 * of two per link. A batch where one input could affect another (a contact twice, or a Salesforce id held by
 * another contact) is applied one link at a time, so the outcome is always what upsertLink gives in order.
 */
export async function upsertLinks(db: Queryable, inputs: LinkInput[]): Promise<UpsertLinkResult[]> {
  if (inputs.length === 0) return [];
  const contactIds = inputs.map((input) => input.hubspotContactId);
  const current = await db.query<RecordLink>(
    `SELECT ${LINK_COLUMNS} FROM record_links WHERE salesforce_id = ANY($1::text[]) OR hubspot_contact_id = ANY($2::text[])`,
    [inputs.map((input) => input.salesforceId), contactIds],
  );
  const holderOf = new Map(current.rows.map((link) => [link.salesforceId, link.hubspotContactId]));
  const claimedInBatch = new Map<string, string>();
  const entangled =
    new Set(contactIds).size < contactIds.length ||
    inputs.some((input) => {
      const holder = holderOf.get(input.salesforceId) ?? claimedInBatch.get(input.salesforceId);
      claimedInBatch.set(input.salesforceId, input.hubspotContactId);
      return holder !== undefined && holder !== input.hubspotContactId;
    });
  if (entangled) {
    const results: UpsertLinkResult[] = [];
    for (const input of inputs) results.push(await upsertLink(db, input));
    return results;
  }
  const rows = inputs.map((input) => ({
    hubspot_contact_id: input.hubspotContactId,
    salesforce_object: input.salesforceObject,
    salesforce_id: input.salesforceId,
  }));
  const result = await db.query<RecordLink>(
    `INSERT INTO record_links (hubspot_contact_id, salesforce_object, salesforce_id)
     SELECT hubspot_contact_id, salesforce_object, salesforce_id
     FROM jsonb_to_recordset($1::jsonb) AS e(hubspot_contact_id text, salesforce_object text, salesforce_id text)
     ${ON_CONFLICT_RELINK}`,
    [JSON.stringify(rows)],
  );
  const saved = new Map(result.rows.map((link) => [link.hubspotContactId, link]));
  return inputs.map((input) => {
    const link = saved.get(input.hubspotContactId);
    if (!link) throw new Error('upsertLinks returned no row for a link');
    return { ok: true, link };
  });
}

/** Links for these contacts, keyed by HubSpot contact id (contacts without a link are absent). */
export async function linksForContacts(db: Queryable, hubspotContactIds: string[]): Promise<Map<string, RecordLink>> {
  if (hubspotContactIds.length === 0) return new Map();
  const result = await db.query<RecordLink>(`SELECT ${LINK_COLUMNS} FROM record_links WHERE hubspot_contact_id = ANY($1::text[])`, [
    hubspotContactIds,
  ]);
  return new Map(result.rows.map((link) => [link.hubspotContactId, link]));
}

export async function linkForSalesforceId(db: Queryable, salesforceId: string): Promise<RecordLink | undefined> {
  const result = await db.query<RecordLink>(`SELECT ${LINK_COLUMNS} FROM record_links WHERE salesforce_id = $1`, [salesforceId]);
  return result.rows[0];
}

/** Linked contact ids after `after` (text order), for walking every link in pages; null starts at the first. */
export async function linkedContactIdsAfter(db: Queryable, after: string | null, limit: number): Promise<string[]> {
  const result = await db.query<{ id: string }>(
    `SELECT hubspot_contact_id AS id FROM record_links WHERE $1::text IS NULL OR hubspot_contact_id > $1::text
     ORDER BY hubspot_contact_id LIMIT $2`,
    [after, limit],
  );
  return result.rows.map((row) => row.id);
}

export async function countLinks(db: Queryable): Promise<number> {
  const result = await db.query<{ count: string | number }>('SELECT count(*) AS count FROM record_links');
  return Number(result.rows[0]?.count ?? 0);
}
