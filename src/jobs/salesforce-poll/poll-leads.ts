import { readSyncState, writeSyncState } from '../../store/sync-state.ts';
import { selectableFields } from './lead-reads.ts';
import { soqlDateTime } from './lead-state.ts';
import type { LeadPollDeps } from './poll-types.ts';
import { processLeadRows } from './process-lead-rows.ts';
import { advancedWatermark, pollSince, type Watermark } from './watermark.ts';

export type { LeadPollDeps } from './poll-types.ts';

export const LEAD_WATERMARK_KEY = 'salesforce.lead.watermark';

export interface PollSummary {
  leads: number;
  pages: number;
  outcomes: Record<string, number>;
}

/**
 * One poll: every Lead of ours whose SystemModstamp is at or after the watermark (less the overlap), in
 * (SystemModstamp, Id) order, page by page through nextRecordsUrl. The watermark advances in the transaction
 * that records each page, so a crash re-reads at most one page.
 */
export async function pollLeadChanges(deps: LeadPollDeps): Promise<PollSummary> {
  const bundle = deps.mappings();
  const sf = bundle.fieldMapping.salesforce;
  const mark = await readSyncState<Watermark>(deps.db, LEAD_WATERMARK_KEY);
  const since = pollSince(mark, deps.overlapMs);
  const fields = selectableFields(await deps.leadReads.plan(bundle));
  const soql = `SELECT ${fields.join(', ')} FROM Lead WHERE SystemModstamp >= ${soqlDateTime(since)} AND ${sf.externalIdField} != null ORDER BY SystemModstamp, Id`;
  const summary: PollSummary = { leads: 0, pages: 0, outcomes: {} };
  let page = await deps.salesforce.queryPage<Record<string, unknown>>(soql, { pageSize: deps.pageSize ?? 2000 });
  for (;;) {
    const advance = advancedWatermark(mark, page.records.at(-1));
    // The watermark commits with the page's rows: never past a page whose effects are not recorded.
    const done = await processLeadRows(page.records, deps, bundle, advance && ((tx) => writeSyncState(tx, LEAD_WATERMARK_KEY, advance)));
    for (const outcome of done.labels) summary.outcomes[outcome] = (summary.outcomes[outcome] ?? 0) + 1;
    summary.leads += done.leads;
    summary.pages += 1;
    if (page.done || !page.nextRecordsUrl) break;
    page = await deps.salesforce.queryPage<Record<string, unknown>>(page.nextRecordsUrl, { pageSize: deps.pageSize ?? 2000 });
  }
  if (summary.leads > 0) deps.logger.info('salesforce poll done', { module: 'salesforce-poll', ...summary });
  return summary;
}
