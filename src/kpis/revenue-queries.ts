import type { Queryable } from '../store/database.ts';
import { cohort, type KpiKey, params } from './kpi-queries.ts';
import type { KpiQuery } from './kpi-types.ts';

export interface RevenueRow {
  key: string | null;
  won: number;
  lost: number;
  wonAmount: number;
  medianDaysMqlToWon: number | null;
}

export interface PipelineRow {
  key: string | null;
  openDeals: number;
  openAmount: number;
}

/** An Amount as the poll recorded it (detail.amount); anything not a plain decimal counts as none. */
const AMOUNT = `CASE WHEN o.detail->>'amount' ~ '^-?[0-9]+(\\.[0-9]+)?$' THEN (o.detail->>'amount')::numeric END`;

/**
 * Where the cohort's deals ended: each contact's latest `opportunity_won` / `opportunity_lost` history row after its
 * handoff (a reopened and re-closed deal counts as it ended last), summed per group: won and lost contacts, the won
 * Amount, and the median days from handoff to the win being seen.
 */
export async function revenueRows(db: Queryable, query: KpiQuery, key: KpiKey): Promise<RevenueRow[]> {
  const result = await db.query<RevenueRow>(
    `WITH ${cohort(key)},
     outcome AS (
       SELECT DISTINCT ON (c.contact) c.contact, c.key, c.at AS handed_off_at, later.action, later.at, later.detail
       FROM cohort c JOIN handoff_history later ON later.hubspot_contact_id = c.contact AND later.at >= c.at
         AND later.action IN ('opportunity_won', 'opportunity_lost')
       ORDER BY c.contact, later.at DESC, later.id DESC)
     SELECT o.key,
       count(*) FILTER (WHERE o.action = 'opportunity_won')::int AS won,
       count(*) FILTER (WHERE o.action = 'opportunity_lost')::int AS lost,
       coalesce(sum(${AMOUNT}) FILTER (WHERE o.action = 'opportunity_won'), 0)::float8 AS "wonAmount",
       percentile_cont(0.5) WITHIN GROUP (ORDER BY (extract(epoch FROM o.at - o.handed_off_at) / 86400)::double precision)
         FILTER (WHERE o.action = 'opportunity_won') AS "medianDaysMqlToWon"
     FROM outcome o GROUP BY o.key ORDER BY o.key NULLS LAST`,
    params(query),
  );
  return result.rows;
}

/**
 * The cohort's open pipeline: its contacts' Opportunities the poll last read as not closed (`opportunities`, kept by
 * the Salesforce poll), counted and summed by Amount per group. A deal not read yet has no stage and is left out.
 */
export async function pipelineRows(db: Queryable, query: KpiQuery, key: KpiKey): Promise<PipelineRow[]> {
  const result = await db.query<PipelineRow>(
    `WITH ${cohort(key)}
     SELECT c.key, count(*)::int AS "openDeals", coalesce(sum(o.amount), 0)::float8 AS "openAmount"
     FROM cohort c JOIN opportunities o ON o.hubspot_contact_id = c.contact
     WHERE o.stage IS NOT NULL AND o.is_closed IS NOT TRUE
     GROUP BY c.key ORDER BY c.key NULLS LAST`,
    params(query),
  );
  return result.rows;
}
