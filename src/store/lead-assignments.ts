import type { RouteDecision, RouteOwner } from '../core/routing/decide-route.ts';
import type { Queryable } from './database.ts';

/**
 * The decision as stored: what rule, strategy and owner, and why (rules passed, members skipped). A condition's
 * detail can quote the contact's own values ("country = Germany"), so a `does not match` reason keeps only those
 * words; `fastTrack` lets a re-route pick the same SLA rule again.
 */
export interface StoredDecision {
  rule: RouteDecision['rule'];
  strategy: RouteDecision['strategy'];
  owner: RouteOwner;
  reason: string;
  passed: RouteDecision['passed'];
  skipped: RouteDecision['skipped'];
  fastTrack?: boolean;
  /** A re-route's way: the pool's next member or its manager. */
  how?: 'next-member' | 'manager';
}

export type AssignmentState = 'reserved' | 'assigned' | 'released';

export interface AssignmentRow {
  id: string;
  contactId: string;
  leadId: string | null;
  state: AssignmentState;
  kind: 'initial' | 'reroute';
  ruleId: string;
  strategy: string;
  poolId: string | null;
  member: string | null;
  ownerId: string | null;
  ownerKind: RouteOwner['kind'];
  previousOwnerId: string | null;
  decision: StoredDecision;
  routingVersion: string;
  decidedAt: Date;
  assignedAt: Date | null;
}

const COLUMNS = `id::text AS id, hubspot_contact_id AS "contactId", lead_id AS "leadId", state, kind, rule_id AS "ruleId",
  strategy, pool_id AS "poolId", member, owner_id AS "ownerId", owner_kind AS "ownerKind",
  previous_owner_id AS "previousOwnerId", decision, routing_version AS "routingVersion", decided_at AS "decidedAt",
  assigned_at AS "assignedAt"`;

export function storedDecision(decision: RouteDecision, fastTrack?: boolean): StoredDecision {
  return {
    rule: decision.rule,
    strategy: decision.strategy,
    owner: decision.owner,
    reason: decision.reason,
    passed: decision.passed.map((p) => (p.reason.startsWith('does not match') ? { ...p, reason: 'does not match' } : p)),
    skipped: decision.skipped,
    ...(fastTrack !== undefined ? { fastTrack } : {}),
  };
}

/** The RouteDecision a stored row stands for (a replayed create reuses it as it was taken). */
export function decisionOf(row: AssignmentRow): RouteDecision {
  const d = row.decision;
  return {
    rule: d.rule,
    strategy: d.strategy,
    owner: d.owner,
    ...(row.poolId ? { pool: row.poolId } : {}),
    ...(row.member ? { member: row.member } : {}),
    passed: d.passed,
    skipped: d.skipped,
    reason: d.reason,
  };
}

export interface AssignmentInput {
  contactId: string;
  kind: 'initial' | 'reroute';
  decision: StoredDecision;
  pool?: string | undefined;
  member?: string | undefined;
  routingVersion: string;
  decidedAt: Date;
  leadId?: string;
  previousOwnerId?: string;
}

