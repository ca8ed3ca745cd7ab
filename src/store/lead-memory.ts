import type { FunnelStage } from '../core/contact.ts';
import { PRIVACY_DELETION } from '../core/privacy/contact-erasure.ts';
import type { FlagKind, LeadMemory } from '../core/sales/lead-change-types.ts';
import type { Queryable } from './database.ts';

export interface StoredLeadMemory extends LeadMemory {
  leadId: string;
  hubspotContactId: string;
  flagTaskId: string | null;
  flaggedAt: Date | null;
}

const COLUMNS = `lead_id AS "leadId", hubspot_contact_id AS "hubspotContactId", stage, status, fingerprint,
  flagged, flag_task_id AS "flagTaskId", flagged_at AS "flaggedAt"`;

export async function leadMemories(db: Queryable, leadIds: string[]): Promise<Map<string, StoredLeadMemory>> {
  if (leadIds.length === 0) return new Map();
  const result = await db.query<StoredLeadMemory>(`SELECT ${COLUMNS} FROM lead_memory WHERE lead_id = ANY($1::text[])`, [leadIds]);
  return new Map(result.rows.map((row) => [row.leadId, row]));
}

export interface LeadMemoryInput {
  leadId: string;
  hubspotContactId: string;
  stage: FunnelStage | null;
  status: string | null;
  fingerprint: string;
  /** The open flag and its Task, or null when the Lead is in good standing. */
  flag: { kind: FlagKind; taskId: string | null } | null;
}

/** A Lead remembered again keeps the time its flag was raised while the same flag stays open. */
const ON_CONFLICT_REMEMBER = `ON CONFLICT (lead_id) DO UPDATE SET
       hubspot_contact_id = EXCLUDED.hubspot_contact_id, stage = EXCLUDED.stage, status = EXCLUDED.status,
       fingerprint = EXCLUDED.fingerprint, flagged = EXCLUDED.flagged, flag_task_id = EXCLUDED.flag_task_id,
       flagged_at = CASE WHEN EXCLUDED.flagged IS NULL THEN NULL
                         WHEN lead_memory.flagged IS NOT DISTINCT FROM EXCLUDED.flagged THEN lead_memory.flagged_at
                         ELSE now() END,
       updated_at = now()`;

/**
 * Remembers what was acted on for a Lead. Nothing is remembered for a contact a HubSpot privacy deletion erased
 * (its `erased` audit entry): the Lead outlives the contact in Salesforce, and its values must not come back here.
 */
export async function rememberLead(db: Queryable, input: LeadMemoryInput): Promise<void> {
  await db.query(
    `INSERT INTO lead_memory (lead_id, hubspot_contact_id, stage, status, fingerprint, flagged, flag_task_id, flagged_at)
     SELECT $1, $2, $3, $4, $5, $6, $7, CASE WHEN $6::text IS NULL THEN NULL ELSE now() END
     WHERE NOT EXISTS (SELECT 1 FROM handoff_history WHERE action = 'erased' AND hubspot_contact_id = $2 AND detail ->> 'event' = $8)
     ${ON_CONFLICT_REMEMBER}`,
    [
      input.leadId,
      input.hubspotContactId,
      input.stage,
      input.status,
      input.fingerprint,
      input.flag?.kind ?? null,
      input.flag?.taskId ?? null,
      PRIVACY_DELETION,
    ],
  );
}

/**
 * rememberLead for a whole page of Leads in one statement. One statement cannot update a row twice, so inputs
 * that name a Lead twice are remembered one at a time, in order: the outcome is always rememberLead's.
 */
export async function rememberLeads(db: Queryable, inputs: LeadMemoryInput[]): Promise<void> {
  if (inputs.length === 0) return;
  if (new Set(inputs.map((input) => input.leadId)).size < inputs.length) {
    for (const input of inputs) await rememberLead(db, input);
    return;
  }
  const rows = inputs.map((input) => ({
    lead_id: input.leadId,
    hubspot_contact_id: input.hubspotContactId,
    stage: input.stage,
    status: input.status,
    fingerprint: input.fingerprint,
    flagged: input.flag?.kind ?? null,
    flag_task_id: input.flag?.taskId ?? null,
  }));
  await db.query(
    `INSERT INTO lead_memory (lead_id, hubspot_contact_id, stage, status, fingerprint, flagged, flag_task_id, flagged_at)
     SELECT m.lead_id, m.hubspot_contact_id, m.stage, m.status, m.fingerprint, m.flagged, m.flag_task_id,
       CASE WHEN m.flagged IS NULL THEN NULL ELSE now() END
     FROM jsonb_to_recordset($1::jsonb) AS m(lead_id text, hubspot_contact_id text, stage text, status text, fingerprint text,
       flagged text, flag_task_id text)
     WHERE NOT EXISTS (SELECT 1 FROM handoff_history h
                       WHERE h.action = 'erased' AND h.hubspot_contact_id = m.hubspot_contact_id AND h.detail ->> 'event' = $2)
     ${ON_CONFLICT_REMEMBER}`,
    [JSON.stringify(rows), PRIVACY_DELETION],
  );
}

/** Leads waiting for their rep (a reasonless rejection, an SQL without BANT), oldest first. */
export async function flaggedLeads(db: Queryable, limit = 500): Promise<StoredLeadMemory[]> {
  const result = await db.query<StoredLeadMemory>(
    `SELECT ${COLUMNS} FROM lead_memory WHERE flagged IS NOT NULL ORDER BY flagged_at, lead_id LIMIT $1`,
    [limit],
  );
  return result.rows;
}
