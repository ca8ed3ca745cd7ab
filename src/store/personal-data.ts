import { PRIVACY_DELETION } from '../core/privacy/contact-erasure.ts';
import {
  KEPT_BREAKDOWN_KEYS,
  KEPT_DETAIL_KEYS,
  KEPT_PARKED_CONTEXT_KEYS,
  KEPT_PAYLOAD_KEYS,
  RULE_TEXT_ACTIONS,
} from '../core/privacy/personal-data.ts';
import type { Queryable } from './database.ts';
import { appendHistory } from './history.ts';
import { eraseOpportunities } from './opportunities.ts';

/** SQL reducing a jsonb object column to the keys in parameter `$keys` (anything else, e.g. JSON null, to `empty`). */
const reduced = (column: string, keys: string, empty = `'{}'::jsonb`) => `CASE WHEN jsonb_typeof(${column}) = 'object' THEN
    (SELECT coalesce(jsonb_object_agg(key, value), '{}'::jsonb) FROM jsonb_each(${column}) WHERE key = ANY(${keys}::text[]))
    ELSE ${empty} END`;

/** The audit detail reduced to its non-personal keys, `segment` to its id (see core/privacy/personal-data.ts). */
const reducedDetail = (keys: string) => `(SELECT coalesce(jsonb_object_agg(key,
      CASE WHEN key = 'segment' THEN jsonb_build_object('id', value -> 'id') ELSE value END), '{}'::jsonb)
    FROM jsonb_each(CASE WHEN jsonb_typeof(detail) = 'object' THEN detail ELSE '{}'::jsonb END)
    WHERE key = ANY(${keys}::text[]) AND (key <> 'segment' OR (jsonb_typeof(value) = 'object' AND value ? 'id')))`;

/** An MQL evaluation's columns once its values go: no property values or domains, each breakdown line reduced to `$keys`. */
const reducedEvaluation = (keys: string) => `property_values = NULL, email_domains = NULL,
    breakdown = (SELECT coalesce(jsonb_agg(${reduced('line', keys)} ORDER BY n), '[]'::jsonb)
      FROM jsonb_array_elements(CASE WHEN jsonb_typeof(breakdown) = 'array' THEN breakdown ELSE '[]'::jsonb END)
        WITH ORDINALITY AS lines(line, n))`;

/**
 * Processed webhook events older than the cutoff lose their payload's personal fields and their property value;
 * the row (type, contact id, times, outcome, dedupe key) stays. Unprocessed events are never touched. At most
 * `limit` rows per call; rows another replica is purging are skipped. Returns how many were purged.
 */
export async function purgeInboxPayloads(db: Queryable, options: { processedBefore: Date; limit: number; now: Date }): Promise<number> {
  const result = await db.query(
    `WITH due AS (
       SELECT id FROM webhook_inbox WHERE processed_at < $1 AND purged_at IS NULL
       ORDER BY processed_at LIMIT $2 FOR UPDATE SKIP LOCKED)
     UPDATE webhook_inbox w SET payload = ${reduced('w.payload', '$3', `'null'::jsonb`)}, property_value = NULL, purged_at = $4
     FROM due WHERE w.id = due.id`,
    [options.processedBefore.toISOString(), options.limit, KEPT_PAYLOAD_KEYS, options.now.toISOString()],
  );
  return result.rowCount;
}

/** Audit entries older than the cutoff keep their ids, action, stage, version, score and time; see RULE_TEXT_ACTIONS. */
export async function purgeHistoryText(db: Queryable, options: { before: Date; limit: number; now: Date }): Promise<number> {
  const result = await db.query(
    `WITH due AS (
       SELECT id FROM handoff_history WHERE at < $1 AND purged_at IS NULL
       ORDER BY at LIMIT $2 FOR UPDATE SKIP LOCKED)
     UPDATE handoff_history h SET detail = ${reducedDetail('$3')},
       reason = CASE WHEN h.action = ANY($4::text[]) THEN h.reason ELSE NULL END, purged_at = $5
     FROM due WHERE h.id = due.id`,
    [options.before.toISOString(), options.limit, KEPT_DETAIL_KEYS, RULE_TEXT_ACTIONS, options.now.toISOString()],
  );
  return result.rowCount;
}

