import { z } from 'zod';

/**
 * The shapes a replay needs from a parked item's stored context. Contexts are written by this service,
 * but they outlive releases: each is checked before use, and a context that does not fit fails the
 * replay with the path of what is wrong instead of writing half a record.
 */

const feedback = z.object({
  properties: z.record(z.string(), z.string()),
  lifecyclestage: z.string().min(1).optional(),
  lists: z.object({ add: z.array(z.string()), remove: z.array(z.string()) }),
});

export const salesFeedbackContext = z.object({
  contactId: z.string().min(1),
  stage: z.string().nullable().optional(),
  feedback,
  /** The Lead's fingerprint when it was parked; a different one now means the Lead has moved on. */
  fingerprint: z.string().optional(),
  /** The audit entry the poll would have written had HubSpot accepted the feedback. */
  history: z
    .object({
      action: z.enum(['status_synced', 'rejected', 'recycled', 'sql_qualified', 'converted', 'fields_synced']),
      reason: z.string(),
      detail: z.record(z.string(), z.unknown()),
    })
    .optional(),
  convertedContactId: z.string().min(1).optional(),
});

/** A won or lost deal HubSpot did not take (the Opportunity poll): the feedback, its audit entry, the deal's fingerprint. */
export const opportunityFeedbackContext = z.object({
  contactId: z.string().min(1),
  feedback,
  fingerprint: z.string().optional(),
  history: z
    .object({
      action: z.enum(['opportunity_won', 'opportunity_lost', 'fields_synced']),
      reason: z.string(),
      detail: z.record(z.string(), z.unknown()),
    })
    .optional(),
});

export const writebackContext = z.object({
  properties: z.record(z.string(), z.string()).optional(),
  /** The sales-ready list the contact did not get into. */
  list: z.string().min(1).optional(),
});

export const slaAlertContext = z.object({
  alert: z.object({
    event: z.enum(['sla_warning', 'sla_breached']),
    clock: z.enum(['first_touch', 'disposition']),
    leadId: z.string().min(1),
    hubspotContactId: z.string().min(1),
    rule: z.string(),
    dueAt: z.string(),
    lateByMs: z.number().nullable(),
    text: z.string(),
  }),
});

export function storedContext<T extends z.ZodType>(schema: T, context: unknown): z.output<T> {
  const parsed = schema.safeParse(context);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `context.${issue.path.join('.')}: ${issue.message}`);
  throw new Error(`the stored context cannot be replayed: ${problems.join('; ')}`);
}
