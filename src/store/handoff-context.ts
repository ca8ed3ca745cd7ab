import type { Queryable } from './database-types.ts';
import type { WrittenValues } from './last-written.ts';
import type { SalesforceObject } from './links.ts';

/** What the store holds on one contact when its handoff is decided. */
export interface HandoffContext {
  link?: { salesforceObject: SalesforceObject; salesforceId: string };
  /** The linked Lead's last known funnel stage (lead memory); null or absent when the poll has not seen it. */
  leadStage?: string | null;
  /** What we last wrote to the linked Lead. */
  leadWritten?: WrittenValues;
}

interface ContextRow {
  contactId: string;
  salesforceObject: SalesforceObject;
  salesforceId: string;
  stage: string | null;
  written: WrittenValues | null;
}

/**
 * Everything the handoff decision reads from the store for these contacts, in one statement: the link, and for a
 * linked Lead its lead memory stage and the values we last wrote to it. (Before, three reads, one after another.)
 * Contacts with no link are absent from the map.
 */
export async function readHandoffContext(db: Queryable, contactIds: string[]): Promise<Map<string, HandoffContext>> {
  if (contactIds.length === 0) return new Map();
  const result = await db.query<ContextRow>(
    `SELECT l.hubspot_contact_id AS "contactId", l.salesforce_object AS "salesforceObject", l.salesforce_id AS "salesforceId",
            m.stage, w."values" AS written
       FROM record_links l
       LEFT JOIN lead_memory m ON l.salesforce_object = 'Lead' AND m.lead_id = l.salesforce_id
       LEFT JOIN last_written w ON l.salesforce_object = 'Lead' AND w.side = 'salesforce' AND w.record_id = l.salesforce_id
      WHERE l.hubspot_contact_id = ANY($1::text[])`,
    [contactIds],
  );
  return new Map(
    result.rows.map((row) => [
      row.contactId,
      {
        link: { salesforceObject: row.salesforceObject, salesforceId: row.salesforceId },
        ...(row.stage !== null ? { leadStage: row.stage } : {}),
        ...(row.written ? { leadWritten: row.written } : {}),
      },
    ]),
  );
}
