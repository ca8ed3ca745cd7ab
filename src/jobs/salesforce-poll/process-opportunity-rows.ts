import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import { decideOpportunityChange } from '../../core/revenue/decide-opportunity-change.ts';
import type { Queryable } from '../../store/database.ts';
import { memoryOf } from '../../store/opportunities.ts';
import { erasedContacts } from '../../store/personal-data.ts';
import { opportunityRows } from './opportunity-links.ts';
import { toOpportunityState } from './opportunity-state.ts';
import type { DecidedOpportunity, LeadPollDeps } from './poll-types.ts';
import { processOpportunityPage } from './process-opportunity-page.ts';

/**
 * Opportunity rows as Salesforce answered them (a poll page, or the deals a batch of change events named) → decided
 * in core → carried out, with `alsoInTransaction` committed with their effects. Deals of no Lead of ours and deals of
 * erased contacts are left alone and counted. Returns an outcome label per row read.
 */
export async function processOpportunityRows(
  rows: Record<string, unknown>[],
  deps: LeadPollDeps,
  bundle: MappingsBundle,
  alsoInTransaction?: (tx: Queryable) => Promise<void>,
): Promise<string[]> {
  const read = rows.map((row) => toOpportunityState(row, bundle.revenue.salesforce.lossReasonField));
  // Known once a query has logged in: what LastModifiedById holds after a write of ours.
  const integrationUserId = deps.salesforce.integrationUserId();
  const stored = await opportunityRows(
    deps,
    bundle,
    read.map((o) => o.id),
  );
  const linked = read.filter((o) => stored.has(o.id));
  // The deal of a contact erased on a HubSpot deletion stays in Salesforce; nothing of it may come back here.
  const erased = await erasedContacts(deps.db, [...new Set(linked.map((o) => stored.get(o.id)?.hubspotContactId ?? ''))]);
  const followed = linked.filter((o) => !erased.has(stored.get(o.id)?.hubspotContactId ?? ''));
  const decided: DecidedOpportunity[] = followed.map((opportunity) => {
    const row = stored.get(opportunity.id);
    if (!row) throw new Error(`opportunity ${opportunity.id} lost its row`);
    return { opportunity, row, decision: decideOpportunityChange(opportunity, memoryOf(row), bundle, integrationUserId) };
  });
  const labels = await processOpportunityPage(decided, deps, alsoInTransaction);
  return [
    ...labels,
    ...Array<string>(read.length - linked.length).fill('skipped: no Lead of ours'),
    ...Array<string>(linked.length - followed.length).fill('skipped: contact erased'),
  ];
}
