import { z } from 'zod';
import { whenSchema } from '../definitions/conditions.ts';
import { type Parsed, problemsFromZod } from '../mappings/problems.ts';
import { calendarSchema } from '../sla/sla-schema.ts';

const idSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'id must be lower-case letters, digits, - or _');

/** Salesforce User Id: key prefix 005, 15 or 18 characters (Object Reference, "User"; "Salesforce IDs"). */
export const SALESFORCE_USER_ID = /^005[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?$/;
/** AssignmentRule Id: key prefix 01Q (REST API Developer Guide, "Assignment Rule Header"). */
export const ASSIGNMENT_RULE_ID = /^01Q[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A Salesforce user named by e-mail (what an admin knows) or by User Id; e-mails compare case-insensitively. */
export const userRefSchema = z
  .string()
  .trim()
  .refine((ref) => EMAIL.test(ref) || SALESFORCE_USER_ID.test(ref), 'user must be an e-mail address or a Salesforce User Id (005…)')
  .transform((ref) => (EMAIL.test(ref) ? ref.toLowerCase() : ref));

/** A queue by its API name (Group.DeveloperName), as Setup → Queues shows it. */
const queueRefSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'queue must be the queue API name (letters, digits, _), e.g. Inbound_Leads');

const slackChannelSchema = z
  .string()
  .regex(/^(#[a-z0-9][a-z0-9_-]{0,79}|[CG][A-Z0-9]{8,})$/, 'slackChannel must be #channel-name or a channel id (C…)');

const memberSchema = z.strictObject({
  user: userRefSchema,
  /** Share of the pool's leads: weight 2 gets twice as many as weight 1. */
  weight: z.number().int('weight must be a whole number').min(1, 'weight must be ≥ 1').max(100, 'weight must be ≤ 100').default(1),
  /** At most this many leads per local day (the pool's calendar time zone); none: no cap. */
  dailyCap: z.number().int('dailyCap must be a whole number').min(1, 'dailyCap must be ≥ 1').optional(),
  /** The member's own working hours, when they differ from the pool's. */
  calendar: calendarSchema.optional(),
});
export type PoolMember = z.output<typeof memberSchema>;

const poolSchema = z
  .strictObject({
    id: idSchema,
    label: z.string().trim().min(1, 'label must not be empty'),
    /** Round robin over these users… */
    members: z.array(memberSchema).min(1, 'a pool needs at least one member').optional(),
    /** …or every Lead to one queue (reps pick from the queue). */
    queue: queueRefSchema.optional(),
    /** Working hours: a member is dealt leads only inside them. None: any time. */
    calendar: calendarSchema.optional(),
    /** Who gets a Lead re-routed with `onFirstTouchBreach: manager`. */
    manager: userRefSchema.optional(),
    /** Where Slack notifications go when the owner has no Slack account by their e-mail (and for a queue). */
    slackChannel: slackChannelSchema.optional(),
  })
  .superRefine((pool, ctx) => {
    if ((pool.members === undefined) === (pool.queue === undefined))
      ctx.addIssue({ code: 'custom', path: [], message: 'a pool has either members (round robin) or a queue, not both and not neither' });
    const seen = new Map<string, number>();
    (pool.members ?? []).forEach((member, i) => {
      const first = seen.get(member.user);
      if (first !== undefined)
        ctx.addIssue({ code: 'custom', path: ['members', i, 'user'], message: `${member.user} is already a member (members[${first}])` });
      else seen.set(member.user, i);
    });
  });
export type Pool = z.output<typeof poolSchema>;

/** Which strategy a rule uses: the org's assignment rule, an existing owner, or a pool. */
export const ROUTING_STRATEGIES = ['salesforce-rules', 'existing-owner', 'pool'] as const;
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];

/** Where an existing owner is looked for, in the order given. */
export const OWNER_SOURCES = ['accountDomain', 'hubspotOwner'] as const;
export type OwnerSource = (typeof OWNER_SOURCES)[number];

/** Conditions on the qualified contact; all given ones must hold. */
const routingWhenSchema = z
  .strictObject({
    /** Segment ids of mql-definition.yaml. */
    segment: z.array(idSchema).min(1).optional(),
    /** hs_analytics_source internal values (PAID_SEARCH, ORGANIC_SEARCH, …). */
    source: z
      .array(z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'source must be an hs_analytics_source internal value such as PAID_SEARCH'))
      .min(1)
      .optional(),
    /** true: only contacts a fast track qualified; false: only the others. */
    fastTrack: z.boolean().optional(),
    /** Contact and company properties in the MQL definition's language (country, state, company.industry, …). */
    match: whenSchema.optional(),
  })
  .refine(
    (w) => w.segment !== undefined || w.source !== undefined || w.fastTrack !== undefined || w.match !== undefined,
    'when needs segment, source, fastTrack or match',
  );
export type RoutingWhen = z.output<typeof routingWhenSchema>;

const ruleSchema = z
  .strictObject({
    id: idSchema,
    label: z.string().trim().min(1, 'label must not be empty'),
    when: routingWhenSchema.optional(),
    strategy: z.enum(ROUTING_STRATEGIES),
    /** pool: the pool's id. */
    pool: idSchema.optional(),
    /** salesforce-rules: one assignment rule by id; none: the org's active rule. */
    assignmentRule: z.string().regex(ASSIGNMENT_RULE_ID, 'assignmentRule must be an AssignmentRule Id (01Q…)').optional(),
    /** existing-owner: where to look, in order. */
    ownerFrom: z
      .array(z.enum(OWNER_SOURCES))
      .min(1)
      .default([...OWNER_SOURCES]),
    /** pool: who takes the Lead when its owner misses the first-touch SLA. */
    onFirstTouchBreach: z.enum(['next-member', 'manager']).optional(),
  })
  .superRefine((rule, ctx) => {
    const only = (key: 'pool' | 'assignmentRule' | 'onFirstTouchBreach', strategy: RoutingStrategy) => {
      if (rule[key] !== undefined && rule.strategy !== strategy)
        ctx.addIssue({ code: 'custom', path: [key], message: `${key} belongs to strategy ${strategy}, not ${rule.strategy}` });
    };
    only('pool', 'pool');
    only('assignmentRule', 'salesforce-rules');
    only('onFirstTouchBreach', 'pool');
    if (rule.strategy === 'pool' && rule.pool === undefined)
      ctx.addIssue({ code: 'custom', path: ['pool'], message: 'strategy pool needs pool' });
  });
export type RoutingRule = z.output<typeof ruleSchema>;

/** When no rule gives an owner: one user, one queue, or the org's assignment rule. */
const fallbackSchema = z.union([
  z.literal('salesforce-rules'),
  z.strictObject({ user: userRefSchema }),
  z.strictObject({ queue: queueRefSchema }),
]);
export type RoutingFallback = z.output<typeof fallbackSchema>;

export const routingSchema = z
  .strictObject({
    version: z.string().min(1, 'version must be a non-empty string'),
    /** Which channels tell the owner (each needs its settings; see README). */
    notify: z.strictObject({ channels: z.array(z.enum(['slack', 'email', 'salesforce'])).default([]) }).default({ channels: [] }),
    pools: z.array(poolSchema).default([]),
    rules: z.array(ruleSchema).default([]),
    fallback: fallbackSchema,
  })
  .superRefine((routing, ctx) => {
    const pools = new Map<string, Pool>();
    routing.pools.forEach((pool, i) => {
      if (pools.has(pool.id)) ctx.addIssue({ code: 'custom', path: ['pools', i, 'id'], message: `duplicate pool id "${pool.id}"` });
      pools.set(pool.id, pool);
    });
    const ruleIds = new Set<string>();
    routing.rules.forEach((rule, i) => {
      if (ruleIds.has(rule.id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `duplicate rule id "${rule.id}"` });
      ruleIds.add(rule.id);
      if (rule.pool === undefined) return;
      const pool = pools.get(rule.pool);
      if (!pool)
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i, 'pool'],
          message: `pool "${rule.pool}" is not defined (pools: ${[...pools.keys()].join(', ') || 'none'})`,
        });
      else if (rule.onFirstTouchBreach === 'manager' && !pool.manager)
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'onFirstTouchBreach'], message: `pool "${pool.id}" names no manager` });
      else if (rule.onFirstTouchBreach === 'next-member' && !pool.members)
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i, 'onFirstTouchBreach'],
          message: `pool "${pool.id}" is a queue: it has no next member`,
        });
    });
  });
export type RoutingConfig = z.output<typeof routingSchema>;

export function parseRouting(file: string, data: unknown): Parsed<RoutingConfig> {
  const result = routingSchema.safeParse(data);
  return result.success ? { ok: true, value: result.data } : { ok: false, problems: problemsFromZod(file, result.error) };
}
