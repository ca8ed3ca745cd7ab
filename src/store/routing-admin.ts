import type { Queryable } from './database.ts';
import { type MemberRow, MEMBER_COLUMNS as STATE_COLUMNS } from './routing-members.ts';

/**
 * What the admin page reads of routing (member state, a contact's assignments and their notifications) and the
 * pause and resume it writes. Rows, not process memory, so every replica sees a pause at once.
 */

/** A member's stored state with who paused it and when (what the admin page shows). */
export interface StoredMemberState extends MemberRow {
  pausedBy: string | null;
  pausedAt: Date | null;
}

const MEMBER_COLUMNS = `${STATE_COLUMNS}, paused_by AS "pausedBy", paused_at AS "pausedAt"`;

/** Every stored member row of these pools (a member never dealt a lead nor paused has none). */
export async function memberStatesOf(db: Queryable, poolIds: readonly string[]): Promise<StoredMemberState[]> {
  if (poolIds.length === 0) return [];
  const result = await db.query<StoredMemberState>(
    `SELECT ${MEMBER_COLUMNS} FROM routing_members WHERE pool_id = ANY($1::text[]) ORDER BY pool_id, member`,
    [poolIds],
  );
  return result.rows;
}

export interface PauseChange {
  state: StoredMemberState;
  /** false when the member already was in the asked state (the first pause's author and time stand). */
  changed: boolean;
}

/** Pauses a member (creating its row if the pool never dealt it a lead); a second pause changes nothing. */
export async function pauseMember(db: Queryable, input: { poolId: string; member: string; by: string; at: Date }): Promise<PauseChange> {
  const result = await db.query<StoredMemberState & { changed: boolean }>(
    `WITH before AS (SELECT paused FROM routing_members WHERE pool_id = $1 AND member = $2)
     INSERT INTO routing_members AS m (pool_id, member, paused, paused_by, paused_at)
     VALUES ($1, $2, true, $3, $4)
     ON CONFLICT (pool_id, member) DO UPDATE
       SET paused = true,
           paused_by = CASE WHEN m.paused THEN m.paused_by ELSE EXCLUDED.paused_by END,
           paused_at = CASE WHEN m.paused THEN m.paused_at ELSE EXCLUDED.paused_at END
     RETURNING ${MEMBER_COLUMNS}, NOT coalesce((SELECT paused FROM before), false) AS changed`,
    [input.poolId, input.member, input.by, input.at.toISOString()],
  );
  return splitChange(result.rows[0]);
}

/** Resumes a member: it is dealt leads again from its standing credit (no catch-up). Who paused it is cleared. */
export async function resumeMember(db: Queryable, input: { poolId: string; member: string }): Promise<PauseChange | undefined> {
  const result = await db.query<StoredMemberState & { changed: boolean }>(
    `WITH before AS (SELECT paused FROM routing_members WHERE pool_id = $1 AND member = $2)
     UPDATE routing_members SET paused = false, paused_by = NULL, paused_at = NULL
     WHERE pool_id = $1 AND member = $2
     RETURNING ${MEMBER_COLUMNS}, coalesce((SELECT paused FROM before), false) AS changed`,
    [input.poolId, input.member],
  );
  return result.rows[0] ? splitChange(result.rows[0]) : undefined;
}

function splitChange(row: (StoredMemberState & { changed: boolean }) | undefined): PauseChange {
  if (!row) throw new Error('routing_members returned no row');
  const { changed, ...state } = row;
  return { state, changed };
}

/** A notification's delivery state as people may see it: never its content or the recipient's address. */
export interface NotificationView {
  id: string;
  kind: string;
  channel: string;
  recipientId: string;
  state: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface AssignmentView {
  id: string;
  leadId: string | null;
  kind: 'initial' | 'reroute';
  state: 'reserved' | 'assigned' | 'released';
  ruleId: string;
  strategy: string;
  poolId: string | null;
  member: string | null;
  ownerId: string | null;
  ownerKind: string;
  previousOwnerId: string | null;
  /** The RouteDecision as recorded (rule, reason, passed rules, skipped members). */
  decision: Record<string, unknown>;
  routingVersion: string;
  decidedAt: Date;
  assignedAt: Date | null;
  notifications: NotificationView[];
}

/** A contact's routing decisions, oldest first, each with its notifications. */
export async function assignmentsForContact(db: Queryable, contactId: string): Promise<AssignmentView[]> {
  const result = await db.query<AssignmentView>(
    `SELECT a.id::text AS id, a.lead_id AS "leadId", a.kind, a.state, a.rule_id AS "ruleId", a.strategy, a.pool_id AS "poolId",
       a.member, a.owner_id AS "ownerId", a.owner_kind AS "ownerKind", a.previous_owner_id AS "previousOwnerId", a.decision,
       a.routing_version AS "routingVersion", a.decided_at AS "decidedAt", a.assigned_at AS "assignedAt",
       coalesce((
         SELECT json_agg(json_build_object(
           'id', n.id::text, 'kind', n.kind, 'channel', n.channel, 'recipientId', n.recipient_id, 'state', n.state,
           'attempts', n.attempts, 'lastError', n.last_error, 'createdAt', n.created_at, 'deliveredAt', n.delivered_at)
           ORDER BY n.id)
         FROM owner_notifications n WHERE n.assignment_id = a.id), '[]'::json) AS notifications
     FROM lead_assignments a WHERE a.hubspot_contact_id = $1 ORDER BY a.decided_at, a.id`,
    [contactId],
  );
  // json_build_object renders timestamps as text; give them back as dates like every other column.
  return result.rows.map((row) => ({
    ...row,
    notifications: row.notifications.map((n) => ({
      ...n,
      createdAt: new Date(n.createdAt),
      deliveredAt: n.deliveredAt === null ? null : new Date(n.deliveredAt),
    })),
  }));
}
