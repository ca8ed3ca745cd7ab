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

export interface EvaluationPage {
  evaluations: StoredEvaluation[];
  /** Where the next page starts (the last contact id of this one); undefined after the last page. */
  next: string | undefined;
}

/**
 * Each contact's latest evaluation made in [from, to), in contact id order, `limit` contacts from after `after`.
 * Purged or erased rows come with null values (they count as evaluated but cannot be replayed).
 */
export async function latestEvaluationsPage(
  db: Queryable,
  options: { from: Date; to: Date; after?: string | undefined; limit: number },
): Promise<EvaluationPage> {
  const result = await db.query<StoredEvaluation>(
    `SELECT DISTINCT ON (hubspot_contact_id) hubspot_contact_id AS "contactId", evaluated_at AS "evaluatedAt",
       definition_version AS "definitionVersion", segment_id AS "segmentId", score, qualified, source,
       property_values AS "values", email_domains AS "emailDomains"
     FROM mql_evaluations
     WHERE evaluated_at >= $1 AND evaluated_at < $2 AND ($3::text IS NULL OR hubspot_contact_id > $3)
     ORDER BY hubspot_contact_id, evaluated_at DESC, id DESC
     LIMIT $4`,
    [options.from.toISOString(), options.to.toISOString(), options.after ?? null, options.limit],
  );
  const evaluations = result.rows;
  return { evaluations, next: evaluations.length === options.limit ? evaluations.at(-1)?.contactId : undefined };
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
