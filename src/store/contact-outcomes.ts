import type { ContactOutcome } from '../core/calibration/outcome.ts';
import type { Queryable } from './database-types.ts';

/**
 * Audit actions that show a contact was accepted by sales, as the funnel KPIs count an SQL (src/kpis/kpi-queries.ts:
 * a `sql` or `opportunity` stage, `sql_qualified`, `converted`), plus a closed opportunity. `opportunity_won` and
 * `opportunity_lost` are written by the Opportunity follow-up of the Salesforce poll; they are read here by name.
 */
export const ACCEPTED_ACTIONS = ['sql_qualified', 'converted', 'opportunity_won', 'opportunity_lost'];
export const ACCEPTED_STAGES = ['sql', 'opportunity'];
/** A valid rejection is audited `rejected` (held) or `recycled`, with its code in detail.reasonCode (decide-lead-change.ts). */
export const REJECTION_ACTIONS = ['rejected', 'recycled'];

/**
 * What became of each contact from `since` on (its evaluation), read from the audit trail in one statement.
 * Contacts with nothing recorded since are absent: their outcome is open.
 */
export async function contactOutcomes(db: Queryable, contacts: { contactId: string; since: Date }[]): Promise<Map<string, ContactOutcome>> {
  if (contacts.length === 0) return new Map();
  // One index probe per contact (handoff_history_contact), whatever the size of the audit or what the planner knows of it.
  const result = await db.query<ContactOutcome & { contactId: string }>(
    `SELECT c.id AS "contactId", o."becameSql", o.won, o.lost, o."rejectionReason"
     FROM unnest($1::text[], $2::timestamptz[]) AS c(id, since)
     CROSS JOIN LATERAL (
       SELECT coalesce(bool_or(h.action = ANY($3::text[]) OR coalesce(h.stage = ANY($4::text[]), false)), false) AS "becameSql",
         coalesce(bool_or(h.action = 'opportunity_won'), false) AS won,
         coalesce(bool_or(h.action = 'opportunity_lost'), false) AS lost,
         (array_agg(coalesce(h.detail->>'reasonCode', 'unspecified') ORDER BY h.at DESC, h.id DESC)
           FILTER (WHERE h.action = ANY($5::text[])))[1] AS "rejectionReason",
         count(*) AS found
       FROM handoff_history h
       WHERE h.hubspot_contact_id = c.id AND h.at >= c.since
         AND (h.action = ANY($3::text[]) OR h.stage = ANY($4::text[]) OR h.action = ANY($5::text[]))) AS o
     WHERE o.found > 0`,
    [contacts.map((c) => c.contactId), contacts.map((c) => c.since.toISOString()), ACCEPTED_ACTIONS, ACCEPTED_STAGES, REJECTION_ACTIONS],
  );
  return new Map(
    result.rows.map((row) => [
      row.contactId,
      { becameSql: row.becameSql, won: row.won, lost: row.lost, rejectionReason: row.rejectionReason ?? null },
    ]),
  );
}
