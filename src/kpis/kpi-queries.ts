import type { Queryable } from '../store/database.ts';
import type { KpiGrouping, KpiQuery } from './kpi-types.ts';

/**
 * The KPI SQL. Group keys and filters come from closed maps (never from the request), values are parameters:
 * $1 from, $2 to, $3 source, $4 segment id, $5 definition version.
 */
type Key = KpiGrouping | 'none';

/** The Lead owner of a contact: its latest confirmed assignment (a first-touch re-route moves the Lead on). */
const ownerOf = (contact: string) => `(SELECT la.owner_id FROM lead_assignments la
  WHERE la.hubspot_contact_id = ${contact} AND la.state = 'assigned'
  ORDER BY la.assigned_at DESC NULLS LAST, la.id DESC LIMIT 1)`;

/**
 * Scores in tens, labelled as the backtest and the review pack label them: "70–80" holds 70 up to, not including, 80
 * (a score may have decimals). A handoff without a score has no band.
 */
const scoreBand = (score: string) => `CASE WHEN ${score} IS NULL THEN NULL
  ELSE (floor(${score} / 10) * 10)::int::text || '–' || ((floor(${score} / 10) * 10)::int + 10)::text END`;

/** Where each cut lives: handoff rows keep source and segment in detail (see salesforce-writes.ts). */
const HISTORY_KEY: Record<Key, string> = {
  source: `h.detail->>'source'`,
  segment: `h.detail->'segment'->>'id'`,
  definitionVersion: 'h.definition_version',
  owner: ownerOf('h.hubspot_contact_id'),
  scoreBand: scoreBand('h.score'),
  none: 'NULL::text',
};
const TIMER_KEY: Record<Key, string> = {
  source: 't.source',
  segment: 't.segment',
  definitionVersion: 't.definition_version',
  owner: `coalesce(t.owner_id, ${ownerOf('t.hubspot_contact_id')})`,
  // The clock keeps no score: the band of the handoff it started with.
  scoreBand: scoreBand(`(SELECT hs.score FROM handoff_history hs WHERE hs.hubspot_contact_id = t.hubspot_contact_id
    AND hs.action = 'handed_off' AND hs.at <= t.handed_off_at ORDER BY hs.at DESC, hs.id DESC LIMIT 1)`),
  none: 'NULL::text',
};

const HISTORY_FILTER = `($3::text IS NULL OR ${HISTORY_KEY.source} = $3) AND ($4::text IS NULL OR ${HISTORY_KEY.segment} = $4)
  AND ($5::text IS NULL OR ${HISTORY_KEY.definitionVersion} = $5)`;
const TIMER_FILTER = `($3::text IS NULL OR t.source = $3) AND ($4::text IS NULL OR t.segment = $4)
  AND ($5::text IS NULL OR t.definition_version = $5)`;

/**
 * How far down the funnel one later history row shows the contact went: 1 SAL, 2 SQL, 3 opportunity.
 * Sales-side rows carry the funnel stage in `stage`; a conversion with an opportunity is an opportunity.
 * The history row is aliased `later`; the routing KPIs reuse it.
 */
export const STAGE_RANK = `CASE
  WHEN later.stage = 'opportunity' OR (later.action = 'converted' AND later.detail->>'convertedOpportunityId' IS NOT NULL) THEN 3
  WHEN later.stage = 'sql' OR later.action IN ('sql_qualified', 'converted') THEN 2
  WHEN later.stage = 'sal' THEN 1
  ELSE 0 END`;

/** The cohort: each contact's first handoff in the window, with the group it belongs to. */
export const cohort = (key: Key) => `cohort AS (
  SELECT DISTINCT ON (h.hubspot_contact_id) h.hubspot_contact_id AS contact, h.at, ${HISTORY_KEY[key]} AS key
  FROM handoff_history h
  WHERE h.action = 'handed_off' AND h.at >= $1::timestamptz AND h.at < $2::timestamptz AND ${HISTORY_FILTER}
  ORDER BY h.hubspot_contact_id, h.at, h.id)`;

export interface FunnelRow {
  key: string | null;
  mql: number;
  sal: number;
  sql: number;
  opportunity: number;
}
export interface ReasonRow {
  key: string | null;
  reason: string;
  count: number;
}
export interface SlaRow {
  key: string | null;
  kind: 'first_touch' | 'disposition';
  met: number;
  decided: number;
  breached: number;
}
export interface ResponseRow {
  key: string | null;
  touched: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
  routed: number;
  routingMedianSeconds: number | null;
  routingP90Seconds: number | null;
}

