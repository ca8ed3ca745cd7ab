import { PRIVACY_DELETION } from '../core/privacy/contact-erasure.ts';
import type { OpportunityMemory, OpportunityState, OpportunityStatus } from '../core/revenue/opportunity-types.ts';
import type { Queryable } from './database.ts';

/** A converted Lead's Opportunity: whose it is (the link) and what the poll last acted on (its memory). */
export interface StoredOpportunity {
  opportunityId: string;
  leadId: string;
  hubspotContactId: string;
  stage: string | null;
  /** numeric comes back as text from pg; null until first read. */
  amount: string | null;
  closeDate: string | null;
  isClosed: boolean | null;
  isWon: boolean | null;
  lossReason: string | null;
  firstSeenAt: Date | null;
  closedAt: Date | null;
  fingerprint: string | null;
  status: OpportunityStatus | null;
}

export interface OpportunityLink {
  opportunityId: string;
  leadId: string;
  hubspotContactId: string;
}

const COLUMNS = `opportunity_id AS "opportunityId", lead_id AS "leadId", hubspot_contact_id AS "hubspotContactId", stage,
  amount::text AS amount, to_char(close_date, 'YYYY-MM-DD') AS "closeDate", is_closed AS "isClosed", is_won AS "isWon",
  loss_reason AS "lossReason", first_seen_at AS "firstSeenAt", closed_at AS "closedAt", fingerprint, status`;

/** The memory a decision compares with, or undefined while nothing has been acted on. */
export function memoryOf(row: StoredOpportunity | undefined): OpportunityMemory | undefined {
  return row?.fingerprint ? { fingerprint: row.fingerprint, status: row.status } : undefined;
}

export async function storedOpportunities(db: Queryable, opportunityIds: string[]): Promise<Map<string, StoredOpportunity>> {
  if (opportunityIds.length === 0) return new Map();
  const result = await db.query<StoredOpportunity>(`SELECT ${COLUMNS} FROM opportunities WHERE opportunity_id = ANY($1::text[])`, [
    opportunityIds,
  ]);
  return new Map(result.rows.map((row) => [row.opportunityId, row]));
}

/** Every Opportunity of one contact, oldest link first. */
export async function opportunitiesOfContact(db: Queryable, hubspotContactId: string): Promise<StoredOpportunity[]> {
  const result = await db.query<StoredOpportunity>(
    `SELECT ${COLUMNS} FROM opportunities WHERE hubspot_contact_id = $1 ORDER BY linked_at, opportunity_id`,
    [hubspotContactId],
  );
  return result.rows;
}

/**
 * Records whose Opportunities these are, in one statement. A link seen again keeps its row; one naming another
 * Lead or contact is repointed. Nothing is recorded for a contact a HubSpot privacy deletion erased.
 */
export async function linkOpportunities(db: Queryable, links: OpportunityLink[]): Promise<number> {
  if (links.length === 0) return 0;
  const unique = [...new Map(links.map((link) => [link.opportunityId, link])).values()];
  const rows = unique.map((link) => ({
    opportunity_id: link.opportunityId,
    lead_id: link.leadId,
    hubspot_contact_id: link.hubspotContactId,
  }));
  const result = await db.query(
    `INSERT INTO opportunities (opportunity_id, lead_id, hubspot_contact_id)
     SELECT l.opportunity_id, l.lead_id, l.hubspot_contact_id
     FROM jsonb_to_recordset($1::jsonb) AS l(opportunity_id text, lead_id text, hubspot_contact_id text)
     WHERE NOT EXISTS (SELECT 1 FROM handoff_history h
                       WHERE h.action = 'erased' AND h.hubspot_contact_id = l.hubspot_contact_id AND h.detail ->> 'event' = $2)
     ON CONFLICT (opportunity_id) DO UPDATE SET lead_id = EXCLUDED.lead_id, hubspot_contact_id = EXCLUDED.hubspot_contact_id,
       updated_at = now()
     WHERE opportunities.lead_id <> EXCLUDED.lead_id OR opportunities.hubspot_contact_id <> EXCLUDED.hubspot_contact_id`,
    [JSON.stringify(rows), PRIVACY_DELETION],
  );
  return result.rowCount;
}

/** One Opportunity as read, and, when the poll acted on it, the memory it now holds. */
export interface OpportunityRecordInput {
  state: OpportunityState;
  acted?: { fingerprint: string; status: OpportunityStatus };
}

/**
 * Writes a page of read Opportunities in one statement: the deal as Salesforce says it is, always; the memory
 * (fingerprint, status) only where the poll acted. `closed_at` is stamped `at` when the deal is acted on as newly
 * closed, kept while it stays closed, and cleared when it is reopened.
 */
export async function recordOpportunities(db: Queryable, inputs: OpportunityRecordInput[], at: Date): Promise<void> {
  if (inputs.length === 0) return;
  const rows = [...new Map(inputs.map((input) => [input.state.id, input])).values()].map(({ state, acted }) => ({
    opportunity_id: state.id,
    stage: state.stageName,
    amount: state.amount,
    close_date: state.closeDate,
    is_closed: state.isClosed,
    is_won: state.isWon,
    forecast_category: state.forecastCategory,
    loss_reason: state.lossReason,
    owner_id: state.ownerId,
    acted: acted !== undefined,
    fingerprint: acted?.fingerprint ?? null,
    status: acted?.status ?? null,
  }));
  await db.query(
    `UPDATE opportunities o SET stage = r.stage, amount = r.amount, close_date = r.close_date, is_closed = r.is_closed,
       is_won = r.is_won, forecast_category = r.forecast_category, loss_reason = r.loss_reason, owner_id = r.owner_id,
       first_seen_at = coalesce(o.first_seen_at, $2),
       fingerprint = CASE WHEN r.acted THEN r.fingerprint ELSE o.fingerprint END,
       status = CASE WHEN r.acted THEN r.status ELSE o.status END,
       closed_at = CASE WHEN NOT r.acted THEN o.closed_at
                        WHEN r.status = 'open' THEN NULL
                        WHEN o.status IS DISTINCT FROM r.status THEN $2
                        ELSE o.closed_at END,
       updated_at = now()
     FROM jsonb_to_recordset($1::jsonb) AS r(opportunity_id text, stage text, amount numeric, close_date date, is_closed boolean,
       is_won boolean, forecast_category text, loss_reason text, owner_id text, acted boolean, fingerprint text, status text)
     WHERE o.opportunity_id = r.opportunity_id`,
    [JSON.stringify(rows), at.toISOString()],
  );
}

/** An erased contact's deals go with it: the rows name the contact and hold its deal amounts and reasons. */
export async function eraseOpportunities(db: Queryable, hubspotContactId: string): Promise<number> {
  return (await db.query('DELETE FROM opportunities WHERE hubspot_contact_id = $1', [hubspotContactId])).rowCount;
}
