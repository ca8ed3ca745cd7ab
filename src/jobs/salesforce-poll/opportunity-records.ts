import type { HistoryEntryInput } from '../../store/history.ts';
import type { WrittenValues } from '../../store/last-written.ts';
import type { OpportunityRecordInput } from '../../store/opportunities.ts';
import type { ParkInput } from '../../store/parked.ts';
import { type FeedbackResult, withFeedbackResult } from './hubspot-feedback.ts';
import type { DecidedOpportunity } from './poll-types.ts';

/** Parked work kind of a won or lost deal HubSpot did not take (replayed by jobs/parked). */
export const OPPORTUNITY_FEEDBACK = 'opportunity_feedback';

/** Every row a page of Opportunities leaves in the store, by kind, so each kind is written in one statement. */
export interface OpportunityPageRecords {
  /** An outcome label per Opportunity, in page order. */
  labels: string[];
  opportunities: OpportunityRecordInput[];
  hubspotWritten: { recordId: string; values: WrittenValues }[];
  parked: ParkInput[];
  history: HistoryEntryInput[];
  /** Deals whose current state HubSpot now holds: feedback parked for them earlier is outdated. */
  synced: string[];
}

const NONE_LABELS = { unchanged: 'unchanged', our_write: 'our own write', not_followed: 'not followed' } as const;

/**
 * What the page's decisions and HubSpot's answers (keyed by Opportunity) leave in the store. A deal's closing is
 * always recorded (`opportunity_won` / `opportunity_lost`), even when HubSpot already said it all: it is the outcome
 * the funnel and the calibration count. A later edit HubSpot already reflects leaves no history.
 */
export function opportunityRecords(decided: DecidedOpportunity[], applied: Map<string, FeedbackResult>): OpportunityPageRecords {
  const records: OpportunityPageRecords = { labels: [], opportunities: [], hubspotWritten: [], parked: [], history: [], synced: [] };
  for (const { opportunity, row, decision } of decided) {
    const outcome = decision.outcome;
    if (outcome.kind === 'none') {
      // The deal as it is now, for the figures; the memory stays what was last acted on.
      records.opportunities.push({ state: opportunity });
      records.labels.push(NONE_LABELS[outcome.code]);
      continue;
    }
    records.opportunities.push({ state: opportunity, acted: { fingerprint: decision.fingerprint, status: decision.status } });
    if (outcome.kind === 'open') {
      records.labels.push('open');
      continue;
    }
    const base = { hubspotContactId: row.hubspotContactId, salesforceId: opportunity.id, stage: 'opportunity' };
    const result = applied.get(opportunity.id);
    if (!result?.ok) {
      const message = result?.ok === false ? result.message : 'no HubSpot result';
      // Enough to replay it later, and the fingerprint that tells whether the deal has changed since.
      const context = {
        contactId: row.hubspotContactId,
        feedback: outcome.hubspot,
        fingerprint: decision.fingerprint,
        history: outcome.history,
      };
      records.parked.push({ kind: OPPORTUNITY_FEEDBACK, recordKey: opportunity.id, provider: 'hubspot', message, context });
      records.history.push({ ...base, action: 'parked', reason: message, detail: { kind: OPPORTUNITY_FEEDBACK } });
      records.labels.push('parked');
      continue;
    }
    records.synced.push(opportunity.id);
    const said = Object.keys(result.written).length > 0 || result.listsAdded.length > 0 || result.listsRemoved.length > 0;
    if (outcome.history.action === 'fields_synced' && !said) {
      records.labels.push('in sync');
      continue;
    }
    records.labels.push(outcome.history.action);
    records.history.push({
      ...base,
      action: outcome.history.action,
      reason: outcome.history.reason,
      detail: withFeedbackResult(outcome.history.detail, result),
    });
    if (Object.keys(result.written).length > 0) records.hubspotWritten.push({ recordId: row.hubspotContactId, values: result.written });
  }
  return records;
}
