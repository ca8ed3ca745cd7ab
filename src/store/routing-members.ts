import type { PoolStates } from '../core/routing/decide-route.ts';
import type { MemberState } from '../core/routing/round-robin.ts';
import type { RoutingConfig } from '../core/routing/routing-schema.ts';
import type { Queryable } from './database.ts';

/** One pool member's stored round-robin state. */
export interface MemberRow {
  poolId: string;
  member: string;
  credit: number;
  day: string | null;
  assignedToday: number;
  paused: boolean;
}

export const MEMBER_COLUMNS = `pool_id AS "poolId", member, credit, day::text AS day, assigned_today AS "assignedToday", paused`;

/** Every (pool, member) pair of the pools that deal round robin, sorted by pool id then member: the lock order. */
function memberKeys(routing: RoutingConfig): Array<{ pool_id: string; member: string }> {
  return routing.pools
    .flatMap((pool) => (pool.members ?? []).map((m) => ({ pool_id: pool.id, member: m.user })))
    .sort((a, b) => (a.pool_id === b.pool_id ? compare(a.member, b.member) : compare(a.pool_id, b.pool_id)));
}

/** Byte order, as PostgreSQL's "C" collation sorts, so the lock order is the same in every replica. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function toStates(rows: MemberRow[]): Map<string, Map<string, MemberState>> {
  const pools = new Map<string, Map<string, MemberState>>();
  for (const row of rows) {
    const members = pools.get(row.poolId) ?? new Map<string, MemberState>();
    members.set(row.member, { credit: row.credit, day: row.day, assignedToday: row.assignedToday, paused: row.paused });
    pools.set(row.poolId, members);
  }
  return pools;
}

/**
 * Makes sure every member of every round-robin pool has a row, then locks them all (call inside a transaction).
 * Rows are inserted and locked in one fixed order (pool id, member), so two replicas dealing at once queue behind
 * each other instead of deadlocking. Returns the state read under the lock.
 */
export async function lockPoolStates(tx: Queryable, routing: RoutingConfig): Promise<PoolStates> {
  const keys = memberKeys(routing);
  if (keys.length === 0) return new Map();
  const json = JSON.stringify(keys);
  await tx.query(
    `INSERT INTO routing_members (pool_id, member)
     SELECT pool_id, member FROM jsonb_to_recordset($1::jsonb) AS k(pool_id text, member text)
     ORDER BY pool_id COLLATE "C", member COLLATE "C" ON CONFLICT (pool_id, member) DO NOTHING`,
    [json],
  );
  const result = await tx.query<MemberRow>(
    `SELECT ${MEMBER_COLUMNS} FROM routing_members
     WHERE (pool_id, member) IN (SELECT pool_id, member FROM jsonb_to_recordset($1::jsonb) AS k(pool_id text, member text))
     ORDER BY pool_id COLLATE "C", member COLLATE "C" FOR UPDATE`,
    [json],
  );
  return toStates(result.rows);
}

/** Writes back the members whose state a decision changed (under the lock `lockPoolStates` took). */
export async function saveChangedStates(tx: Queryable, before: PoolStates, after: PoolStates): Promise<number> {
  const changed: Array<{ pool_id: string; member: string; credit: number; day: string | null; assigned_today: number }> = [];
  for (const [poolId, members] of after) {
    for (const [member, state] of members) {
      const was = before.get(poolId)?.get(member);
      if (was && was.credit === state.credit && was.day === state.day && was.assignedToday === state.assignedToday) continue;
      changed.push({ pool_id: poolId, member, credit: state.credit, day: state.day, assigned_today: state.assignedToday });
    }
  }
  if (changed.length === 0) return 0;
  // Pause is an admin's, never the dealer's: it is not written here (setMemberPaused holds the same row lock).
  const result = await tx.query(
    `UPDATE routing_members r SET credit = c.credit, day = c.day, assigned_today = c.assigned_today
     FROM jsonb_to_recordset($1::jsonb) AS c(pool_id text, member text, credit integer, day date, assigned_today integer)
     WHERE r.pool_id = c.pool_id AND r.member = c.member`,
    [JSON.stringify(changed)],
  );
  return result.rowCount;
}

/** The stored state of every pool, without a lock: what the admin page's "who is next" and a dry run read. */
export async function readPoolStates(db: Queryable): Promise<PoolStates> {
  const result = await db.query<MemberRow>(`SELECT ${MEMBER_COLUMNS} FROM routing_members`);
  return toStates(result.rows);
}
