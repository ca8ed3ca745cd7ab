import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import type { HistoryEntryInput } from '../../store/history.ts';
import { appendHistory } from '../../store/history.ts';
import { recordWritten } from '../../store/lastWritten.ts';
import { rememberLead, type LeadMemoryInput } from '../../store/leadMemory.ts';
import { upsertLink } from '../../store/links.ts';
import { park, settleSuperseded } from '../../store/parked.ts';
import { writeFlags, type NewFlag, type ResolvedFlag } from './flag-writes.ts';
import { planClockStops, recordClockStops, updateSlaDue } from './sla-stops.ts';
import { applyHubSpotFeedback } from './hubspot-feedback.ts';
import type { DecidedLead, LeadPollDeps } from './poll-types.ts';

const SUPERSEDED_BY_POLL = 'a later poll synced this Lead\'s newer state to HubSpot';

export type { DecidedLead } from './poll-types.ts';

/**
 * Carries out one page of decisions: flags go to Salesforce (sync status + Task), valid changes go to
 * HubSpot (properties, lifecycle, nurture lists) and close any open flag; then memory, history, links and
 * parked work are recorded in one transaction. Returns an outcome label per Lead.
 */
export async function processLeadPage(decided: DecidedLead[], deps: LeadPollDeps, bundle: MappingsBundle): Promise<string[]> {
  const newFlags: NewFlag[] = [];
  const resolved: ResolvedFlag[] = [];
  const feedback = [];
  for (const { lead, memory, decision } of decided) {
    const outcome = decision.outcome;
    if (outcome.kind === 'flag' && memory?.flagged !== outcome.flag) newFlags.push({ lead, kind: outcome.flag, syncStatus: outcome.syncStatus, task: outcome.task });
    if (outcome.kind === 'propagate') {
      feedback.push({ contactId: lead.hubspotContactId, feedback: outcome.hubspot });
      if (memory?.flagged) resolved.push({ lead, taskId: memory.flagTaskId ?? null, syncStatus: outcome.syncStatus });
    }
  }
  const applied = await applyHubSpotFeedback(feedback, deps.hubspot, deps.lists);
  const taskIds = await writeFlags(newFlags, resolved, deps.salesforce, bundle, deps.now().toISOString().slice(0, 10));
  const clockStops = await planClockStops(deps.db, decided, bundle);

  const labels: string[] = [];
  await deps.db.transaction(async (tx) => {
    const history: HistoryEntryInput[] = [];
    const synced: string[] = [];
    for (const { lead, memory, decision } of decided) {
      const outcome = decision.outcome;
      const base = { hubspotContactId: lead.hubspotContactId, salesforceId: lead.id, stage: decision.stage };
      const remember: LeadMemoryInput = { leadId: lead.id, hubspotContactId: lead.hubspotContactId, stage: decision.stage, status: lead.status, fingerprint: decision.fingerprint, flag: null };
      if (outcome.kind === 'none') {
        labels.push('unchanged');
        remember.flag = memory?.flagged ? { kind: memory.flagged, taskId: memory.flagTaskId ?? null } : null;
      } else if (outcome.kind === 'flag') {
        labels.push(`flagged: ${outcome.flag}`);
        const taskId = memory?.flagged === outcome.flag ? (memory.flagTaskId ?? null) : (taskIds.get(lead.id) ?? null);
        remember.flag = { kind: outcome.flag, taskId };
        if (memory?.flagged !== outcome.flag) history.push({ ...base, action: 'flagged', reason: outcome.message, detail: { flag: outcome.flag, taskId } });
      } else {
        // A converted Lead is read-only in Salesforce: the contact's link follows it to its Contact at once, whatever
        // HubSpot answered, so no later write of ours (refresh, flag, SLA field) ever targets the converted Lead.
        if (lead.isConverted && lead.convertedContactId) await upsertLink(tx, { hubspotContactId: lead.hubspotContactId, salesforceObject: 'Contact', salesforceId: lead.convertedContactId });
        const result = applied.get(lead.hubspotContactId);
        if (result?.ok) synced.push(lead.id);
        const nothingToSay = result?.ok && Object.keys(result.written).length === 0 && result.listsAdded.length === 0 && result.listsRemoved.length === 0;
        if (nothingToSay && !memory?.flagged) {
          // HubSpot already says all this (e.g. the first sighting of a Lead we just handed off): no news.
          labels.push('in sync');
        } else if (result?.ok) {
          labels.push(outcome.history.action);
          const reasonCode = outcome.history.detail.reasonCode;
          if (typeof reasonCode === 'string') deps.metrics?.rejection(reasonCode);
          history.push({ ...base, action: outcome.history.action, reason: outcome.history.reason, detail: { ...outcome.history.detail, hubspotWritten: result.written, listsAdded: result.listsAdded, listsRemoved: result.listsRemoved } });
          if (Object.keys(result.written).length > 0) await recordWritten(tx, 'hubspot', lead.hubspotContactId, result.written);
        } else {
          labels.push('parked');
          const message = result?.ok === false ? result.message : 'no HubSpot result';
          // Enough to replay it later: the feedback, the history it would have written, and the fingerprint
          // that tells whether the Lead has changed since (then the replay is superseded).
          const context = {
            contactId: lead.hubspotContactId, stage: decision.stage, feedback: outcome.hubspot, fingerprint: decision.fingerprint, history: outcome.history,
            ...(lead.isConverted && lead.convertedContactId ? { convertedContactId: lead.convertedContactId } : {}),
          };
          await park(tx, { kind: 'sales_feedback', recordKey: lead.id, provider: 'hubspot', message, context });
          history.push({ ...base, action: 'parked', reason: message, detail: { kind: 'sales_feedback' } });
        }
      }
      await rememberLead(tx, remember);
    }
    // Feedback parked for these Leads earlier is outdated: HubSpot now holds their current state.
    await settleSuperseded(tx, { kind: 'sales_feedback', recordKeys: synced, actor: 'salesforce-poll', message: SUPERSEDED_BY_POLL });
    await recordClockStops(tx, clockStops, history);
    await appendHistory(tx, history);
  });
  await updateSlaDue(clockStops, deps.salesforce, bundle);
  return labels;
}
