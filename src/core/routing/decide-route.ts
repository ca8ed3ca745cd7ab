import type { HubSpotProperties } from '../contact.ts';
import { evaluateWhen } from '../definitions/conditions.ts';
import { type MemberState, pickMember, type ResolvedUser, type SkippedMember } from './round-robin.ts';
import type { Pool, RoutingConfig, RoutingRule, RoutingWhen } from './routing-schema.ts';

/** What routing knows of one qualified contact (read by the job before the decision). */
export interface RoutingFacts {
  /** Contact properties, with `company.<name>` for the primary company's (as the MQL definition reads them). */
  properties: HubSpotProperties;
  segmentId: string;
  /** hs_analytics_source. */
  source: string | null | undefined;
  fastTrack: boolean;
  /** Accounts whose website holds the contact's e-mail domain or its company's domain. */
  accountOwners: ReadonlyArray<{ accountId: string; accountName: string; domain: string; ownerId: string }>;
  /** The HubSpot contact owner's e-mail, when the contact has an owner. */
  hubspotOwnerEmail?: string;
}

/** The org as far as routing needs it: users by e-mail (lower case) and by Id, queues by API name. */
export interface RoutingDirectory {
  users: ReadonlyMap<string, ResolvedUser>;
  queues: ReadonlyMap<string, { id: string; supportsLead: boolean }>;
}

/** Who the Lead goes to: a user, a queue, or whoever the org's assignment rule picks (learnt after the create). */
export type RouteOwner =
  | { kind: 'user'; id: string }
  | { kind: 'queue'; id: string; name: string }
  | { kind: 'assignment-rule'; ruleId?: string };

export interface RouteDecision {
  /** The rule that gave the owner, or the fallback. */
  rule: { id: string; label: string };
  strategy: RoutingRule['strategy'] | 'fallback';
  owner: RouteOwner;
  /** The pool that dealt the Lead, and the member (as the file names it). */
  pool?: string;
  member?: string;
  /** Rules tried before, and why each gave no owner. */
  passed: Array<{ ruleId: string; reason: string }>;
  /** Pool members passed over, with the pool and why. */
  skipped: Array<SkippedMember & { pool: string }>;
  /** One sentence for the audit trail and the rep. */
  reason: string;
}

export type PoolStates = ReadonlyMap<string, ReadonlyMap<string, MemberState>>;

export const FALLBACK_RULE = { id: 'fallback', label: 'Fallback' } as const;

/**
 * Pure: rules in file order, the first that gives an owner wins; a rule whose `when` does not hold, an existing-owner
 * rule that finds no active owner, or a pool whose members are all skipped passes to the next rule, and after the
 * last the fallback decides. Returns the decision and the pools' state after it (to be written under the lock the
 * state was read with).
 */
export function decideRoute(
  facts: RoutingFacts,
  routing: RoutingConfig,
  directory: RoutingDirectory,
  pools: PoolStates,
  now: Date,
): { decision: RouteDecision; pools: PoolStates } {
  const passed: RouteDecision['passed'] = [];
  const skipped: RouteDecision['skipped'] = [];
  for (const rule of routing.rules) {
    const unmet = rule.when ? unmetCondition(rule.when, facts) : undefined;
    if (unmet) {
      passed.push({ ruleId: rule.id, reason: unmet });
      continue;
    }
    const tried = tryRule(rule, facts, routing, directory, pools, now);
    if (tried.skipped) skipped.push(...tried.skipped);
    if (tried.kind === 'pass') {
      passed.push({ ruleId: rule.id, reason: tried.reason });
      continue;
    }
    const decision: RouteDecision = {
      rule: { id: rule.id, label: rule.label },
      strategy: rule.strategy,
      owner: tried.owner,
      ...(tried.pool ? { pool: tried.pool } : {}),
      ...(tried.member ? { member: tried.member } : {}),
      passed,
      skipped,
      reason: `${rule.label}: ${tried.why}`,
    };
    return { decision, pools: tried.pools ?? pools };
  }
  return { decision: fallbackDecision(routing, directory, passed, skipped), pools };
}

type RuleOutcome =
  | {
      kind: 'owner';
      owner: RouteOwner;
      why: string;
      pool?: string;
      member?: string;
      pools?: PoolStates;
      skipped?: RouteDecision['skipped'];
    }
  | { kind: 'pass'; reason: string; skipped?: RouteDecision['skipped'] };

function tryRule(
  rule: RoutingRule,
  facts: RoutingFacts,
  routing: RoutingConfig,
  directory: RoutingDirectory,
  pools: PoolStates,
  now: Date,
): RuleOutcome {
  if (rule.strategy === 'salesforce-rules') {
    const owner: RouteOwner = rule.assignmentRule ? { kind: 'assignment-rule', ruleId: rule.assignmentRule } : { kind: 'assignment-rule' };
    return {
      kind: 'owner',
      owner,
      why: rule.assignmentRule ? `assignment rule ${rule.assignmentRule}` : "the org's active assignment rule",
    };
  }
  if (rule.strategy === 'existing-owner') return existingOwner(rule, facts, directory);
  const pool = routing.pools.find((p) => p.id === rule.pool);
  if (!pool) return { kind: 'pass', reason: `pool ${rule.pool} is not defined` };
  return fromPool(pool, directory, pools, now);
}

