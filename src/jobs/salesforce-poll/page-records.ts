import type { HistoryEntryInput } from '../../store/history.ts';
import type { WrittenValues } from '../../store/last-written.ts';
import type { LeadMemoryInput } from '../../store/lead-memory.ts';
import type { LinkInput } from '../../store/links.ts';
import type { OpportunityLink } from '../../store/opportunities.ts';
import type { ParkInput } from '../../store/parked.ts';
import { type FeedbackResult, withFeedbackResult } from './hubspot-feedback.ts';
import type { DecidedLead, LeadPollDeps } from './poll-types.ts';

/** Every row a page of Leads leaves in the store, collected by kind so each kind is written in one statement. */
export interface PageRecords {
  /** An outcome label per Lead, in page order. */
  labels: string[];
  memories: LeadMemoryInput[];
  /** Converted Leads: the contact's link moves to the Lead's Contact. */
  links: LinkInput[];
  /** Converted Leads with an Opportunity: contact ⇄ Lead ⇄ Opportunity, so the Opportunity poll follows the deal. */
  opportunityLinks: OpportunityLink[];
  hubspotWritten: { recordId: string; values: WrittenValues }[];
  parked: ParkInput[];
  history: HistoryEntryInput[];
  /** Leads whose current state HubSpot now holds: feedback parked for them earlier is outdated. */
  synced: string[];
}

/**
 * What the page's decisions and the answers from HubSpot and Salesforce (the feedback results, the new flag
 * Tasks) leave in the store. Nothing is written here; the rows are in page order, as one by one would write them.
 */
export function pageRecords(
  decided: DecidedLead[],
  applied: Map<string, FeedbackResult>,
  taskIds: Map<string, string | null>,
  metrics: LeadPollDeps['metrics'],
): PageRecords {
  const records: PageRecords = {
    labels: [],
    memories: [],
    links: [],
    opportunityLinks: [],
    hubspotWritten: [],
    parked: [],
    history: [],
    synced: [],
  };
  const { labels, history } = records;
  for (const { lead, memory, decision } of decided) {
    const outcome = decision.outcome;
    // Whatever else the Lead's change means, its deal is followed from now on (recorded again on a re-read: no harm).
    if (lead.isConverted && lead.convertedOpportunityId)
      records.opportunityLinks.push({
        opportunityId: lead.convertedOpportunityId,
        leadId: lead.id,
        hubspotContactId: lead.hubspotContactId,
      });
    const base = { hubspotContactId: lead.hubspotContactId, salesforceId: lead.id, stage: decision.stage };
    const remember: LeadMemoryInput = {
      leadId: lead.id,
      hubspotContactId: lead.hubspotContactId,
      stage: decision.stage,
      status: lead.status,
      fingerprint: decision.fingerprint,
      flag: null,
    };
    if (outcome.kind === 'none') {
      labels.push('unchanged');
      remember.flag = memory?.flagged ? { kind: memory.flagged, taskId: memory.flagTaskId ?? null } : null;
    } else if (outcome.kind === 'flag') {
      labels.push(`flagged: ${outcome.flag}`);
      const taskId = memory?.flagged === outcome.flag ? (memory.flagTaskId ?? null) : (taskIds.get(lead.id) ?? null);
      remember.flag = { kind: outcome.flag, taskId };
      if (memory?.flagged !== outcome.flag)
        history.push({ ...base, action: 'flagged', reason: outcome.message, detail: { flag: outcome.flag, taskId } });
    } else {
      // A converted Lead is read-only in Salesforce: the contact's link follows it to its Contact at once, whatever
      // HubSpot answered, so no later write of ours (refresh, flag, SLA field) ever targets the converted Lead.
      if (lead.isConverted && lead.convertedContactId)
        records.links.push({ hubspotContactId: lead.hubspotContactId, salesforceObject: 'Contact', salesforceId: lead.convertedContactId });
      const result = applied.get(lead.hubspotContactId);
      if (result?.ok) records.synced.push(lead.id);
      const nothingToSay =
        result?.ok && Object.keys(result.written).length === 0 && result.listsAdded.length === 0 && result.listsRemoved.length === 0;
      if (nothingToSay && !memory?.flagged) {
        // HubSpot already says all this (e.g. the first sighting of a Lead we just handed off): no news.
        labels.push('in sync');
      } else if (result?.ok) {
        labels.push(outcome.history.action);
        const reasonCode = outcome.history.detail.reasonCode;
        if (typeof reasonCode === 'string') metrics?.rejection(reasonCode);
        history.push({
          ...base,
          action: outcome.history.action,
          reason: outcome.history.reason,
          detail: withFeedbackResult(outcome.history.detail, result),
        });
        if (Object.keys(result.written).length > 0)
          records.hubspotWritten.push({ recordId: lead.hubspotContactId, values: result.written });
      } else {
        labels.push('parked');
        const message = result?.ok === false ? result.message : 'no HubSpot result';
        // Enough to replay it later: the feedback, the history it would have written, and the fingerprint
        // that tells whether the Lead has changed since (then the replay is superseded).
        const context = {
          contactId: lead.hubspotContactId,
          stage: decision.stage,
          feedback: outcome.hubspot,
          fingerprint: decision.fingerprint,
          history: outcome.history,
          ...(lead.isConverted && lead.convertedContactId ? { convertedContactId: lead.convertedContactId } : {}),
        };
        records.parked.push({ kind: 'sales_feedback', recordKey: lead.id, provider: 'hubspot', message, context });
        history.push({ ...base, action: 'parked', reason: message, detail: { kind: 'sales_feedback' } });
      }
    }
    records.memories.push(remember);
  }
  return records;
}
