import { z } from 'zod';
import { type Parsed, problemsFromZod } from '../mappings/problems.ts';
import { checkUniqueCodes, findByCode } from '../mappings/reason-codes.ts';

/** Loss-reason codes are Salesforce picklist API values, read back case-insensitively: plain snake_case. */
const codeSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, 'code must be snake_case (lower-case letters, digits, _)');
/** HubSpot list names are free text, but an empty or padded name would never match the portal's list. */
const listNameSchema = z.string().trim().min(1, 'list name must not be empty');
/** HubSpot internal property names (not labels): lower-case letters, digits and _. */
const propertySchema = z.string().regex(/^[a-z][a-z0-9_]*$/, 'a HubSpot internal property name (lower-case letters, digits, _)');
/** A Salesforce API name; custom fields end in __c. */
const fieldSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a Salesforce field API name (custom fields end in __c)');

const lossReasonSchema = z.strictObject({
  code: codeSchema,
  label: z.string().trim().min(1, 'label must not be empty'),
  /** The HubSpot list a contact whose deal was lost for this reason joins; default `lost.nurtureList`. */
  nurtureList: listNameSchema.optional(),
});
export type LossReason = z.output<typeof lossReasonSchema>;

const wonSchema = z.strictObject({
  /** Forward only: a contact already past it (an evangelist) keeps its stage. */
  lifecyclestage: z.literal('customer').default('customer'),
  /** The HubSpot number property that receives the Opportunity's Amount. */
  amountProperty: propertySchema,
  /** The HubSpot date property that receives the Opportunity's CloseDate. */
  closeDateProperty: propertySchema,
});

const lostSchema = z.strictObject({
  /** HubSpot Lead Status internal value set on a lost deal (NEW, OPEN, IN_PROGRESS, OPEN_DEAL, UNQUALIFIED, BAD_TIMING, …). */
  hs_lead_status: z.string().trim().min(1, 'hs_lead_status must not be empty'),
  /** The list for a deal lost without a reason, or for a reason with no list of its own. */
  nurtureList: listNameSchema,
  reasons: z.array(lossReasonSchema).default([]).superRefine(checkUniqueCodes),
});

export const revenueSchema = z
  .strictObject({
    version: z.string().min(1, 'version must be a non-empty string'),
    /** false: the poll does not follow Opportunities at all (no Salesforce call, no HubSpot write). */
    enabled: z.boolean(),
    salesforce: z
      .strictObject({
        /** The Opportunity picklist holding the loss reason; unset, every lost deal goes to `lost.nurtureList`. */
        lossReasonField: fieldSchema.optional(),
      })
      // `salesforce:` left empty once its one line is removed reads as YAML null: no field, as if absent.
      .nullish()
      .transform((value) => value ?? {}),
    won: wonSchema.optional(),
    lost: lostSchema.optional(),
  })
  .superRefine((revenue, ctx) => {
    if (revenue.enabled && !revenue.won)
      ctx.addIssue({ code: 'custom', path: ['won'], message: 'enabled is true: say what a won deal writes' });
    if (revenue.enabled && !revenue.lost)
      ctx.addIssue({ code: 'custom', path: ['lost'], message: 'enabled is true: say what a lost deal does' });
    if (revenue.won && revenue.won.amountProperty === revenue.won.closeDateProperty)
      ctx.addIssue({ code: 'custom', path: ['won', 'closeDateProperty'], message: 'the amount and the close date need a property each' });
    if ((revenue.lost?.reasons.length ?? 0) > 0 && !revenue.salesforce.lossReasonField)
      ctx.addIssue({
        code: 'custom',
        path: ['lost', 'reasons'],
        message: 'loss reasons are read from salesforce.lossReasonField: name the Opportunity field, or list no reasons',
      });
  });

export type RevenueConfig = z.output<typeof revenueSchema>;
/** What follow-up does when it is enabled (won and lost are then present). */
export type EnabledRevenue = RevenueConfig & Required<Pick<RevenueConfig, 'won' | 'lost'>>;

export function isFollowed(revenue: RevenueConfig): revenue is EnabledRevenue {
  return revenue.enabled && revenue.won !== undefined && revenue.lost !== undefined;
}

/** The loss reason with this code (trimmed, case-insensitive), or undefined. */
export function findLossReason(revenue: EnabledRevenue, code: string | null | undefined): LossReason | undefined {
  return findByCode(revenue.lost.reasons, code);
}

/** The nurture list of a deal lost for `code`: the reason's own, else the default. */
export function lostNurtureList(revenue: EnabledRevenue, code: string | null | undefined): string {
  return findLossReason(revenue, code)?.nurtureList ?? revenue.lost.nurtureList;
}

/** Every list a lost deal may join, once each, default first (setup creates them). */
export function revenueLists(revenue: RevenueConfig): string[] {
  if (!isFollowed(revenue)) return [];
  return [...new Set([revenue.lost.nurtureList, ...revenue.lost.reasons.flatMap((r) => (r.nurtureList ? [r.nurtureList] : []))])];
}

/**
 * The revenue follow-up of a configuration version saved before revenue.yaml existed: none, as then. The poll reads
 * no Opportunity and writes nothing to HubSpot for one until an admin publishes a version with the file.
 */
export const REVENUE_BEFORE_FILE_EXISTED = `# Added by Handoff: this version was saved before revenue.yaml existed.
# Converted Leads' Opportunities are not followed, as then.
version: "0"
enabled: false
`;

export function parseRevenue(file: string, data: unknown): Parsed<RevenueConfig> {
  const result = revenueSchema.safeParse(data);
  return result.success ? { ok: true, value: result.data } : { ok: false, problems: problemsFromZod(file, result.error) };
}