function existingOwner(rule: RoutingRule, facts: RoutingFacts, directory: RoutingDirectory): RuleOutcome {
  const misses: string[] = [];
  for (const source of rule.ownerFrom) {
    if (source === 'accountDomain') {
      const accounts = facts.accountOwners.filter((account) => directory.users.get(account.ownerId)?.active);
      const account = accounts[0];
      if (account)
        return {
          kind: 'owner',
          owner: { kind: 'user', id: account.ownerId },
          why: `owner of Account ${account.accountName} (${account.domain})`,
        };
      misses.push(facts.accountOwners.length > 0 ? 'the matching Account has no active owner' : 'no Account website matches the domain');
    } else {
      const email = facts.hubspotOwnerEmail?.toLowerCase();
      const user = email ? directory.users.get(email) : undefined;
      if (user?.active)
        return { kind: 'owner', owner: { kind: 'user', id: user.id }, why: 'the HubSpot contact owner (same e-mail in Salesforce)' };
      misses.push(!email ? 'the contact has no HubSpot owner' : 'the HubSpot owner has no active Salesforce user with that e-mail');
    }
  }
  return { kind: 'pass', reason: misses.join('; ') };
}

function fromPool(pool: Pool, directory: RoutingDirectory, pools: PoolStates, now: Date): RuleOutcome {
  if (pool.queue !== undefined) {
    const queue = directory.queues.get(pool.queue);
    if (!queue) return { kind: 'pass', reason: `queue ${pool.queue} does not exist in Salesforce` };
    if (!queue.supportsLead) return { kind: 'pass', reason: `queue ${pool.queue} cannot own Leads` };
    return { kind: 'owner', owner: { kind: 'queue', id: queue.id, name: pool.queue }, why: `queue ${pool.queue}`, pool: pool.id };
  }
  const pick = pickMember(pool, pools.get(pool.id) ?? new Map(), directory.users, now);
  const skipped = pick.skipped.map((s) => ({ ...s, pool: pool.id }));
  if (!pick.picked) return { kind: 'pass', reason: `every member of pool ${pool.id} was skipped`, skipped };
  const next = new Map(pools);
  next.set(pool.id, pick.next);
  return {
    kind: 'owner',
    owner: { kind: 'user', id: pick.picked.userId },
    why: `round robin in pool ${pool.label}`,
    pool: pool.id,
    member: pick.picked.user,
    pools: next,
    skipped,
  };
}

function fallbackDecision(
  routing: RoutingConfig,
  directory: RoutingDirectory,
  passed: RouteDecision['passed'],
  skipped: RouteDecision['skipped'],
): RouteDecision {
  const base = { rule: { ...FALLBACK_RULE }, strategy: 'fallback' as const, passed, skipped };
  const fallback = routing.fallback;
  const orgRule = (why: string): RouteDecision => ({ ...base, owner: { kind: 'assignment-rule' }, reason: `Fallback: ${why}` });
  if (fallback === 'salesforce-rules') return orgRule("the org's active assignment rule");
  if ('user' in fallback) {
    const user = directory.users.get(fallback.user);
    if (user?.active) return { ...base, owner: { kind: 'user', id: user.id }, reason: `Fallback: ${fallback.user}` };
    return orgRule(`${fallback.user} is not an active Salesforce user, so the org's assignment rule decides`);
  }
  const queue = directory.queues.get(fallback.queue);
  if (queue?.supportsLead)
    return { ...base, owner: { kind: 'queue', id: queue.id, name: fallback.queue }, reason: `Fallback: queue ${fallback.queue}` };
  return orgRule(`queue ${fallback.queue} cannot own Leads here, so the org's assignment rule decides`);
}

/** Why a rule's `when` does not hold, or undefined when it does. */
function unmetCondition(when: RoutingWhen, facts: RoutingFacts): string | undefined {
  if (when.segment && !when.segment.includes(facts.segmentId)) return `segment ${facts.segmentId} is not ${when.segment.join(' or ')}`;
  if (when.source && !when.source.includes(facts.source ?? ''))
    return `source ${facts.source || '(none)'} is not ${when.source.join(' or ')}`;
  if (when.fastTrack !== undefined && when.fastTrack !== facts.fastTrack)
    return when.fastTrack ? 'not qualified by a fast track' : 'qualified by a fast track';
  if (when.match) {
    const result = evaluateWhen(when.match, facts.properties);
    if (!result.matched) return `does not match: ${result.detail}`;
  }
  return undefined;
}
