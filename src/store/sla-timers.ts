import type { Queryable } from './database.ts';

export type SlaKind = 'first_touch' | 'disposition';

export interface SlaTimerInput {
  leadId: string;
  hubspotContactId: string;
  kind: SlaKind;
  rule: string;
  source: string | null;
  segment: string | null;
  definitionVersion: string | null;
  handedOffAt: Date;
  routingDelayMs: number | null;
  warnAt: Date | null;
  dueAt: Date;
  /** The routing assignment that gave the Lead the owner this clock runs for (first touch starts at assignment). */
  assignmentId?: string | null;
  /** The owner the clock runs for: a re-route starts a new first-touch clock for the new owner. */
  ownerId?: string | null;
}

export interface SlaTimer extends SlaTimerInput {
  id: string;
  warnedAt: Date | null;
  breachedAt: Date | null;
  lateByMs: number | null;
  stoppedAt: Date | null;
  stopReason: string | null;
}

const COLUMNS = `id::text AS id, lead_id AS "leadId", hubspot_contact_id AS "hubspotContactId", kind, rule, source, segment,
  definition_version AS "definitionVersion", handed_off_at AS "handedOffAt", routing_delay_ms::float8 AS "routingDelayMs",
  warn_at AS "warnAt", due_at AS "dueAt", warned_at AS "warnedAt", breached_at AS "breachedAt",
  late_by_ms::float8 AS "lateByMs", stopped_at AS "stoppedAt", stop_reason AS "stopReason",
  assignment_id::text AS "assignmentId", owner_id AS "ownerId"`;

/** Starts clocks in one statement; a clock already started for the same handoff is left as it is. */
export async function startClocks(db: Queryable, timers: SlaTimerInput[]): Promise<void> {
  if (timers.length === 0) return;
  const rows = timers.map((t) => ({
    lead_id: t.leadId,
    hubspot_contact_id: t.hubspotContactId,
    kind: t.kind,
    rule: t.rule,
    source: t.source,
    segment: t.segment,
    definition_version: t.definitionVersion,
    handed_off_at: t.handedOffAt.toISOString(),
    routing_delay_ms: t.routingDelayMs,
    warn_at: t.warnAt?.toISOString() ?? null,
    due_at: t.dueAt.toISOString(),
    assignment_id: t.assignmentId ?? null,
    owner_id: t.ownerId ?? null,
  }));
  await db.query(
    `INSERT INTO sla_timers (lead_id, hubspot_contact_id, kind, rule, source, segment, definition_version, handed_off_at,
       routing_delay_ms, warn_at, due_at, assignment_id, owner_id)
     SELECT lead_id, hubspot_contact_id, kind, rule, source, segment, definition_version, handed_off_at,
       routing_delay_ms, warn_at, due_at, assignment_id, owner_id
     FROM jsonb_to_recordset($1::jsonb) AS e(lead_id text, hubspot_contact_id text, kind text, rule text, source text,
       segment text, definition_version text, handed_off_at timestamptz, routing_delay_ms bigint,
       warn_at timestamptz, due_at timestamptz, assignment_id bigint, owner_id text)
     ON CONFLICT (lead_id, kind, handed_off_at) DO NOTHING`,
    [JSON.stringify(rows)],
  );
}

/**
 * Claims the warnings that are due, marking them sent in the same statement: with SKIP LOCKED, two replicas
 * ticking at once never both claim one clock. A failed delivery is released again with `releaseWarning`.
 */
export async function claimDueWarnings(db: Queryable, now: Date, limit = 200): Promise<SlaTimer[]> {
  const result = await db.query<SlaTimer>(
    `UPDATE sla_timers SET warned_at = $1 WHERE id IN (
       SELECT id FROM sla_timers WHERE stopped_at IS NULL AND breached_at IS NULL AND warned_at IS NULL AND warn_at <= $1
       ORDER BY warn_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING ${COLUMNS}`,
    [now.toISOString(), limit],
  );
  return result.rows;
}

export async function releaseWarning(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE sla_timers SET warned_at = NULL WHERE id = $1', [id]);
}

/** Claims the breaches that are due, recording how late each clock is at this tick. */
export async function claimDueBreaches(db: Queryable, now: Date, limit = 200): Promise<SlaTimer[]> {
  const result = await db.query<SlaTimer>(
    `UPDATE sla_timers SET breached_at = $1,
       late_by_ms = (extract(epoch FROM ($1::timestamptz - due_at)) * 1000)::bigint
     WHERE id IN (
       SELECT id FROM sla_timers WHERE stopped_at IS NULL AND breached_at IS NULL AND due_at <= $1
       ORDER BY due_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING ${COLUMNS}`,
    [now.toISOString(), limit],
  );
  return result.rows;
}

