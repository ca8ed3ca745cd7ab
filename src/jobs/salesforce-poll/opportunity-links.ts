import { SALESFORCE_LIMITS } from '../../adapters/salesforce/limits.ts';
import { chunk, soqlIn, soqlName } from '../../adapters/salesforce/soql.ts';
import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import { linkOpportunities, type OpportunityLink, type StoredOpportunity, storedOpportunities } from '../../store/opportunities.ts';
import type { LeadPollDeps } from './poll-types.ts';

/**
 * The stored rows (link and memory) of a page's Opportunities. The Lead poll links an Opportunity when it sees its
 * Lead converted; one converted before Handoff followed deals (or whose Lead the poll has not re-read) is looked up
 * once by its Lead, ≤ 200 ids per query, and linked for good. An Opportunity none of our Leads converted to is absent.
 */
export async function opportunityRows(
  deps: Pick<LeadPollDeps, 'db' | 'salesforce'>,
  bundle: MappingsBundle,
  opportunityIds: string[],
): Promise<Map<string, StoredOpportunity>> {
  const known = await storedOpportunities(deps.db, opportunityIds);
  const unknown = opportunityIds.filter((id) => !known.has(id));
  if (unknown.length === 0) return known;
  const links = await linksFromLeads(deps, bundle, unknown);
  if (links.length === 0) return known;
  await linkOpportunities(deps.db, links);
  return storedOpportunities(deps.db, opportunityIds);
}

async function linksFromLeads(
  deps: Pick<LeadPollDeps, 'salesforce'>,
  bundle: MappingsBundle,
  opportunityIds: string[],
): Promise<OpportunityLink[]> {
  const external = soqlName(bundle.fieldMapping.salesforce.externalIdField);
  const links: OpportunityLink[] = [];
  for (const ids of chunk(opportunityIds, SALESFORCE_LIMITS.idsPerQuery)) {
    const rows = await deps.salesforce.query<Record<string, unknown>>(
      `SELECT Id, ${external}, ConvertedOpportunityId FROM Lead WHERE ConvertedOpportunityId IN ${soqlIn(ids)} AND ${external} != null`,
    );
    for (const row of rows) {
      const contact = row[external];
      if (typeof contact === 'string' && contact !== '' && typeof row.ConvertedOpportunityId === 'string')
        links.push({ opportunityId: row.ConvertedOpportunityId, leadId: String(row.Id), hubspotContactId: contact });
    }
  }
  return links;
}
