import type { Queryable } from './database.ts';

/** What happened to a contact. Kept open-ended in SQL; this list is what the service writes. */
export type HistoryAction =
  | 'handed_off'
  | 'not_qualified'
  | 'linked_existing'
  | 'lead_updated'
  | 'status_synced'
  | 'recycled'
  | 'failed'
  | 'parked'
  | 'rejected'
  | 'sql_qualified'
  | 'converted'
  | 'fields_synced'
  | 'flagged'
  | 'sla_warning'
  | 'sla_breached'
  | 'sla_stopped'
  | 'replayed'
  /** A backfill's resync brought HubSpot in line with the Lead. */
  | 'resynced'
  /** A Salesforce write was dropped because its Lead had been converted (a converted Lead is read-only). */
  | 'write_not_due'
  /** HubSpot deleted the contact: what we held on it was erased (detail.event names the webhook). */
  | 'erased'
  /** A new Lead's owner was chosen (routing.yaml): rule, strategy, pool, skipped members (detail). */
  | 'routed'
  /** The first-touch SLA was missed and the routing rule gave the Lead a new owner. */
  | 'rerouted'
  /** The first-touch SLA was missed but the Lead kept its owner (no other member could take it; the reason says why). */
  | 'reroute_kept'
  /**
   * A converted Lead's Opportunity moved into a won (or lost) stage: once per closing, never for later edits of the
   * closed deal. detail: opportunityId, amount, closeDate, stage, lossReason (the calibration reads outcomes by these).
   */
  | 'opportunity_won'
  | 'opportunity_lost';

export interface HistoryEntryInput {
  hubspotContactId: string;
  salesforceId?: string | null;
  action: HistoryAction;
  stage?: string | null;
  /** The rule or reason that produced the action, shown to people. */
  reason?: string | null;
  definitionVersion?: string | null;
  score?: number | null;
  detail?: Record<string, unknown>;
  /** Defaults to the database clock. */
  at?: Date;
}

export interface HistoryEntry {
  id: string;
  hubspotContactId: string;
  salesforceId: string | null;
  action: HistoryAction;
  stage: string | null;
  reason: string | null;
  definitionVersion: string | null;
  score: number | null;
  detail: Record<string, unknown>;
  at: Date;
}

/** Appends audit entries in one statement. Returns how many were written. */
export async function appendHistory(db: Queryable, entries: HistoryEntryInput[]): Promise<number> {
  if (entries.length === 0) return 0;
  const rows = entries.map((entry) => ({
    hubspot_contact_id: entry.hubspotContactId,
    salesforce_id: entry.salesforceId ?? null,
    action: entry.action,
    stage: entry.stage ?? null,
    reason: entry.reason ?? null,
    definition_version: entry.definitionVersion ?? null,
    score: entry.score ?? null,
    detail: entry.detail ?? {},
    at: entry.at?.toISOString() ?? null,
  }));
  const result = await db.query(
    `INSERT INTO handoff_history (hubspot_contact_id, salesforce_id, action, stage, reason, definition_version,
       score, detail, at)
     SELECT hubspot_contact_id, salesforce_id, action, stage, reason, definition_version, score, detail,
       coalesce(at, now())
     FROM jsonb_to_recordset($1::jsonb) AS e(hubspot_contact_id text, salesforce_id text, action text,
       stage text, reason text, definition_version text, score double precision, detail jsonb, at timestamptz)`,
    [JSON.stringify(rows)],
  );
  return result.rowCount;
}

/** A contact's audit trail, oldest first. */
export async function historyForContact(db: Queryable, hubspotContactId: string): Promise<HistoryEntry[]> {
  const result = await db.query<HistoryEntry>(
    `SELECT id::text AS id, hubspot_contact_id AS "hubspotContactId", salesforce_id AS "salesforceId", action,
       stage, reason, definition_version AS "definitionVersion", score, detail, at
     FROM handoff_history WHERE hubspot_contact_id = $1 ORDER BY at, id`,
    [hubspotContactId],
  );
  return result.rows;
}

/** The newest entry per contact, to tell whether a new evaluation says anything new. */
export async function latestHistory(db: Queryable, hubspotContactIds: string[]): Promise<Map<string, HistoryEntry>> {
  if (hubspotContactIds.length === 0) return new Map();
  const result = await db.query<HistoryEntry>(
    `SELECT DISTINCT ON (hubspot_contact_id) id::text AS id, hubspot_contact_id AS "hubspotContactId",
       salesforce_id AS "salesforceId", action, stage, reason, definition_version AS "definitionVersion", score, detail, at
     FROM handoff_history WHERE hubspot_contact_id = ANY($1::text[])
     ORDER BY hubspot_contact_id, at DESC, id DESC`,
    [hubspotContactIds],
  );
  return new Map(result.rows.map((row) => [row.hubspotContactId, row]));
}