export interface ClockStopInput {
  leadId: string;
  kinds: SlaKind[];
  at: Date;
  reason: string;
}

/**
 * Stops many Leads' running clocks in one statement (a breached clock still records when it finally stopped): the
 * clocks each stop stopped, in input order (each stop's clocks by id). When two stops name the same running clock the
 * first one stops it, as stopping them in order would.
 */
export async function stopClocksMany(db: Queryable, stops: ClockStopInput[]): Promise<SlaTimer[][]> {
  if (stops.length === 0) return [];
  const rows = stops.map((stop, index) => ({
    stop_index: index,
    stop_lead_id: stop.leadId,
    stop_kinds: stop.kinds,
    stop_time: stop.at.toISOString(),
    stop_why: stop.reason,
  }));
  const result = await db.query<SlaTimer & { stopIndex: number }>(
    `WITH wanted AS (
       SELECT DISTINCT ON (s.stop_lead_id, k.stop_kind) s.stop_index, s.stop_lead_id, k.stop_kind, s.stop_time, s.stop_why
       FROM jsonb_to_recordset($1::jsonb) AS s(stop_index integer, stop_lead_id text, stop_kinds jsonb, stop_time timestamptz, stop_why text)
       CROSS JOIN LATERAL jsonb_array_elements_text(s.stop_kinds) AS k(stop_kind)
       ORDER BY s.stop_lead_id, k.stop_kind, s.stop_index)
     UPDATE sla_timers SET stopped_at = wanted.stop_time, stop_reason = wanted.stop_why
     FROM wanted
     WHERE sla_timers.lead_id = wanted.stop_lead_id AND sla_timers.kind = wanted.stop_kind AND sla_timers.stopped_at IS NULL
     RETURNING wanted.stop_index AS "stopIndex", ${COLUMNS}`,
    [JSON.stringify(rows)],
  );
  const stopped: SlaTimer[][] = stops.map(() => []);
  const sorted = result.rows.sort((a, b) => a.stopIndex - b.stopIndex || Number(a.id) - Number(b.id));
  for (const { stopIndex, ...timer } of sorted) stopped[stopIndex]!.push(timer);
  return stopped;
}

export async function runningClocks(db: Queryable, leadIds: string[]): Promise<SlaTimer[]> {
  if (leadIds.length === 0) return [];
  const result = await db.query<SlaTimer>(
    `SELECT ${COLUMNS} FROM sla_timers WHERE lead_id = ANY($1::text[]) AND stopped_at IS NULL ORDER BY sla_timers.id`,
    [leadIds],
  );
  return result.rows;
}

/**
 * Breached first-touch clocks still running whose re-route is not settled yet (oldest breach first): the SLA tick
 * decides for each whether its routing rule moves the Lead, and settles it once that is done, kept or parked.
 */
export async function unsettledReroutes(db: Queryable, limit = 50): Promise<SlaTimer[]> {
  const result = await db.query<SlaTimer>(
    `SELECT ${COLUMNS} FROM sla_timers
     WHERE kind = 'first_touch' AND breached_at IS NOT NULL AND stopped_at IS NULL AND reroute_settled_at IS NULL
     ORDER BY breached_at, sla_timers.id LIMIT $1`,
    [limit],
  );
  return result.rows;
}

/** Locks a clock whose re-route is still open (skipping one another replica is settling); false when there is none. */
export async function lockUnsettledReroute(tx: Queryable, timerId: string): Promise<boolean> {
  const result = await tx.query(
    'SELECT id FROM sla_timers WHERE id = $1 AND reroute_settled_at IS NULL AND stopped_at IS NULL FOR UPDATE SKIP LOCKED',
    [timerId],
  );
  return result.rowCount > 0;
}

export async function settleReroutes(db: Queryable, timerIds: string[], at: Date): Promise<void> {
  if (timerIds.length === 0) return;
  await db.query('UPDATE sla_timers SET reroute_settled_at = $2 WHERE id = ANY($1::bigint[]) AND reroute_settled_at IS NULL', [
    timerIds,
    at.toISOString(),
  ]);
}

/** Opens a parked re-route again (its replay): the next SLA tick decides it afresh. */
export async function reopenReroute(db: Queryable, timerId: string): Promise<boolean> {
  const result = await db.query(
    'UPDATE sla_timers SET reroute_settled_at = NULL WHERE id = $1 AND breached_at IS NOT NULL AND stopped_at IS NULL',
    [timerId],
  );
  return result.rowCount > 0;
}