const PURGED_MESSAGE = 'message removed: it may have held personal data';

/** Parked work resolved before the cutoff keeps kind, key, provider, times and attempts; its text goes. Open work is never touched. */
export async function purgeResolvedParked(db: Queryable, options: { resolvedBefore: Date; limit: number; now: Date }): Promise<number> {
  const result = await db.query<{ count: number }>(
    `WITH due AS (
       SELECT id FROM parked_work WHERE resolved_at < $1 AND purged_at IS NULL
       ORDER BY resolved_at LIMIT $2 FOR UPDATE SKIP LOCKED),
     purged AS (
       UPDATE parked_work p SET context = ${reduced('p.context', '$3')}, message = $4, purged_at = $5
       FROM due WHERE p.id = due.id RETURNING p.id),
     replays AS (UPDATE parked_replays SET message = NULL WHERE parked_id IN (SELECT id FROM purged) AND message IS NOT NULL)
     SELECT count(*)::int AS count FROM purged`,
    [options.resolvedBefore.toISOString(), options.limit, KEPT_PARKED_CONTEXT_KEYS, PURGED_MESSAGE, options.now.toISOString()],
  );
  return result.rows[0]?.count ?? 0;
}

/**
 * MQL evaluations made before the cutoff lose the property values and e-mail domains they kept for replay, and their
 * breakdown's details; the verdict stays (see KEPT_BREAKDOWN_KEYS). A backtest counts them as not replayable.
 */
export async function purgeMqlEvaluations(db: Queryable, options: { evaluatedBefore: Date; limit: number; now: Date }): Promise<number> {
  const result = await db.query(
    `WITH due AS (
       SELECT id FROM mql_evaluations WHERE evaluated_at < $1 AND purged_at IS NULL
       ORDER BY evaluated_at LIMIT $2 FOR UPDATE SKIP LOCKED)
     UPDATE mql_evaluations e SET ${reducedEvaluation('$3')}, purged_at = $4
     FROM due WHERE e.id = due.id`,
    [options.evaluatedBefore.toISOString(), options.limit, KEPT_BREAKDOWN_KEYS, options.now.toISOString()],
  );
  return result.rowCount;
}

/**
 * Write intents are cleared when their batch commits; one left by a crash is kept only until the contact's next
 * handoff. Past the retention it can no longer explain an echo, and its values go.
 */
