import { SALESFORCE_LIMITS } from '../../adapters/salesforce/limits.ts';
import type { SalesforcePort } from '../../adapters/salesforce/salesforce-port.ts';
import { classifyFailure, type FailureFacts } from '../../core/handoff/failure-policy.ts';
import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import { decideReroute } from '../../core/routing/decide-reroute.ts';
import type { NotificationChannelName } from '../../core/routing/owner-notification.ts';
import { ProviderError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import type { Metrics } from '../../metrics/metrics.ts';
import type { Database } from '../../store/database.ts';
import { appendHistory } from '../../store/history.ts';
import {
  type AssignmentRow,
  latestAssignments,
  reserveAssignments,
  reservedAssignments,
  type StoredDecision,
} from '../../store/lead-assignments.ts';
import { lockPoolStates, saveChangedStates } from '../../store/routing-members.ts';
import { lockUnsettledReroute, type SlaTimer, settleReroutes, unsettledReroutes } from '../../store/sla-timers.ts';
import type { ResolveDirectory, ResolvedDirectory } from '../routing/routing-deps.ts';
import { commitMove, keepMove, type Move, parkMove } from './reroute-effects.ts';
import { readLeadFacts } from './reroute-message.ts';

/** What the SLA tick needs to re-route on a first-touch breach; without it no Lead is re-routed. */
export interface RerouteOptions {
  resolveDirectory: ResolveDirectory;
  /** The Salesforce instance URL, for the Lead link in the messages (known after login). */
  instanceUrl: () => string;
  /** The notification channels this service has settings for; routing.yaml chooses among them. */
  channels?: readonly NotificationChannelName[];
  metrics?: Pick<Metrics, 'reroute'>;
  /** Tells the notify worker that new notifications are queued (so they go out at once). */
  kickNotifications?: () => void;
  /** Breached clocks looked at per tick. */
  limit?: number;
}

export interface RerouteDeps extends RerouteOptions {
  db: Database;
  salesforce: SalesforcePort;
  mappings: () => MappingsBundle;
  logger: Logger;
  now: () => Date;
}

export interface RerouteCounts {
  rerouted: number;
  kept: number;
  parked: number;
  /** Left for the next tick: a retryable Salesforce failure. */
  waiting: number;
}

const ZERO: RerouteCounts = { rerouted: 0, kept: 0, parked: 0, waiting: 0 };

/**
 * Re-routes Leads whose first-touch clock breached when the rule that placed them says so (decideReroute, with the
 * active routing). Each move is decided under the pool rows' lock and reserved before Salesforce is asked, so a
 * retried tick reuses it instead of dealing again; the Lead's OwnerId is then updated (updates never run assignment
 * rules), and one transaction records the assignment, a new first-touch clock for the new owner, the notifications
 * to both owners and the audit entry. Salesforce failures follow the failure policy: retryable → next tick;
 * permanent → parked work (`sla_reroute`, replayed by reopening the clock); anything else is a bug and throws.
 */
export async function rerouteBreaches(deps: RerouteDeps): Promise<RerouteCounts> {
  const timers = await unsettledReroutes(deps.db, deps.limit ?? 50);
  if (timers.length === 0) return { ...ZERO };
  const now = deps.now();
  const bundle = deps.mappings();
  const routing = bundle.routing;
  const latest = await latestAssignments(deps.db, [...new Set(timers.map((t) => t.leadId))]);
  const candidates: Array<{ timer: SlaTimer; current: AssignmentRow & { ownerId: string } }> = [];
  const notRouted: string[] = [];
  for (const timer of timers) {
    const current = latest.get(timer.leadId);
    const rule = current && routing.rules.find((r) => r.id === current.ruleId);
    // Only the clock of the Lead's current assignment moves it; a clock from before routing, or a rule without
    // onFirstTouchBreach, is settled as it is (the breach itself is already recorded and announced).
    const own = current && (!timer.assignmentId || timer.assignmentId === current.id);
    if (current?.ownerId && own && rule?.onFirstTouchBreach) candidates.push({ timer, current: { ...current, ownerId: current.ownerId } });
    else notRouted.push(timer.id);
  }
  await settleReroutes(deps.db, notRouted, now);
  if (candidates.length === 0) return { ...ZERO };
  const counts = { ...ZERO };
  let directory: ResolvedDirectory;
  try {
    directory = await deps.resolveDirectory(routing, { userIds: [...new Set(candidates.map((c) => c.current.ownerId))] });
  } catch (error) {
    // Nothing is decided yet: any provider failure here leaves every breach for the next tick; a bug throws.
    if (classifyFailure(failureFacts(error), { salesforceDone: false }).action === 'fail') throw error;
    deps.logger.warn('re-routes wait: the Salesforce directory could not be read', { module: 'sla', leads: candidates.length });
    return { ...counts, waiting: candidates.length };
  }
  const moves: Move[] = [];
  for (const candidate of candidates) {
    const decided = await decideMove(deps, bundle, directory, candidate, now);
    if (decided === 'kept') counts.kept += 1;
    else if (decided) moves.push(decided);
  }
  if (moves.length === 0) return counts;
  await carryOut(deps, bundle, directory, moves, now, counts);
  if (counts.rerouted > 0) deps.kickNotifications?.();
  return counts;
}

/** Decides one breach under the locks (or reuses the move a failed tick reserved); 'kept' settles it. */
async function decideMove(
  deps: RerouteDeps,
  bundle: MappingsBundle,
  directory: ResolvedDirectory,
  { timer, current }: { timer: SlaTimer; current: AssignmentRow & { ownerId: string } },
  now: Date,
): Promise<Move | 'kept' | undefined> {
  return deps.db.transaction(async (tx) => {
    if (!(await lockUnsettledReroute(tx, timer.id))) return undefined;
    const reserved = (await reservedAssignments(tx, [timer.hubspotContactId], 'reroute')).get(timer.hubspotContactId);
    if (reserved && reserved.leadId === timer.leadId) return { timer, current, next: reserved };
    const pools = await lockPoolStates(tx, bundle.routing);
    const breach = { ruleId: current.ruleId, pool: current.poolId, currentOwnerId: current.ownerId };
    const decision = decideReroute(breach, bundle.routing, directory, pools, now);
    if (decision.action === 'keep') {
      await settleReroutes(tx, [timer.id], now);
      await appendHistory(tx, [
        {
          hubspotContactId: timer.hubspotContactId,
          salesforceId: timer.leadId,
          action: 'reroute_kept',
          reason: `first touch missed, owner kept: ${decision.reason}`,
          detail: { clock: 'first_touch', pool: current.poolId, fromOwnerId: current.ownerId, assignmentId: current.id },
        },
      ]);
      return 'kept';
    }
    await saveChangedStates(tx, pools, decision.pools);
    const rule = bundle.routing.rules.find((r) => r.id === current.ruleId);
    const pool = current.poolId ?? rule?.pool;
    const stored: StoredDecision = {
      rule: { id: current.ruleId, label: rule?.label ?? current.ruleId },
      strategy: 'pool',
      owner: { kind: 'user', id: decision.to.userId },
      reason: decision.reason,
      passed: [],
      skipped: decision.skipped.map((s) => ({ ...s, pool: pool ?? '' })),
      ...(current.decision.fastTrack !== undefined ? { fastTrack: current.decision.fastTrack } : {}),
      how: decision.how,
    };
    await reserveAssignments(tx, [
      {
        contactId: timer.hubspotContactId,
        kind: 'reroute',
        decision: stored,
        pool,
        member: decision.to.member,
        routingVersion: bundle.versions.routing,
        decidedAt: now,
        leadId: timer.leadId,
        previousOwnerId: current.ownerId,
      },
    ]);
    const next = (await reservedAssignments(tx, [timer.hubspotContactId], 'reroute')).get(timer.hubspotContactId);
    if (!next) throw new Error('the reserved re-route was not found in its own transaction');
    return { timer, current, next };
  });
}

/**
 * Moves the Leads in Salesforce (one query, one update), then records each outcome. A Lead someone else gave a new
 * owner in Salesforce since (its OwnerId is neither the routed owner nor the new one) is left with that owner.
 */
async function carryOut(
  deps: RerouteDeps,
  bundle: MappingsBundle,
  directory: ResolvedDirectory,
  moves: Move[],
  now: Date,
  counts: RerouteCounts,
) {
  const leads = await salesforceStep(deps, moves, now, counts, () =>
    readLeadFacts(
      deps.salesforce,
      bundle,
      moves.map((m) => m.timer.leadId),
    ),
  );
  if (!leads) return;
  const go: Move[] = [];
  for (const move of moves) {
    const owner = leads.get(move.timer.leadId)?.ownerId;
    if (owner === undefined || owner === move.current.ownerId || owner === move.next.ownerId) go.push(move);
    else {
      await keepMove(deps.db, move, 'the Lead was given another owner in Salesforce since it was routed', now);
      counts.kept += 1;
    }
  }
  if (go.length === 0) return;
  const saves = await salesforceStep(deps, go, now, counts, () =>
    deps.salesforce.updateRecords(
      'Lead',
      go.map((m) => ({ Id: m.timer.leadId, OwnerId: m.next.ownerId as string })),
    ),
  );
  if (!saves) return;
  for (const [index, move] of go.entries()) {
    const save = saves[index];
    const code = save?.errors[0]?.statusCode;
    if (save?.success) {
      await commitMove(deps, bundle, directory, move, leads.get(move.timer.leadId), now);
      counts.rerouted += 1;
      deps.metrics?.reroute(move.next.decision.how ?? 'next-member');
    } else if (code && (SALESFORCE_LIMITS.errorCodes.retry as readonly string[]).includes(code)) {
      counts.waiting += 1;
    } else {
      await parkMove(deps.db, move, `${code ?? 'UNKNOWN'}: ${save?.errors[0]?.message ?? 'no result for this Lead'}`, code, now);
      counts.parked += 1;
    }
  }
}

/** One Salesforce call for these moves under the failure policy: undefined when the moves wait or were parked. */
async function salesforceStep<T>(
  deps: RerouteDeps,
  moves: Move[],
  now: Date,
  counts: RerouteCounts,
  call: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    const action = classifyFailure(failureFacts(error), { salesforceDone: false });
    if (action.action === 'fail') throw error;
    if (action.action === 'retry') {
      deps.logger.warn('re-route not done: Salesforce failed, retried next tick', {
        module: 'sla',
        leads: moves.length,
        reason: action.reason,
      });
      counts.waiting += moves.length;
      return undefined;
    }
    const code = error instanceof ProviderError ? error.code : undefined;
    for (const move of moves) await parkMove(deps.db, move, (error as Error).message, code, now);
    counts.parked += moves.length;
    return undefined;
  }
}

function failureFacts(error: unknown): FailureFacts {
  if (!(error instanceof ProviderError)) return { kind: 'other', retryable: false };
  return { kind: 'provider', retryable: error.retryable, ...(error.code ? { code: error.code } : {}) };
}
