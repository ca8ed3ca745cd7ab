import { z } from 'zod';
import { LIFECYCLE_ORDER } from '../lifecycle.ts';

/** A day (`2026-01-01`, midnight UTC) or an instant with an offset; kept as an ISO instant. */
const instant = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .transform((text) => new Date(text.length === 10 ? `${text}T00:00:00Z` : text).toISOString());

const STAGES = [...LIFECYCLE_ORDER, 'other'] as const;

/**
 * Which contacts a backfill goes through; empty means every contact. Dates bound HubSpot's `createdate` and
 * `lastmodifieddate` (after: inclusive, before: exclusive).
 */
export const backfillFilterSchema = z
  .strictObject({
    createdAfter: instant.optional().describe('Contacts created at or after this day or instant'),
    createdBefore: instant.optional().describe('Contacts created before this day or instant'),
    modifiedAfter: instant.optional().describe('Contacts last modified at or after this day or instant'),
    modifiedBefore: instant.optional().describe('Contacts last modified before this day or instant'),
    lifecycleStages: z
      .array(z.enum(STAGES))
      .min(1)
      .max(STAGES.length)
      .optional()
      .describe('Only contacts in one of these lifecycle stages'),
  })
  .refine((f) => !f.createdAfter || !f.createdBefore || f.createdAfter < f.createdBefore, {
    path: ['createdBefore'],
    message: 'must be after createdAfter',
  })
  .refine((f) => !f.modifiedAfter || !f.modifiedBefore || f.modifiedAfter < f.modifiedBefore, {
    path: ['modifiedBefore'],
    message: 'must be after modifiedAfter',
  });

export type BackfillFilter = z.output<typeof backfillFilterSchema>;

export function isEmptyFilter(filter: BackfillFilter): boolean {
  return Object.values(filter).every((value) => value === undefined);
}