export async function purgeWriteIntents(db: Queryable, options: { recordedBefore: Date; limit: number }): Promise<number> {
  const result = await db.query(
    `DELETE FROM salesforce_write_intents WHERE id IN (
       SELECT id FROM salesforce_write_intents WHERE recorded_at < $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    [options.recordedBefore.toISOString(), options.limit],
  );
  return result.rowCount;
}

/**
 * Owner notifications parked longer than the retention lose their message and recipient (delivered ones lost them
 * on delivery; pending ones are still in use). Returns how many were purged.
 */
export async function purgeParkedNotifications(db: Queryable, options: { parkedBefore: Date; limit: number }): Promise<number> {
  const result = await db.query(
    `UPDATE owner_notifications SET content = NULL, recipient = NULL WHERE id IN (
       SELECT id FROM owner_notifications
       WHERE state = 'parked' AND created_at < $1 AND (content IS NOT NULL OR recipient IS NOT NULL)
       ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    [options.parkedBefore.toISOString(), options.limit],
  );
  return result.rowCount;
}

/** What an erasure removed or reduced, by table (counts only, for the log). */
export interface ErasureCounts {
  inboxEvents: number;
  leadMemories: number;
  lastWritten: number;
  writeIntents: number;
  historyEntries: number;
  parkedWork: number;
  slaClocksDropped: number;
  /** HubSpot write-backs still queued for the contact: HubSpot no longer has it, so there is nothing to send. */
  writeBacksDropped: number;
  links: number;
  /** Owner notifications whose message and recipient went (any still waiting is parked: there is nothing to send). */
  ownerNotifications: number;
  /** Routing reservations for a Lead the contact will now never get. */
  assignmentsReleased: number;
  /** The contact's followed deals (link, amounts, loss reasons); its won and lost audit entries keep their counts. */
  opportunities: number;
  /** MQL evaluations whose property values, e-mail domains and breakdown details went (the verdicts stay). */
  mqlEvaluations: number;
  /** Property values kept to decide later changes without a HubSpot read (contact_kept_values). */
  keptValues: number;
}

/**
 * Erases what we hold on a HubSpot contact (call inside one transaction): its inbox payloads and values (the
 * pending `eventIds` that asked for it are settled as erased; later ones wait for their own triage, a restore may be
 * among them), Lead memories, last-written values on both sides, write intents, the audit's text,
 * parked work's text (open work is resolved: there is nothing left to replay), running SLA clocks, the values its
 * MQL evaluations kept, its kept property values, and the link to its Salesforce record. Rows that only count (audit, clocks, inbox) stay without personal data.
 * Appends the `erased` audit entry, naming the Salesforce record that remains in the customer's CRM.
 */
export async function eraseContactData(
  tx: Queryable,
  input: { contactId: string; eventType: string; eventIds: string[]; now: Date },
): Promise<ErasureCounts> {
  const id = input.contactId;
  const at = input.now.toISOString();
  // The contact's Salesforce records: linked now, remembered by the poll, or named in its audit.
  const records = await tx.query<{ salesforceId: string }>(
    `SELECT salesforce_id AS "salesforceId" FROM record_links WHERE hubspot_contact_id = $1
     UNION SELECT lead_id FROM lead_memory WHERE hubspot_contact_id = $1
     UNION SELECT salesforce_id FROM handoff_history WHERE hubspot_contact_id = $1 AND salesforce_id IS NOT NULL`,
    [id],
  );
  const salesforceIds = records.rows.map((row) => row.salesforceId);
  const link = await tx.query<{ salesforceId: string }>(
    'SELECT salesforce_id AS "salesforceId" FROM record_links WHERE hubspot_contact_id = $1',
    [id],
  );
  const count = async (sql: string, params: unknown[]) => (await tx.query(sql, params)).rowCount;
  const counts: ErasureCounts = {
    inboxEvents: await count(
      `UPDATE webhook_inbox SET payload = ${reduced('payload', '$2', `'null'::jsonb`)}, property_value = NULL, purged_at = $3,
         outcome = CASE WHEN processed_at IS NULL THEN $4 ELSE outcome END, processed_at = coalesce(processed_at, $3)
       WHERE object_id = $1 AND object_type = 'contact' AND (processed_at IS NOT NULL OR id = ANY($5::bigint[]))`,
      [id, KEPT_PAYLOAD_KEYS, at, `erased: ${input.eventType}`, input.eventIds],
    ),
    leadMemories: await count('DELETE FROM lead_memory WHERE hubspot_contact_id = $1 OR lead_id = ANY($2::text[])', [id, salesforceIds]),
    lastWritten: await count(
      `DELETE FROM last_written WHERE (side = 'hubspot' AND record_id = $1) OR (side = 'salesforce' AND record_id = ANY($2::text[]))`,
      [id, salesforceIds],
    ),
    writeIntents: await count('DELETE FROM salesforce_write_intents WHERE hubspot_contact_id = $1', [id]),
    historyEntries: await count(
      `UPDATE handoff_history SET detail = ${reducedDetail('$2')}, reason = NULL, purged_at = $3 WHERE hubspot_contact_id = $1`,
      [id, KEPT_DETAIL_KEYS, at],
    ),
    parkedWork:
      (
        await tx.query<{ count: number }>(
          `WITH erased AS (
         UPDATE parked_work SET context = ${reduced('context', '$3')}, message = $4, purged_at = $5, resolved_at = coalesce(resolved_at, $5)
         WHERE record_key = $1 OR record_key = ANY($2::text[]) RETURNING id),
       replays AS (UPDATE parked_replays SET message = NULL WHERE parked_id IN (SELECT id FROM erased) AND message IS NOT NULL)
       SELECT count(*)::int AS count FROM erased`,
          [id, salesforceIds, KEPT_PARKED_CONTEXT_KEYS, PURGED_MESSAGE, at],
        )
      ).rows[0]?.count ?? 0,
    // A running clock's outcome can no longer be known (the poll leaves the Lead alone): it is dropped, as stopping it
    // would count a first touch and breaching it a miss. Decided clocks hold no personal data and stay for the KPIs.
    slaClocksDropped: await count('DELETE FROM sla_timers WHERE hubspot_contact_id = $1 AND stopped_at IS NULL AND breached_at IS NULL', [
      id,
    ]),
    writeBacksDropped: await count('DELETE FROM hubspot_writebacks WHERE contact_id = $1', [id]),
    links: await count('DELETE FROM record_links WHERE hubspot_contact_id = $1', [id]),
    ownerNotifications: await count(
      `UPDATE owner_notifications SET content = NULL, recipient = NULL,
         last_error = CASE WHEN state IN ('pending', 'sending') THEN $2 ELSE last_error END,
         state = CASE WHEN state IN ('pending', 'sending') THEN 'parked' ELSE state END
       WHERE assignment_id IN (SELECT id FROM lead_assignments WHERE hubspot_contact_id = $1)
         AND (content IS NOT NULL OR recipient IS NOT NULL)`,
      [id, `the contact was erased (${input.eventType}) before delivery`],
    ),
    assignmentsReleased: await count(
      `UPDATE lead_assignments SET state = 'released' WHERE hubspot_contact_id = $1 AND state = 'reserved'`,
      [id],
    ),
    opportunities: await eraseOpportunities(tx, id),
    mqlEvaluations: await count(
      `UPDATE mql_evaluations SET ${reducedEvaluation('$2')}, purged_at = $3 WHERE hubspot_contact_id = $1 AND purged_at IS NULL`,
      [id, KEPT_BREAKDOWN_KEYS, at],
    ),
    keptValues: await count('DELETE FROM contact_kept_values WHERE hubspot_contact_id = $1', [id]),
  };
  await appendHistory(tx, [
    {
      hubspotContactId: id,
      salesforceId: link.rows[0]?.salesforceId ?? null,
      action: 'erased',
      reason: `HubSpot sent ${input.eventType}: personal data erased; the Salesforce record stays in Salesforce`,
      detail: { event: input.eventType },
    },
  ]);
  return counts;
}

/**
 * How each of these contacts was erased, read in one statement: `privacy` once a privacy deletion erased it (HubSpot
 * never brings its id back), `deletion` while its latest audit entry is a plain deletion's erasure (until a restore
 * is handed off afresh). Contacts never erased, or restored since, are absent.
 */
export async function erasureStates(db: Queryable, contactIds: string[]): Promise<Map<string, 'privacy' | 'deletion'>> {
  if (contactIds.length === 0) return new Map();
  const result = await db.query<{ id: string; privacy: boolean; latest_erased: boolean }>(
    `WITH erased AS (
       SELECT hubspot_contact_id AS id, bool_or(detail ->> 'event' = $2) AS privacy FROM handoff_history
       WHERE action = 'erased' AND hubspot_contact_id = ANY($1::text[]) GROUP BY hubspot_contact_id)
     SELECT id, privacy,
       (SELECT action FROM handoff_history h WHERE h.hubspot_contact_id = e.id ORDER BY at DESC, h.id DESC LIMIT 1) = 'erased' AS latest_erased
     FROM erased e`,
    [contactIds, PRIVACY_DELETION],
  );
  const states = new Map<string, 'privacy' | 'deletion'>();
  for (const row of result.rows) {
    if (row.privacy) states.set(row.id, 'privacy');
    else if (row.latest_erased) states.set(row.id, 'deletion');
  }
  return states;
}

/**
 * Of these contacts, those whose latest audit entry is an erasure: deleted in HubSpot (for good after a privacy
 * deletion, until a restore is handed off afresh after a plain one). Their Leads stay in Salesforce, left alone.
 */
export async function erasedContacts(db: Queryable, contactIds: string[]): Promise<Set<string>> {
  // A privacy-erased contact's latest entry stays an erasure: nothing but further erasures is recorded for it.
  return new Set((await erasureStates(db, contactIds)).keys());
}
