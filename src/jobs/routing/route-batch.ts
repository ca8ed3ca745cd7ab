import {
  decideRoute,
  type PoolStates,
  type RouteDecision,
  type RoutingDirectory,
  type RoutingFacts,
} from '../../core/routing/decide-route.ts';
import type { RoutingConfig } from '../../core/routing/routing-schema.ts';
import type { Database } from '../../store/database.ts';
import { decisionOf, reserveAssignments, reservedAssignments, storedDecision } from '../../store/lead-assignments.ts';
import { lockPoolStates, saveChangedStates } from '../../store/routing-members.ts';

/** The caller confirms the assignments once the Leads exist, or releases them when a contact got none. */
export { type AssignmentConfirmation, confirmAssignments, releaseAssignments } from '../../store/lead-assignments.ts';

export interface RouteBatchContext {
  routing: RoutingConfig;
  /** The stamped version of routing.yaml the decisions were made with (kept on each assignment). */
  routingVersion: string;
  directory: RoutingDirectory;
  now: Date;
}

export interface RoutedContact {
  assignmentId: string;
  decision: RouteDecision;
}

/**
 * Decides the owner of each contact about to get a Lead, exactly once per contact across replicas, in ONE
 * transaction: a contact that already holds a `reserved` assignment (its create was parked and is replayed) keeps
 * it; the others are dealt in input order from the pools' state read under a row lock (every replica deals from
 * the same counts, one after the other), the new state is written back, and each decision is recorded `reserved`.
 * The caller creates the Leads, then `confirmAssignments` (or `releaseAssignments` for contacts that got none).
 */
export async function routeBatch(
  db: Database,
  context: RouteBatchContext,
  items: ReadonlyArray<{ contactId: string; facts: RoutingFacts }>,
): Promise<Map<string, RoutedContact>> {
  const routed = new Map<string, RoutedContact>();
  if (items.length === 0) return routed;
  return db.transaction(async (tx) => {
    const reserved = await reservedAssignments(
      tx,
      items.map((item) => item.contactId),
    );
    for (const [contactId, row] of reserved) routed.set(contactId, { assignmentId: row.id, decision: decisionOf(row) });
    const fresh = uniqueBy(
      items.filter((item) => !reserved.has(item.contactId)),
      (item) => item.contactId,
    );
    if (fresh.length === 0) return routed;
    const before = await lockPoolStates(tx, context.routing);
    let pools: PoolStates = before;
    const decisions = fresh.map((item) => {
      const decided = decideRoute(item.facts, context.routing, context.directory, pools, context.now);
      pools = decided.pools;
      return { item, decision: decided.decision };
    });
    await saveChangedStates(tx, before, pools);
    const ids = await reserveAssignments(
      tx,
      decisions.map(({ item, decision }) => ({
        contactId: item.contactId,
        kind: 'initial',
        decision: storedDecision(decision, item.facts.fastTrack),
        pool: decision.pool,
        member: decision.member,
        routingVersion: context.routingVersion,
        decidedAt: context.now,
      })),
    );
    decisions.forEach(({ item, decision }, n) => {
      routed.set(item.contactId, { assignmentId: ids[n] as string, decision });
    });
    return routed;
  });
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