/** Inserts `reserved` assignments in one statement; their ids in input order. */
export async function reserveAssignments(tx: Queryable, rows: AssignmentInput[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const records = rows.map((row, n) => ({
    n,
    hubspot_contact_id: row.contactId,
    kind: row.kind,
    rule_id: row.decision.rule.id,
    strategy: row.decision.strategy,
    pool_id: row.pool ?? null,
    member: row.member ?? null,
    owner_id: row.decision.owner.kind === 'assignment-rule' ? null : row.decision.owner.id,
    owner_kind: row.decision.owner.kind,
    previous_owner_id: row.previousOwnerId ?? null,
    lead_id: row.leadId ?? null,
    decision: row.decision,
    routing_version: row.routingVersion,
    decided_at: row.decidedAt.toISOString(),
  }));
  const result = await tx.query<{ id: string; n: number }>(
    `WITH input AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(n integer, hubspot_contact_id text, kind text, rule_id text,
         strategy text, pool_id text, member text, owner_id text, owner_kind text, previous_owner_id text, lead_id text,
         decision jsonb, routing_version text, decided_at timestamptz)),
     inserted AS (
       INSERT INTO lead_assignments (hubspot_contact_id, kind, rule_id, strategy, pool_id, member, owner_id, owner_kind,
         previous_owner_id, lead_id, decision, routing_version, decided_at)
       SELECT hubspot_contact_id, kind, rule_id, strategy, pool_id, member, owner_id, owner_kind, previous_owner_id,
         lead_id, decision, routing_version, decided_at FROM input ORDER BY n
       RETURNING id, hubspot_contact_id, kind)
     SELECT i.id::text AS id, input.n FROM inserted i JOIN input ON input.hubspot_contact_id = i.hubspot_contact_id AND input.kind = i.kind`,
    [JSON.stringify(records)],
  );
  const ids = new Map(result.rows.map((row) => [row.n, row.id]));
  return rows.map((_, n) => {
    const id = ids.get(n);
    if (!id) throw new Error(`assignment ${n} was not inserted`);
    return id;
  });
}

/** The contacts' reserved assignments of a kind (a parked create being replayed, a re-route being retried). */
export async function reservedAssignments(
  db: Queryable,
  contactIds: string[],
  kind: 'initial' | 'reroute' = 'initial',
): Promise<Map<string, AssignmentRow>> {
  if (contactIds.length === 0) return new Map();
  const result = await db.query<AssignmentRow>(
    `SELECT ${COLUMNS} FROM lead_assignments WHERE hubspot_contact_id = ANY($1::text[]) AND state = 'reserved' AND kind = $2`,
    [contactIds, kind],
  );
  return new Map(result.rows.map((row) => [row.contactId, row]));
}

export interface AssignmentConfirmation {
  assignmentId: string;
  leadId: string;
  /** The owner Salesforce gave the Lead; null keeps the decided one (an assignment rule's is only known after the create). */
  ownerId: string | null;
  assignedAt: Date;
}

/** The Leads exist: their reserved assignments become `assigned` (call in the transaction that records the handoff). */
export async function confirmAssignments(tx: Queryable, rows: AssignmentConfirmation[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await tx.query(
    `UPDATE lead_assignments a SET state = 'assigned', lead_id = c.lead_id, owner_id = coalesce(c.owner_id, a.owner_id),
       assigned_at = c.assigned_at
     FROM jsonb_to_recordset($1::jsonb) AS c(id bigint, lead_id text, owner_id text, assigned_at timestamptz)
     WHERE a.id = c.id AND a.state = 'reserved'`,
    [
      JSON.stringify(
        rows.map((r) => ({ id: r.assignmentId, lead_id: r.leadId, owner_id: r.ownerId, assigned_at: r.assignedAt.toISOString() })),
      ),
    ],
  );
  return result.rowCount;
}

/**
 * The contacts never got these Leads (linked to an existing record, erased, or the re-route was refused). The pool
 * turn already dealt is not given back: a member's credit moves only forward, so a release slightly favours the others.
 */
export async function releaseAssignments(tx: Queryable, assignmentIds: string[]): Promise<number> {
  if (assignmentIds.length === 0) return 0;
  const result = await tx.query(`UPDATE lead_assignments SET state = 'released' WHERE id = ANY($1::bigint[]) AND state = 'reserved'`, [
    assignmentIds,
  ]);
  return result.rowCount;
}

/** Each Lead's latest `assigned` assignment (initial or re-route): who owns it by our routing, and by which rule. */
export async function latestAssignments(db: Queryable, leadIds: string[]): Promise<Map<string, AssignmentRow>> {
  if (leadIds.length === 0) return new Map();
  const result = await db.query<AssignmentRow>(
    `SELECT DISTINCT ON (lead_id) ${COLUMNS} FROM lead_assignments
     WHERE lead_id = ANY($1::text[]) AND state = 'assigned' ORDER BY lead_id, assigned_at DESC, lead_assignments.id DESC`,
    [leadIds],
  );
  return new Map(result.rows.map((row) => [row.leadId ?? '', row]));
}

/** The assignments of a contact, oldest first (the record look-up shows them). */
export async function assignmentsForContact(db: Queryable, contactId: string): Promise<AssignmentRow[]> {
  const result = await db.query<AssignmentRow>(
    `SELECT ${COLUMNS} FROM lead_assignments WHERE hubspot_contact_id = $1 ORDER BY lead_assignments.id`,
    [contactId],
  );
  return result.rows;
}
