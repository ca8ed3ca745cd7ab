import type { CalibrationExample, SegmentThreshold } from '../core/calibration/examples.ts';
import { ACCEPTED_ACTIONS, ACCEPTED_STAGES, REJECTION_ACTIONS } from './contact-outcomes.ts';
import type { Queryable } from './database-types.ts';

export interface ExamplePeriod {
  from: Date;
  to: Date;
}

/** The (definition version, segment) pairs evaluated in the period: whose thresholds the low-scorer list needs. */
export async function evaluatedSegments(db: Queryable, period: ExamplePeriod): Promise<{ definitionVersion: string; segmentId: string }[]> {
  const result = await db.query<{ definitionVersion: string; segmentId: string }>(
    `SELECT DISTINCT definition_version AS "definitionVersion", segment_id AS "segmentId"
     FROM mql_evaluations WHERE evaluated_at >= $1 AND evaluated_at < $2`,
    [period.from.toISOString(), period.to.toISOString()],
  );
  return result.rows;
}

/**
 * Each contact's latest evaluation in [$1, $2), its threshold from the pairs in $3..$5 (null when unknown), and what
 * became of it from then on, read from the audit as contactOutcomes reads it ($6 accepted actions, $7 accepted
 * stages, $8 rejection actions), with the time of each step. The breakdown keeps rule ids, labels, categories and
 * points only: a line's detail shows the values read, which the review does not need.
 */
const EXAMPLE_ROWS = `
  WITH latest AS (
    SELECT DISTINCT ON (hubspot_contact_id) hubspot_contact_id, evaluated_at, definition_version, segment_id, score,
      qualified, fast_track, breakdown
    FROM mql_evaluations WHERE evaluated_at >= $1 AND evaluated_at < $2
    ORDER BY hubspot_contact_id, evaluated_at DESC, id DESC
  ), judged AS (
    SELECT e.*, t.total AS threshold, o.*,
      CASE WHEN o.won THEN 'won' WHEN o.lost THEN 'lost' WHEN o.became_sql THEN 'sql'
        WHEN o.reason_code IS NOT NULL THEN 'rejected' ELSE 'open' END AS status
    FROM latest e
    LEFT JOIN unnest($3::text[], $4::text[], $5::double precision[]) AS t(version, segment, total)
      ON t.version = e.definition_version AND t.segment = e.segment_id
    CROSS JOIN LATERAL (
      SELECT coalesce(bool_or(h.accepted), false) AS became_sql,
        coalesce(bool_or(h.action = 'opportunity_won'), false) AS won,
        coalesce(bool_or(h.action = 'opportunity_lost'), false) AS lost,
        min(h.at) FILTER (WHERE h.accepted) AS sql_at,
        min(h.at) FILTER (WHERE h.action = 'opportunity_won') AS won_at,
        min(h.at) FILTER (WHERE h.action = 'opportunity_lost') AS lost_at,
        max(h.at) FILTER (WHERE h.rejection) AS rejected_at,
        (array_agg(coalesce(h.detail->>'reasonCode', 'unspecified') ORDER BY h.at DESC, h.id DESC)
          FILTER (WHERE h.rejection))[1] AS reason_code,
        (array_agg(h.detail->>'reasonLabel' ORDER BY h.at DESC, h.id DESC) FILTER (WHERE h.rejection))[1] AS reason_label
      FROM (
        SELECT id, action, at, detail, action = ANY($6::text[]) OR coalesce(stage = ANY($7::text[]), false) AS accepted,
          action = ANY($8::text[]) AS rejection
        FROM handoff_history
        WHERE hubspot_contact_id = e.hubspot_contact_id AND at >= e.evaluated_at
          AND (action = ANY($6::text[]) OR stage = ANY($7::text[]) OR action = ANY($8::text[]))
      ) h
    ) o
  )
  SELECT hubspot_contact_id AS "contactId", evaluated_at AS "evaluatedAt", definition_version AS "definitionVersion",
    segment_id AS "segmentId", score, threshold, qualified, fast_track AS "fastTrack",
    (SELECT coalesce(jsonb_agg(jsonb_build_object('ruleId', line->'ruleId', 'label', line->'label',
        'category', line->'category', 'points', line->'points') ORDER BY n), '[]'::jsonb)
      FROM jsonb_array_elements(CASE WHEN jsonb_typeof(breakdown) = 'array' THEN breakdown ELSE '[]'::jsonb END)
        WITH ORDINALITY AS lines(line, n)) AS breakdown,
    status, CASE status WHEN 'won' THEN won_at WHEN 'lost' THEN lost_at WHEN 'sql' THEN sql_at ELSE rejected_at END AS "outcomeAt",
    CASE WHEN status = 'rejected' THEN reason_code END AS "reasonCode",
    CASE WHEN status = 'rejected' THEN reason_label END AS "reasonLabel"
  FROM judged`;

interface ExampleRow extends Omit<CalibrationExample, 'evaluatedAt' | 'outcome'> {
  evaluatedAt: Date;
  status: CalibrationExample['outcome']['status'];
  outcomeAt: Date;
  reasonCode: string | null;
  reasonLabel: string | null;
}

async function exampleRows(
  db: Queryable,
  period: ExamplePeriod,
  thresholds: SegmentThreshold[],
  where: string,
  order: string,
  limit: number,
): Promise<CalibrationExample[]> {
  const result = await db.query<ExampleRow>(`${EXAMPLE_ROWS} WHERE ${where} ORDER BY ${order}, hubspot_contact_id LIMIT $9`, [
    period.from.toISOString(),
    period.to.toISOString(),
    thresholds.map((t) => t.definitionVersion),
    thresholds.map((t) => t.segmentId),
    thresholds.map((t) => t.total),
    ACCEPTED_ACTIONS,
    ACCEPTED_STAGES,
    REJECTION_ACTIONS,
    limit,
  ]);
  return result.rows.map(({ status, outcomeAt, reasonCode, reasonLabel, evaluatedAt, ...rest }) => ({
    ...rest,
    evaluatedAt: evaluatedAt.toISOString(),
    outcome: { status, at: outcomeAt.toISOString(), reasonCode, reasonLabel },
  }));
}

/** MQLs (latest evaluation in the period) that sales rejected and did not accept since: highest score first. */
export function rejectedHighScorers(db: Queryable, period: ExamplePeriod, thresholds: SegmentThreshold[], limit: number) {
  return exampleRows(db, period, thresholds, `qualified AND status = 'rejected'`, 'score DESC', limit);
}

/**
 * Contacts that became SQL (won and lost included) though they were no MQL, or were one under their segment's
 * threshold (a fast track; with the threshold unknown, not counted as low): lowest score first.
 */
export function acceptedLowScorers(db: Queryable, period: ExamplePeriod, thresholds: SegmentThreshold[], limit: number) {
  return exampleRows(
    db,
    period,
    thresholds,
    `status IN ('sql', 'won', 'lost') AND (NOT qualified OR score < threshold)`,
    'score ASC',
    limit,
  );
}
