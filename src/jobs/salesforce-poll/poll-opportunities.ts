import { soqlName } from '../../adapters/salesforce/soql.ts';
import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import { opportunityFieldsToRead } from '../../core/revenue/opportunity-reads.ts';
import { isFollowed } from '../../core/revenue/revenue-schema.ts';
import { readSyncState, writeSyncState } from '../../store/sync-state.ts';
import { soqlDateTime } from './lead-state.ts';
import type { LeadPollDeps } from './poll-types.ts';
import { processOpportunityRows } from './process-opportunity-rows.ts';
import { advancedWatermark, pollSince, type Watermark } from './watermark.ts';

/** Its own watermark: the Lead poll's says nothing about when Opportunities changed. */
export const OPPORTUNITY_WATERMARK_KEY = 'salesforce.opportunity.watermark';

export interface OpportunityPollSummary {
  opportunities: number;
  pages: number;
  outcomes: Record<string, number>;
}

/**
 * Only our deals, in one query however many there are: a semi-join on the Leads we handed off (SOQL and SOSL
 * Reference, "Comparison Operators": IN takes a subquery selecting an ID or reference field). Asking by id instead
 * (`Id IN (…200 ids…)`) would cost a call per 200 deals followed on every poll, for ever; this costs one per page.
 */
export function opportunityQuery(bundle: MappingsBundle, since: Date): string {
  const external = soqlName(bundle.fieldMapping.salesforce.externalIdField);
  const fields = opportunityFieldsToRead(bundle.revenue).map(soqlName);
  return `SELECT ${fields.join(', ')} FROM Opportunity WHERE SystemModstamp >= ${soqlDateTime(since)} AND Id IN (SELECT ConvertedOpportunityId FROM Lead WHERE IsConverted = true AND ${external} != null) ORDER BY SystemModstamp, Id`;
}

/**
 * One round: every Opportunity of a converted Lead of ours changed since the watermark (less the overlap), page by
 * page, each decided in core and carried out with the watermark in the page's transaction. Nothing is asked of
 * Salesforce while revenue.yaml does not follow deals.
 */
export async function pollOpportunityChanges(deps: LeadPollDeps): Promise<OpportunityPollSummary | undefined> {
  const bundle = deps.mappings();
  if (!isFollowed(bundle.revenue)) return undefined;
  const mark = await readSyncState<Watermark>(deps.db, OPPORTUNITY_WATERMARK_KEY);
  const since = pollSince(mark, deps.overlapMs);
  const summary: OpportunityPollSummary = { opportunities: 0, pages: 0, outcomes: {} };
  const count = (label: string, n = 1): void => {
    if (n > 0) summary.outcomes[label] = (summary.outcomes[label] ?? 0) + n;
  };
  let page = await deps.salesforce.queryPage<Record<string, unknown>>(opportunityQuery(bundle, since), { pageSize: deps.pageSize ?? 2000 });
  for (;;) {
    const advance = advancedWatermark(mark, page.records.at(-1));
    // The watermark commits with the page's rows: never past a page whose effects are not recorded.
    const labels = await processOpportunityRows(
      page.records,
      deps,
      bundle,
      advance && ((tx) => writeSyncState(tx, OPPORTUNITY_WATERMARK_KEY, advance)),
    );
    for (const label of labels) count(label);
    summary.opportunities += page.records.length;
    summary.pages += 1;
    if (page.done || !page.nextRecordsUrl) break;
    page = await deps.salesforce.queryPage<Record<string, unknown>>(page.nextRecordsUrl, { pageSize: deps.pageSize ?? 2000 });
  }
  if (summary.opportunities > 0) deps.logger.info('opportunity poll done', { module: 'salesforce-poll', ...summary });
  return summary;
}
