import { z } from 'zod';
import { type Parsed, problemsFromZod } from '../mappings/problems.ts';
import { checkUniqueCodes, findByCode } from '../mappings/reason-codes.ts';

/** Codes are Salesforce picklist API values and HubSpot enumeration values: keep them plain snake_case. */
const codeSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, 'code must be snake_case (lower-case letters, digits, _)');
/** HubSpot list names are free text, but an empty or padded name would never match the portal's list. */
const listNameSchema = z.string().trim().min(1, 'list name must not be empty');

/** What a rejection does in HubSpot: recycle (back to `lead`, may re-qualify later) or hold (stays out of the funnel). */
const FEEDBACK_LIFECYCLES = ['recycle', 'hold'] as const;
export type FeedbackLifecycle = (typeof FEEDBACK_LIFECYCLES)[number];

const feedbackSchema = z.strictObject({
  lifecycle: z.enum(FEEDBACK_LIFECYCLES),
  nurtureList: listNameSchema,
  /** Sets the recycle-after date (today + days) from which marketing may re-qualify the contact. */
  recycleAfterDays: z.number().int('recycleAfterDays must be a whole number').positive('recycleAfterDays must be > 0').optional(),
});

const reasonSchema = z.strictObject({
  code: codeSchema,
  label: z.string().trim().min(1, 'label must not be empty'),
  requiresNote: z.boolean().default(false),
  feedback: feedbackSchema,
});
export type RejectionReason = z.output<typeof reasonSchema>;

export const rejectionTaxonomySchema = z
  .strictObject({
    version: z.string().min(1, 'version must be a non-empty string'),
    /** Contacts are removed from this list when sales rejects them. */
    salesReadyList: listNameSchema,
    reasons: z.array(reasonSchema).min(1, 'list at least one rejection reason').superRefine(checkUniqueCodes),
  })
  .superRefine((taxonomy, ctx) => {
    taxonomy.reasons.forEach((reason, i) => {
      if (reason.feedback.nurtureList.toLowerCase() === taxonomy.salesReadyList.toLowerCase()) {
        ctx.addIssue({
          code: 'custom',
          path: ['reasons', i, 'feedback', 'nurtureList'],
          message: 'a nurture list cannot be the sales-ready list (the contact would be added and removed at once)',
        });
      }
    });
  });
export type RejectionTaxonomy = z.output<typeof rejectionTaxonomySchema>;

/** The reason with this code (trimmed, case-insensitive), or undefined. */
export function findReason(taxonomy: RejectionTaxonomy, code: string | null | undefined): RejectionReason | undefined {
  return findByCode(taxonomy.reasons, code);
}

/** Every nurture list the taxonomy names, once each, in file order. */
export function nurtureLists(taxonomy: RejectionTaxonomy): string[] {
  return [...new Set(taxonomy.reasons.map((r) => r.feedback.nurtureList))];
}

export function parseRejectionTaxonomy(file: string, data: unknown): Parsed<RejectionTaxonomy> {
  const result = rejectionTaxonomySchema.safeParse(data);
  return result.success ? { ok: true, value: result.data } : { ok: false, problems: problemsFromZod(file, result.error) };
}
