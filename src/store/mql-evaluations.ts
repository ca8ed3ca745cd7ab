import type { MqlEvaluationRecord } from '../core/calibration/evaluation-record.ts';
import type { StoredEvaluation } from '../core/calibration/replay.ts';
import type { Queryable } from './database-types.ts';

/** Records a batch's MQL evaluations in one statement (inside the batch's transaction). Returns how many. */
export async function recordMqlEvaluations(db: Pick<Queryable, 'query'>, records: MqlEvaluationRecord[]): Promise<number> {
  if (records.length === 0) return 0;
  const rows = records.map((r) => ({
    hubspot_contact_id: r.contactId,
    evaluated_at: r.evaluatedAt.toISOString(),
    definition_version: r.definitionVersion,
    segment_id: r.segmentId,
    score: r.score,
    qualified: r.qualified,
    fast_track: r.fastTrack,
    source: r.source,
    breakdown: r.breakdown,
    property_values: r.values,
    email_domains: r.emailDomains,
  }));
  const result = await db.query(
    `INSERT INTO mql_evaluations (hubspot_contact_id, evaluated_at, definition_version, segment_id, score, qualified,
       fast_track, source, breakdown, property_values, email_domains)
     SELECT hubspot_contact_id, evaluated_at, definition_version, segment_id, score, qualified, fast_track, source,
       breakdown, property_values, email_domains
     FROM jsonb_to_recordset($1::jsonb) AS e(hubspot_contact_id text, evaluated_at timestamptz, definition_version text,
       segment_id text, score double precision, qualified boolean, fast_track text, source text, breakdown jsonb,
       property_values jsonb, email_domains jsonb)`,
    [JSON.stringify(rows)],
  );
  return result.rowCount;
}

/**
 * The row id of each contact's latest evaluation made in [from, to), in contact id order, at most `limit`. One narrow
 * statement for the whole period (ids only), so what follows reads rows by primary key, whatever the planner knows
 * of the table.
 */
export async function latestEvaluationIds(db: Queryable, period: { from: Date; to: Date }, limit: number): Promise<string[]> {
  const result = await db.query<{ id: string }>(
    `SELECT DISTINCT ON (hubspot_contact_id) id::text AS id
     FROM mql_evaluations WHERE evaluated_at >= $1 AND evaluated_at < $2
     ORDER BY hubspot_contact_id, evaluated_at DESC, id DESC
     LIMIT $3`,
    [period.from.toISOString(), period.to.toISOString(), limit],
  );
  return result.rows.map((row) => row.id);
}

/** These evaluations (ids from latestEvaluationIds); purged or erased ones come with null values. */
export async function evaluationsByIds(db: Queryable, ids: string[]): Promise<StoredEvaluation[]> {
  if (ids.length === 0) return [];
  const result = await db.query<StoredEvaluation>(
    `SELECT hubspot_contact_id AS "contactId", evaluated_at AS "evaluatedAt", definition_version AS "definitionVersion",
       segment_id AS "segmentId", score, qualified, property_values AS "values", email_domains AS "emailDomains"
     FROM mql_evaluations WHERE id = ANY($1::bigint[])`,
    [ids],
  );
  return result.rows;
}

/** An evaluation as kept: values and domains are null once purged or erased. */
export type KeptEvaluation = Omit<MqlEvaluationRecord, 'values' | 'emailDomains'> & {
  values: MqlEvaluationRecord['values'] | null;
  emailDomains: MqlEvaluationRecord['emailDomains'] | null;
  purged: boolean;
};

/** A contact's evaluations, oldest first. */
export async function evaluationsForContact(db: Queryable, contactId: string): Promise<KeptEvaluation[]> {
  const result = await db.query<KeptEvaluation>(
    `SELECT hubspot_contact_id AS "contactId", evaluated_at AS "evaluatedAt", definition_version AS "definitionVersion",
       segment_id AS "segmentId", score, qualified, fast_track AS "fastTrack", source, breakdown,
       property_values AS "values", email_domains AS "emailDomains", purged_at IS NOT NULL AS purged
     FROM mql_evaluations WHERE hubspot_contact_id = $1 ORDER BY evaluated_at, id`,
    [contactId],
  );
  return result.rows;
}
