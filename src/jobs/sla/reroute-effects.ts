import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import type { NotificationChannelName } from '../../core/routing/owner-notification.ts';
import { slaClocksFor } from '../../core/sla/sla-clocks.ts';
import type { Database, Queryable } from '../../store/database.ts';
import { appendHistory } from '../../store/history.ts';
import { type AssignmentRow, confirmAssignments, releaseAssignments } from '../../store/lead-assignments.ts';
import { enqueueOwnerNotifications } from '../../store/owner-notifications.ts';
import { park } from '../../store/parked.ts';
import { lockUnsettledReroute, type SlaTimer, settleReroutes, startClocks } from '../../store/sla-timers.ts';
import type { ResolvedDirectory } from '../routing/routing-deps.ts';
import { type LeadFacts, rerouteNotifications } from './reroute-message.ts';

/** A decided move: the breached clock, the assignment it ran for, and the reserved re-route. */
export interface Move {
  timer: SlaTimer;
  current: AssignmentRow;
  next: AssignmentRow;
}

/**
 * Salesforce took the new owner: in one transaction the re-route is assigned, the new owner's first-touch clock
 * starts, the old clock is settled, both owners' notifications are queued and the audit records the move.
 */
export async function commitMove(
  deps: { db: Database; instanceUrl: () => string; channels?: readonly NotificationChannelName[] },
  bundle: MappingsBundle,
  directory: ResolvedDirectory,
  move: Move,
  lead: LeadFacts | undefined,
  now: Date,
) {
  const { timer, current, next } = move;
  const newOwnerId = next.ownerId as string;
  const fastTrack = next.decision.fastTrack ?? false;
  // The new owner's first touch counts from now, by the SLA rule the Lead had (its segment, source, fast track).
  const clocks = slaClocksFor({ handedOffAt: now, source: timer.source, segmentId: timer.segment, fastTrack }, bundle.sla);
  const firstTouch = clocks.clocks.find((c) => c.kind === 'first_touch');
  const pool = bundle.routing.pools.find((p) => p.id === next.poolId);
  await deps.db.transaction(async (tx) => {
    if (!(await lockUnsettledReroute(tx, timer.id))) return;
    await confirmAssignments(tx, [{ assignmentId: next.id, leadId: timer.leadId, ownerId: newOwnerId, assignedAt: now }]);
    if (firstTouch)
      await startClocks(tx, [
        {
          leadId: timer.leadId,
          hubspotContactId: timer.hubspotContactId,
          kind: 'first_touch',
          rule: firstTouch.rule,
          source: timer.source,
          segment: timer.segment,
          definitionVersion: timer.definitionVersion,
          handedOffAt: now,
          routingDelayMs: null,
          warnAt: firstTouch.warnAt,
          dueAt: firstTouch.dueAt,
          assignmentId: next.id,
          ownerId: newOwnerId,
        },
      ]);
    await settleReroutes(tx, [timer.id], now);
    const message = {
      assignmentId: next.id,
      timer,
      lead,
      fastTrack,
      newOwnerId,
      previousOwnerId: current.ownerId as string,
      slaDueAt: firstTouch?.dueAt ?? timer.dueAt,
      routedBy: next.decision.reason,
      slackChannel: pool?.slackChannel,
    };
    await enqueueOwnerNotifications(tx, rerouteNotifications(message, bundle, directory, deps.instanceUrl(), deps.channels), { now });
    await appendHistory(tx, [
      {
        hubspotContactId: timer.hubspotContactId,
        salesforceId: timer.leadId,
        action: 'rerouted',
        reason: next.decision.reason,
        detail: {
          clock: 'first_touch',
          how: next.decision.how,
          pool: next.poolId,
          fromOwnerId: current.ownerId,
          toOwnerId: newOwnerId,
          assignmentId: next.id,
          dueAt: firstTouch?.dueAt.toISOString() ?? null,
        },
      },
    ]);
  });
}

/** The move is not made after all (the owner changed in Salesforce meanwhile): released and recorded as kept. */
export async function keepMove(db: Database, move: Move, why: string, now: Date) {
  await db.transaction(async (tx: Queryable) => {
    await releaseAssignments(tx, [move.next.id]);
    await settleReroutes(tx, [move.timer.id], now);
    await appendHistory(tx, [
      {
        hubspotContactId: move.timer.hubspotContactId,
        salesforceId: move.timer.leadId,
        action: 'reroute_kept',
        reason: `first touch missed, owner kept: ${why}`,
        detail: { clock: 'first_touch', pool: move.current.poolId, fromOwnerId: move.current.ownerId, assignmentId: move.current.id },
      },
    ]);
  });
}

/** A permanent refusal: the move is given up (its reservation released) and parked for a person. */
export async function parkMove(db: Database, move: Move, message: string, code: string | undefined, now: Date) {
  await db.transaction(async (tx: Queryable) => {
    await releaseAssignments(tx, [move.next.id]);
    await settleReroutes(tx, [move.timer.id], now);
    await park(tx, {
      kind: 'sla_reroute',
      recordKey: move.timer.leadId,
      provider: 'salesforce',
      message,
      context: { ...(code ? { code } : {}), step: 'owner_update', timerId: move.timer.id },
    });
    await appendHistory(tx, [
      {
        hubspotContactId: move.timer.hubspotContactId,
        salesforceId: move.timer.leadId,
        action: 'parked',
        reason: `re-route after the missed first touch refused by Salesforce: ${message}`,
        detail: { kind: 'sla_reroute', clock: 'first_touch', ...(code ? { code } : {}) },
      },
    ]);
  });
}
