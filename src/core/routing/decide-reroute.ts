import type { PoolStates, RoutingDirectory } from './decide-route.ts';
import { pickMember, type SkippedMember } from './round-robin.ts';
import type { RoutingConfig } from './routing-schema.ts';

/** What is known of a Lead whose first-touch clock ran out: how it was routed and who owns it now. */
export interface BreachedAssignment {
  ruleId: string;
  pool: string | null;
  currentOwnerId: string;
}

export type RerouteDecision =
  | {
      action: 'reroute';
      to: { userId: string; member?: string };
      how: 'next-member' | 'manager';
      skipped: SkippedMember[];
      pools: PoolStates;
      reason: string;
    }
  | { action: 'keep'; reason: string; skipped: SkippedMember[] };

/**
 * Pure: on a first-touch breach, the routing rule that placed the Lead may move it — to the pool's next member
 * (never the current owner; caps, hours and pauses hold as for a new lead) or to the pool's manager. The rule is
 * read from the active routing, so an admin who removes `onFirstTouchBreach` stops further re-routing.
 */
export function decideReroute(
  breach: BreachedAssignment,
  routing: RoutingConfig,
  directory: RoutingDirectory,
  pools: PoolStates,
  now: Date,
): RerouteDecision {
  const rule = routing.rules.find((r) => r.id === breach.ruleId);
  if (!rule?.onFirstTouchBreach) return { action: 'keep', reason: `rule ${breach.ruleId} does not re-route on a breach`, skipped: [] };
  const pool = routing.pools.find((p) => p.id === (breach.pool ?? rule.pool));
  if (!pool) return { action: 'keep', reason: `pool ${rule.pool} is no longer defined`, skipped: [] };
  if (rule.onFirstTouchBreach === 'manager') {
    const manager = pool.manager ? directory.users.get(pool.manager) : undefined;
    if (!manager?.active) return { action: 'keep', reason: `pool ${pool.id} has no active manager`, skipped: [] };
    if (manager.id === breach.currentOwnerId) return { action: 'keep', reason: 'the manager already owns the Lead', skipped: [] };
    return {
      action: 'reroute',
      to: { userId: manager.id },
      how: 'manager',
      skipped: [],
      pools,
      reason: `first touch missed: to the manager of ${pool.label}`,
    };
  }
  const pick = pickMember(pool, pools.get(pool.id) ?? new Map(), directory.users, now, { exclude: [breach.currentOwnerId] });
  if (!pick.picked) return { action: 'keep', reason: `no other member of pool ${pool.id} can take it now`, skipped: pick.skipped };
  const next = new Map(pools);
  next.set(pool.id, pick.next);
  return {
    action: 'reroute',
    to: { userId: pick.picked.userId, member: pick.picked.user },
    how: 'next-member',
    skipped: pick.skipped,
    pools: next,
    reason: `first touch missed: to the next member of ${pool.label}`,
  };
}
