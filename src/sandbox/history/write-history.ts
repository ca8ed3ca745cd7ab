import type { Queryable } from '../../store/database-types.ts';
import { appendHistory } from '../../store/history.ts';
import { recordMqlEvaluations } from '../../store/mql-evaluations.ts';
import type { SeededAssignment, SeededHistory, SeededOpportunity, SeededTimer } from './seeded-rows.ts';

/**
 * Writes a seeded quarter inside the caller's transaction: the audit and the evaluations through their store
 * functions, assignments, clocks and Opportunities as plain inserts (their store functions start, confirm or update
 * one step at a time; these rows arrive settled). One statement per kind of row.
 */
export async function writeHistory(tx: Queryable, seeded: SeededHistory): Promise<void> {
  await recordMqlEvaluations(tx, seeded.evaluations);
  await appendHistory(tx, seeded.history);
  await insertAssignments(tx, seeded.assignments);
  await insertTimers(tx, seeded.timers);
  await insertOpportunities(tx, seeded.opportunities);
}

const iso = (at: Date | null): string | null => at?.toISOString() ?? null;

async function insertAssignments(tx: Queryable, rows: SeededAssignment[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO lead_assignments (hubspot_contact_id, lead_id, state, kind, rule_id, strategy, owner_id, owner_kind, decision,
       routing_version, decided_at, assigned_at)
     SELECT hubspot_contact_id, lead_id, 'assigned', 'initial', rule_id, strategy, owner_id, owner_kind, decision,
       routing_version, decided_at, assigned_at
     FROM jsonb_to_recordset($1::jsonb) AS r(hubspot_contact_id text, lead_id text, rule_id text, strategy text, owner_id text,
       owner_kind text, decision jsonb, routing_version text, decided_at timestamptz, assigned_at timestamptz)`,
    [
      JSON.stringify(
        rows.map((r) => ({
          hubspot_contact_id: r.contactId,
          lead_id: r.leadId,
          rule_id: r.ruleId,
          strategy: r.strategy,
          owner_id: r.ownerId,
          owner_kind: r.ownerKind,
          decision: r.decision,
          routing_version: r.routingVersion,
          decided_at: iso(r.decidedAt),
          assigned_at: iso(r.assignedAt),
        })),
      ),
    ],
  );
}

async function insertTimers(tx: Queryable, rows: SeededTimer[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO sla_timers (lead_id, hubspot_contact_id, kind, rule, source, segment, definition_version, handed_off_at,
       routing_delay_ms, warn_at, due_at, warned_at, breached_at, late_by_ms, stopped_at, stop_reason, owner_id, created_at)
     SELECT lead_id, hubspot_contact_id, kind, rule, source, segment, definition_version, handed_off_at, routing_delay_ms,
       warn_at, due_at, warned_at, breached_at, late_by_ms, stopped_at, stop_reason, owner_id, handed_off_at
     FROM jsonb_to_recordset($1::jsonb) AS t(lead_id text, hubspot_contact_id text, kind text, rule text, source text,
       segment text, definition_version text, handed_off_at timestamptz, routing_delay_ms bigint, warn_at timestamptz,
       due_at timestamptz, warned_at timestamptz, breached_at timestamptz, late_by_ms bigint, stopped_at timestamptz,
       stop_reason text, owner_id text)`,
    [
      JSON.stringify(
        rows.map((t) => ({
          lead_id: t.leadId,
          hubspot_contact_id: t.contactId,
          kind: t.kind,
          rule: t.rule,
          source: t.source,
          segment: t.segment,
          definition_version: t.definitionVersion,
          handed_off_at: iso(t.handedOffAt),
          routing_delay_ms: t.routingDelayMs,
          warn_at: iso(t.warnAt),
          due_at: iso(t.dueAt),
          warned_at: iso(t.warnedAt),
          breached_at: iso(t.breachedAt),
          late_by_ms: t.lateByMs,
          stopped_at: iso(t.stoppedAt),
          stop_reason: t.stopReason,
          owner_id: t.ownerId,
        })),
      ),
    ],
  );
}

async function insertOpportunities(tx: Queryable, rows: SeededOpportunity[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO opportunities (opportunity_id, lead_id, hubspot_contact_id, stage, amount, close_date, is_closed, is_won,
       loss_reason, owner_id, first_seen_at, status, closed_at, linked_at, updated_at)
     SELECT opportunity_id, lead_id, hubspot_contact_id, stage, amount, close_date, is_closed, is_won, loss_reason, owner_id,
       linked_at, status, closed_at, linked_at, coalesce(closed_at, linked_at)
     FROM jsonb_to_recordset($1::jsonb) AS o(opportunity_id text, lead_id text, hubspot_contact_id text, stage text,
       amount numeric, close_date date, is_closed boolean, is_won boolean, loss_reason text, owner_id text, status text,
       closed_at timestamptz, linked_at timestamptz)`,
    [
      JSON.stringify(
        rows.map((o) => ({
          opportunity_id: o.opportunityId,
          lead_id: o.leadId,
          hubspot_contact_id: o.contactId,
          stage: o.stage,
          amount: o.amount,
          close_date: o.closeDate,
          is_closed: o.isClosed,
          is_won: o.isWon,
          loss_reason: o.lossReason,
          owner_id: o.ownerId,
          status: o.status,
          closed_at: iso(o.closedAt),
          linked_at: iso(o.linkedAt),
        })),
      ),
    ],
  );
}
