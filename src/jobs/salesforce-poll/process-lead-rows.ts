import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import { decideLeadChange } from '../../core/sales/decide-lead-change.ts';
import type { Queryable } from '../../store/database.ts';
import { leadMemories } from '../../store/lead-memory.ts';
import { erasedContacts } from '../../store/personal-data.ts';
import { toLeadState } from './lead-state.ts';
import { ourLeadValues } from './our-lead-values.ts';
import type { LeadPollDeps } from './poll-types.ts';
import { processLeadPage } from './process-lead-page.ts';

/** The poll's outcome for a Lead whose HubSpot contact was erased on a deletion: left alone, counted. */
const ERASED_CONTACT = 'skipped: contact erased';

/**
 * Lead rows as Salesforce answered them (a poll page, or the Leads a batch of change events named) → decided in
 * core → carried out, with `alsoInTransaction` (a watermark or a replay id) committed with their effects. The one
 * decision path for Salesforce changes, whichever way they were noticed. Returns an outcome label per row read.
 */
export async function processLeadRows(
  rows: Record<string, unknown>[],
  deps: LeadPollDeps,
  bundle: MappingsBundle,
  alsoInTransaction?: (tx: Queryable) => Promise<void>,
): Promise<{ leads: number; labels: string[] }> {
  const sf = bundle.fieldMapping.salesforce;
  const read = rows.map((row) => toLeadState(row, sf.externalIdField, sf.statusField)).filter((lead) => lead.hubspotContactId);
  // The Lead of a contact erased on a HubSpot deletion stays in Salesforce; nothing of it may come back here.
  const erased = await erasedContacts(
    deps.db,
    read.map((lead) => lead.hubspotContactId),
  );
  const leads = read.filter((lead) => !erased.has(lead.hubspotContactId));
  const memories = await leadMemories(
    deps.db,
    leads.map((lead) => lead.id),
  );
  const ours = await ourLeadValues(deps.db, leads);
  const decided = leads.map((lead) => ({
    lead,
    memory: memories.get(lead.id),
    decision: decideLeadChange(lead, memories.get(lead.id), bundle, deps.now(), ours.get(lead.id)),
  }));
  const labels = await processLeadPage(decided, deps, bundle, alsoInTransaction);
  return { leads: leads.length, labels: [...labels, ...Array<string>(read.length - leads.length).fill(ERASED_CONTACT)] };
}
