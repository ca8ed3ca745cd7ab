import type { OurLeadValues } from '../../core/sales/decide-lead-change.ts';
import type { LeadState } from '../../core/sales/lead-change-types.ts';
import type { Queryable } from '../../store/database.ts';
import { lastWritten } from '../../store/last-written.ts';
import { writeIntentsFor } from '../../store/write-intents.ts';

/**
 * What Handoff itself put in each Lead, per field: the values last written and committed, and the values a
 * handoff is writing right now (or was, when its process died) but has not committed yet. A Lead field
 * holding one of them is an echo of our own write, never a rep's edit to copy to HubSpot.
 */
export async function ourLeadValues(db: Queryable, leads: LeadState[]): Promise<Map<string, OurLeadValues>> {
  const written = await lastWritten(
    db,
    'salesforce',
    leads.map((lead) => lead.id),
  );
  const intents = await writeIntentsFor(db, [...new Set(leads.map((lead) => lead.hubspotContactId))]);
  const ours = new Map<string, OurLeadValues>();
  for (const lead of leads) {
    const values: Record<string, (string | null)[]> = {};
    for (const [field, value] of Object.entries(written.get(lead.id)?.values ?? {})) values[field] = [value];
    for (const [field, pending] of Object.entries(intents.get(lead.hubspotContactId) ?? {}))
      values[field] = [...(values[field] ?? []), ...pending];
    ours.set(lead.id, values);
  }
  return ours;
}
