import { z } from 'zod';

/** Request and response shapes of the routing admin routes (the OpenAPI document is built from them). */

const idText = z.string().trim().min(1).max(320);

export const memberParams = z.strictObject({
  pool: idText.describe("The pool's id in routing.yaml"),
  member: idText.describe('The member as routing.yaml names it (e-mail, URL-encoded, or User Id 005…)'),
});

const when = z.string().describe('ISO 8601 instant');

const memberView = z.object({
  user: z.string().describe('As routing.yaml names it'),
  name: z.string().nullable().describe("The Salesforce user's name, when the directory answered"),
  weight: z.number().int(),
  dailyCap: z.number().int().nullable(),
  day: z.string().describe("Today in the member's (or pool's) time zone: the day the cap counts"),
  assignedToday: z.number().int().describe('Leads dealt on that day'),
  paused: z.boolean(),
  pausedBy: z.string().nullable(),
  pausedAt: when.nullable(),
  salesforce: z
    .object({ userId: z.string().nullable(), active: z.boolean() })
    .nullable()
    .describe('null: the directory did not answer; userId null: no user has this e-mail or Id'),
  availability: z
    .enum([
      'eligible',
      'paused',
      'outside_working_hours',
      'daily_cap_reached',
      'inactive_in_salesforce',
      'not_in_salesforce',
      'current_owner',
    ])
    .describe('eligible, or why the next lead would pass this member over now (core/routing/round-robin.ts SkipReason)'),
  availabilityDetail: z.string().nullable(),
});

const poolView = z.object({
  id: z.string(),
  label: z.string(),
  kind: z.enum(['members', 'queue']),
  queue: z.object({ name: z.string(), id: z.string().nullable(), exists: z.boolean().nullable() }).nullable(),
  timeZone: z.string().nullable().describe("The pool calendar's time zone; none: any time, UTC days"),
  manager: z.string().nullable(),
  next: z
    .object({ member: z.string(), userId: z.string() })
    .nullable()
    .describe('Who the next lead would go to now; null when every member would be passed over (or a queue)'),
  members: z.array(memberView),
});

export const poolList = z.object({
  routingVersion: z.string().describe("The active routing.yaml's version"),
  at: when.describe('The instant "today" and "next" are computed for'),
  directory: z.object({ available: z.boolean(), message: z.string().nullable() }),
  pools: z.array(poolView),
});

export const pauseOutcome = z.object({
  pool: z.string(),
  member: z.string(),
  paused: z.boolean(),
  pausedBy: z.string().nullable(),
  pausedAt: when.nullable(),
  changed: z.boolean().describe('false: the member already was in that state'),
});

export type PoolList = z.output<typeof poolList>;
export type PoolView = z.output<typeof poolView>;
export type MemberView = z.output<typeof memberView>;
export type PauseOutcome = z.output<typeof pauseOutcome>;

const notificationView = z.object({
  id: z.string(),
  kind: z.string(),
  channel: z.string(),
  recipientId: z.string(),
  state: z.string(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: when,
  deliveredAt: when.nullable(),
});

/** A routing decision in the record look-up: what was decided, why, and how the owner was told (never the message). */
export const assignmentView = z.object({
  id: z.string(),
  leadId: z.string().nullable(),
  kind: z.enum(['initial', 'reroute']),
  state: z.enum(['reserved', 'assigned', 'released']),
  ruleId: z.string(),
  strategy: z.string(),
  poolId: z.string().nullable(),
  member: z.string().nullable(),
  ownerId: z.string().nullable(),
  ownerKind: z.string(),
  previousOwnerId: z.string().nullable(),
  decision: z.record(z.string(), z.unknown()).describe('rule, reason, passed rules and skipped members, as decided'),
  routingVersion: z.string(),
  decidedAt: when,
  assignedAt: when.nullable(),
  notifications: z.array(notificationView),
});

/** A HubSpot contact id: digits, as HubSpot's record ids are. */
export const dryRunRequest = z.strictObject({
  contactId: z
    .string()
    .trim()
    .regex(/^[0-9]{1,20}$/, 'contactId must be a HubSpot contact id (digits)'),
});

const skippedView = z.object({ pool: z.string(), user: z.string(), reason: z.string(), detail: z.string() });

export const dryRunAnswer = z.object({
  contactId: z.string(),
  qualified: z.boolean().describe('Routing applies to MQLs whose Lead Handoff creates; shown for any contact'),
  segment: z.string(),
  score: z.number(),
  decision: z.object({
    rule: z.object({ id: z.string(), label: z.string() }),
    strategy: z.string(),
    owner: z.object({
      kind: z.enum(['user', 'queue', 'assignment-rule']),
      id: z.string().optional(),
      name: z.string().optional(),
      ruleId: z.string().optional(),
    }),
    pool: z.string().optional(),
    member: z.string().optional(),
    passed: z.array(z.object({ ruleId: z.string(), reason: z.string() })),
    skipped: z.array(skippedView),
    reason: z.string(),
  }),
});
