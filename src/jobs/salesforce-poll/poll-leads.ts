import { decideLeadChange } from '../../core/sales/decide-lead-change.ts';
import { leadMemories } from '../../store/lead-memory.ts';
import { erasedContacts } from '../../store/personal-data.ts';
import { readSyncState, writeSyncState } from '../../store/sync-state.ts';
import { selectableFields } from './lead-reads.ts';
import { parseSalesforceDateTime, soqlDateTime, toLeadState } from './lead-state.ts';
import { ourLeadValues } from './our-lead-values.ts';
import type { LeadPollDeps } from './poll-types.ts';
import { processLeadPage } from './process-lead-page.ts';

export type { LeadPollDeps } from './poll-types.ts';

export const LEAD_WATERMARK_KEY = 'salesforce.lead.watermark';
/** The poll's outcome for a Lead whose HubSpot contact was erased on a deletion: left alone, counted. */
const ERASED_CONTACT = 'skipped: contact erased';

interface Watermark {
  systemModstamp: string;
  id: string;
}

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
  const since = new Date(Math.max(0, (mark ? parseSalesforceDateTime(mark.systemModstamp) : 0) - (deps.overlapMs ?? 5_000)));
  const fields = selectableFields(await deps.leadReads.plan(bundle));
  const soql = `SELECT ${fields.join(', ')} FROM Lead WHERE SystemModstamp >= ${soqlDateTime(since)} AND ${sf.externalIdField} != null ORDER BY SystemModstamp, Id`;
  const summary: PollSummary = { leads: 0, pages: 0, outcomes: {} };
  let page = await deps.salesforce.queryPage<Record<string, unknown>>(soql, { pageSize: deps.pageSize ?? 2000 });
  for (;;) {
    const read = page.records.map((row) => toLeadState(row, sf.externalIdField, sf.statusField)).filter((lead) => lead.hubspotContactId);
    // The Lead of a contact erased on a HubSpot deletion stays in Salesforce; nothing of it may come back here.
    const erased = await erasedContacts(
      deps.db,
      read.map((lead) => lead.hubspotContactId),
    );
    const leads = read.filter((lead) => !erased.has(lead.hubspotContactId));
    if (leads.length < read.length) summary.outcomes[ERASED_CONTACT] = (summary.outcomes[ERASED_CONTACT] ?? 0) + read.length - leads.length;
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
    const last = page.records.at(-1);
    const advance =
      last && (!mark || parseSalesforceDateTime(String(last.SystemModstamp)) >= parseSalesforceDateTime(mark.systemModstamp))
        ? ({ systemModstamp: String(last.SystemModstamp), id: String(last.Id) } satisfies Watermark)
        : undefined;
    // The watermark commits with the page's rows: never past a page whose effects are not recorded.
    const outcomes = await processLeadPage(decided, deps, bundle, advance && ((tx) => writeSyncState(tx, LEAD_WATERMARK_KEY, advance)));
    for (const outcome of outcomes) summary.outcomes[outcome] = (summary.outcomes[outcome] ?? 0) + 1;
    summary.leads += leads.length;
    summary.pages += 1;
    if (page.done || !page.nextRecordsUrl) break;
    page = await deps.salesforce.queryPage<Record<string, unknown>>(page.nextRecordsUrl, { pageSize: deps.pageSize ?? 2000 });
  }
  if (summary.leads > 0) deps.logger.info('salesforce poll done', { module: 'salesforce-poll', ...summary });
  return summary;
}
