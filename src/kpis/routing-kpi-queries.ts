import type { Queryable } from '../store/database.ts';
import { STAGE_RANK } from './kpi-queries.ts';
import type { RoutingKpiCut, RoutingKpiQuery } from './routing-kpi-types.ts';

/**
 * The routing KPI SQL. The cut picks a column from closed maps (never from the request); $1 from, $2 to.
 * Only committed assignments count (state assigned): a reserved one may still be released.
 */
const ASSIGNMENT_KEY: Record<RoutingKpiCut, string> = { owner: 'a.owner_id', pool: 'a.pool_id' };
/** A re-route's "away from": the previous owner as recorded, or the pool of the assignment it replaced. */
const AWAY_KEY: Record<RoutingKpiCut, string> = { owner: 'a.previous_owner_id', pool: 'prev.pool_id' };
const CLOCK_KEY: Record<RoutingKpiCut, string> = { owner: 'coalesce(t.owner_id, a.owner_id)', pool: 'a.pool_id' };

const IN_WINDOW = (column: string) => `${column} >= $1::timestamptz AND ${column} < $2::timestamptz`;

export interface AssignedRow {
  key: string | null;
  total: number;
  initial: number;
  rerouted: number;
  sql: number;
}
export interface AwayRow {
  key: string | null;
  count: number;
}
export interface ClockRow {
  key: string | null;
  met: number;
  decided: number;
  breached: number;
  touched: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
}

const params = (query: RoutingKpiQuery) => [query.from.toISOString(), query.to.toISOString()];

/**
 * Assignments per key, and how many reached SQL while they stood: from the assignment until the contact's next
 * committed assignment (a re-route hands the credit for later progress to the new owner). The SQL stage is the
 * funnel's (kpi-queries.ts STAGE_RANK ≥ 2 on the contact's history).
 */
export async function assignedRows(db: Queryable, query: RoutingKpiQuery): Promise<AssignedRow[]> {
  const result = await db.query<AssignedRow>(
    `SELECT ${ASSIGNMENT_KEY[query.by]} AS key, count(*)::int AS total,
       count(*) FILTER (WHERE a.kind = 'initial')::int AS initial,
       count(*) FILTER (WHERE a.kind = 'reroute')::int AS rerouted,
       count(*) FILTER (WHERE EXISTS (
         SELECT 1 FROM handoff_history later
         WHERE later.hubspot_contact_id = a.hubspot_contact_id AND later.at >= a.assigned_at
           AND (nxt.assigned_at IS NULL OR later.at < nxt.assigned_at) AND (${STAGE_RANK}) >= 2))::int AS sql
     FROM lead_assignments a
     LEFT JOIN LATERAL (
       SELECT n.assigned_at FROM lead_assignments n
       WHERE n.hubspot_contact_id = a.hubspot_contact_id AND n.state = 'assigned' AND n.id <> a.id
         AND (n.assigned_at, n.id) > (a.assigned_at, a.id)
       ORDER BY n.assigned_at, n.id LIMIT 1) nxt ON true
     WHERE a.state = 'assigned' AND ${IN_WINDOW('a.assigned_at')}
     GROUP BY 1 ORDER BY 1 NULLS LAST`,
    params(query),
  );
  return result.rows;
}

/** Re-routes committed in the window, counted against whom (or which pool) they took the Lead from. */
export async function awayRows(db: Queryable, query: RoutingKpiQuery): Promise<AwayRow[]> {
  const result = await db.query<AwayRow>(
    `SELECT ${AWAY_KEY[query.by]} AS key, count(*)::int AS count
     FROM lead_assignments a
     LEFT JOIN LATERAL (
       SELECT p.pool_id FROM lead_assignments p
       WHERE p.hubspot_contact_id = a.hubspot_contact_id AND p.state = 'assigned' AND p.id <> a.id
         AND (p.assigned_at, p.id) < (a.assigned_at, a.id)
       ORDER BY p.assigned_at DESC, p.id DESC LIMIT 1) prev ON true
     WHERE a.state = 'assigned' AND a.kind = 'reroute' AND ${IN_WINDOW('a.assigned_at')}
     GROUP BY 1 ORDER BY 1 NULLS LAST`,
    params(query),
  );
  return result.rows;
}

/**
 * First-touch clocks of routed Leads (each belongs to one assignment and owner): response = stopped − started for
 * stopped clocks; adherence = stopped on time and never breached, out of those stopped or breached (as kpi-queries).
 */
export async function clockRows(db: Queryable, query: RoutingKpiQuery): Promise<ClockRow[]> {
  const minutes = `(extract(epoch FROM t.stopped_at - t.handed_off_at) / 60)::double precision`;
  const result = await db.query<ClockRow>(
    `SELECT ${CLOCK_KEY[query.by]} AS key,
       count(*) FILTER (WHERE t.stopped_at IS NOT NULL AND t.breached_at IS NULL AND t.stopped_at <= t.due_at)::int AS met,
       count(*) FILTER (WHERE t.stopped_at IS NOT NULL OR t.breached_at IS NOT NULL)::int AS decided,
       count(*) FILTER (WHERE t.breached_at IS NOT NULL)::int AS breached,
       count(t.stopped_at)::int AS touched,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY ${minutes}) AS "medianMinutes",
       percentile_cont(0.9) WITHIN GROUP (ORDER BY ${minutes}) AS "p90Minutes"
     FROM sla_timers t LEFT JOIN lead_assignments a ON a.id = t.assignment_id
     WHERE t.kind = 'first_touch' AND (t.assignment_id IS NOT NULL OR t.owner_id IS NOT NULL) AND ${IN_WINDOW('t.handed_off_at')}
     GROUP BY 1 ORDER BY 1 NULLS LAST`,
    params(query),
  );
  return result.rows;
}