export function params(query: KpiQuery): unknown[] {
  const f = query.filters ?? {};
  return [query.from.toISOString(), query.to.toISOString(), f.source ?? null, f.segment ?? null, f.definitionVersion ?? null];
}

/** A contact reaches a stage when any history row from its handoff on reaches it or a later one. */
export async function funnelRows(db: Queryable, query: KpiQuery, key: Key): Promise<FunnelRow[]> {
  const result = await db.query<FunnelRow>(
    `WITH ${cohort(key)},
     reached AS (
       SELECT c.contact, c.key, coalesce(max(${STAGE_RANK}), 0) AS rank
       FROM cohort c LEFT JOIN handoff_history later ON later.hubspot_contact_id = c.contact AND later.at >= c.at
       GROUP BY c.contact, c.key)
     SELECT key, count(*)::int AS mql, count(*) FILTER (WHERE rank >= 1)::int AS sal,
       count(*) FILTER (WHERE rank >= 2)::int AS sql, count(*) FILTER (WHERE rank >= 3)::int AS opportunity
     FROM reached GROUP BY key ORDER BY key NULLS LAST`,
    params(query),
  );
  return result.rows;
}

/** Contacts of the cohort rejected (held or recycled) per reason code; a contact counts once per reason. */
export async function reasonRows(db: Queryable, query: KpiQuery, key: Key): Promise<ReasonRow[]> {
  const result = await db.query<ReasonRow>(
    `WITH ${cohort(key)}
     SELECT c.key, coalesce(later.detail->>'reasonCode', 'unspecified') AS reason, count(DISTINCT c.contact)::int AS count
     FROM cohort c JOIN handoff_history later ON later.hubspot_contact_id = c.contact AND later.at >= c.at
       AND later.action IN ('rejected', 'recycled')
     GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 3 DESC, 2`,
    params(query),
  );
  return result.rows;
}

/** Adherence per clock kind: stopped on time (never breached) out of clocks that stopped or breached. */
export async function slaRows(db: Queryable, query: KpiQuery, key: Key): Promise<SlaRow[]> {
  const result = await db.query<SlaRow>(
    `SELECT ${TIMER_KEY[key]} AS key, t.kind,
       count(*) FILTER (WHERE t.stopped_at IS NOT NULL AND t.breached_at IS NULL AND t.stopped_at <= t.due_at)::int AS met,
       count(*) FILTER (WHERE t.stopped_at IS NOT NULL OR t.breached_at IS NOT NULL)::int AS decided,
       count(*) FILTER (WHERE t.breached_at IS NOT NULL)::int AS breached
     FROM sla_timers t
     WHERE t.handed_off_at >= $1::timestamptz AND t.handed_off_at < $2::timestamptz AND ${TIMER_FILTER}
     GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2`,
    params(query),
  );
  return result.rows;
}

/**
 * Rep response (first-touch clock stopped − handed off) and routing delay (our sync time), both from the
 * first-touch clock, one per handoff. percentile_cont interpolates linearly and ignores NULLs.
 */
export async function responseRows(db: Queryable, query: KpiQuery, key: Key): Promise<ResponseRow[]> {
  const minutes = `(extract(epoch FROM t.stopped_at - t.handed_off_at) / 60)::double precision`;
  const result = await db.query<ResponseRow>(
    `SELECT ${TIMER_KEY[key]} AS key,
       count(t.stopped_at)::int AS touched,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY ${minutes}) AS "medianMinutes",
       percentile_cont(0.9) WITHIN GROUP (ORDER BY ${minutes}) AS "p90Minutes",
       count(t.routing_delay_ms)::int AS routed,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY (t.routing_delay_ms / 1000.0)::double precision) AS "routingMedianSeconds",
       percentile_cont(0.9) WITHIN GROUP (ORDER BY (t.routing_delay_ms / 1000.0)::double precision) AS "routingP90Seconds"
     FROM sla_timers t
     WHERE t.kind = 'first_touch' AND t.handed_off_at >= $1::timestamptz AND t.handed_off_at < $2::timestamptz AND ${TIMER_FILTER}
     GROUP BY 1 ORDER BY 1 NULLS LAST`,
    params(query),
  );
  return result.rows;
}

export type { Key as KpiKey };
