import { chunk, soqlIn, soqlName } from '../../adapters/salesforce/soql.ts';
import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import { opportunityFieldsToRead } from '../../core/revenue/opportunity-reads.ts';
import type { FollowedEntity } from '../../core/sales/change-events/change-event-types.ts';
import { selectableFields } from '../salesforce-poll/lead-reads.ts';
import type { LeadPollDeps } from '../salesforce-poll/poll-types.ts';

/** Ids per re-read query (issue 19: at most 200), which keeps the SOQL well inside its length limit. */
export const REREAD_IDS_PER_QUERY = 200;
/** A Salesforce record Id: 15 or 18 letters and digits. Anything else in an event is not queried. */
const RECORD_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;

/** The SOQL that re-reads one chunk of changed records, with the fields the poll reads: Leads of ours only. */
async function rereadQuery(entity: FollowedEntity, ids: string[], deps: LeadPollDeps, bundle: MappingsBundle): Promise<string> {
  if (entity === 'Lead') {
    const fields = selectableFields(await deps.leadReads.plan(bundle));
    const external = soqlName(bundle.fieldMapping.salesforce.externalIdField);
    return `SELECT ${fields.join(', ')} FROM Lead WHERE Id IN ${soqlIn(ids)} AND ${external} != null`;
  }
  const fields = opportunityFieldsToRead(bundle.revenue).map(soqlName);
  return `SELECT ${fields.join(', ')} FROM Opportunity WHERE Id IN ${soqlIn(ids)}`;
}

/**
 * The records a batch of change events named, as they are now, in chunks of at most 200 ids: an event carries only
 * the fields that changed, and the decision needs the whole record (the same one the poll reads).
 */
export async function* rereadRecords(
  entity: FollowedEntity,
  ids: readonly string[],
  deps: LeadPollDeps,
  bundle: MappingsBundle,
): AsyncGenerator<Record<string, unknown>[]> {
  for (const ids200 of chunk(
    ids.filter((id) => RECORD_ID.test(id)),
    REREAD_IDS_PER_QUERY,
  )) {
    const soql = await rereadQuery(entity, ids200, deps, bundle);
    let page = await deps.salesforce.queryPage<Record<string, unknown>>(soql, { pageSize: deps.pageSize ?? 2000 });
    const rows = [...page.records];
    while (!page.done && page.nextRecordsUrl) {
      page = await deps.salesforce.queryPage<Record<string, unknown>>(page.nextRecordsUrl, { pageSize: deps.pageSize ?? 2000 });
      rows.push(...page.records);
    }
    yield rows;
  }
}
