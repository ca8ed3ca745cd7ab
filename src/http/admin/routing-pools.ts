import { FRESH_MEMBER, type MemberState, peekNext, pickMember, poolDay, type ResolvedUser } from '../../core/routing/round-robin.ts';
import type { Pool, RoutingConfig } from '../../core/routing/routing-schema.ts';
import type { ResolvedDirectory } from '../../jobs/routing/routing-deps.ts';
import type { StoredMemberState } from '../../store/routing-admin.ts';
import type { MemberView, PoolList, PoolView } from './routing-schemas.ts';

/** The directory as the page got it: resolved, or why not (the pools still show, with Salesforce facts unknown). */
export type DirectoryAnswer = { ok: true; directory: ResolvedDirectory } | { ok: false; message: string };

/**
 * The Routing view of the active configuration: each pool's members with today's count (in the member's local
 * day), pause, Salesforce status and who is next — core's own peek over the stored state, which changes nothing.
 */
export function describePools(routing: RoutingConfig, stored: readonly StoredMemberState[], answer: DirectoryAnswer, now: Date): PoolList {
  const users: ReadonlyMap<string, ResolvedUser> = answer.ok ? answer.directory.users : new Map();
  return {
    routingVersion: routing.version,
    at: now.toISOString(),
    directory: answer.ok ? { available: true, message: null } : { available: false, message: answer.message },
    pools: routing.pools.map((pool) => poolView(pool, statesOf(pool, stored), users, answer, now)),
  };
}

function statesOf(pool: Pool, stored: readonly StoredMemberState[]): Map<string, StoredMemberState> {
  return new Map(stored.filter((s) => s.poolId === pool.id).map((s) => [s.member, s]));
}

function poolView(
  pool: Pool,
  stored: ReadonlyMap<string, StoredMemberState>,
  users: ReadonlyMap<string, ResolvedUser>,
  answer: DirectoryAnswer,
  now: Date,
): PoolView {
  const state = new Map<string, MemberState>(
    [...stored].map(([member, s]) => [member, { credit: s.credit, day: s.day, assignedToday: s.assignedToday, paused: s.paused }]),
  );
  const next = answer.ok && pool.members ? peekNext(pool, state, users, now) : undefined;
  const skipped = new Map(pickMember(pool, state, users, now).skipped.map((s) => [s.user, s]));
  const queue = pool.queue
    ? {
        name: pool.queue,
        id: answer.ok ? (answer.directory.queues.get(pool.queue)?.id ?? null) : null,
        exists: queueExists(pool.queue, answer),
      }
    : null;
  return {
    id: pool.id,
    label: pool.label,
    kind: pool.members ? 'members' : 'queue',
    queue,
    timeZone: pool.calendar?.timeZone ?? null,
    manager: pool.manager ?? null,
    next: next ? { member: next.user, userId: next.userId } : null,
    members: (pool.members ?? []).map((member): MemberView => {
      const s = stored.get(member.user);
      const day = poolDay(pool, member, now);
      const user = users.get(member.user);
      const skip = skipped.get(member.user);
      return {
        user: member.user,
        name: user && answer.ok ? (answer.directory.people.get(user.id)?.name ?? null) : null,
        weight: member.weight,
        dailyCap: member.dailyCap ?? null,
        day,
        // A count kept for another local day is yesterday's: today's starts at 0.
        assignedToday: s && s.day === day ? s.assignedToday : FRESH_MEMBER.assignedToday,
        paused: s?.paused ?? false,
        pausedBy: s?.pausedBy ?? null,
        pausedAt: s?.pausedAt ? s.pausedAt.toISOString() : null,
        salesforce: answer.ok ? { userId: user?.id ?? null, active: user?.active ?? false } : null,
        availability: skip ? skip.reason : 'eligible',
        availabilityDetail: skip ? skip.detail : null,
      };
    }),
  };
}

function queueExists(queue: string, answer: DirectoryAnswer): boolean | null {
  return answer.ok ? answer.directory.queues.has(queue) : null;
}
