import type { HubSpotContact } from '../../core/contact.ts';
import { decideHandoff, decideLeadUpdate, type HandoffDecision } from '../../core/handoff/decide-handoff.ts';
import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import { slaClocksFor } from '../../core/sla/sla-clocks.ts';
import { lastWritten } from '../../store/lastWritten.ts';
import { leadMemories } from '../../store/leadMemory.ts';
import { linksForContacts } from '../../store/links.ts';
import { asWrittenValues, type ContactResult } from './contact-result.ts';
import type { HandoffDeps } from './handoff-contacts.ts';
import { writeBackToHubSpot } from './hubspot-writeback.ts';
import { writeToSalesforce, type HandoffCandidate, type LeadRefresh } from './salesforce-writes.ts';

/** The outcome of a linked contact that a caller asked to leave alone. */
export const ALREADY_LINKED = 'already linked';

export interface DecideAndWriteOptions {
  /** When each contact's earliest waiting webhook event reached us: the start of our routing delay. */
  receivedAt?: Map<string, Date>;
  /**
   * What to do with contacts already linked to Salesforce: `follow` (the real-time path) refreshes the Lead's
   * mapped fields and re-qualifies recycled contacts; `skip` leaves them alone (a backfill hands off only the
   * unlinked; its resync mode handles the linked).
   */
  linked?: 'follow' | 'skip';
}

/**
 * Decides already-read contacts with the shared definition and carries the decisions out: Salesforce
 * (match by e-mail, collections upsert by external id), then the HubSpot write-back. Each contact's result
 * is created through `newResult`; the caller persists them (persistResults) when this returns.
 */
export async function decideAndWrite(
  contacts: HubSpotContact[],
  newResult: (id: string) => ContactResult,
  bundle: MappingsBundle,
  deps: Pick<HandoffDeps, 'db' | 'hubspot' | 'lists' | 'salesforce' | 'now'>,
  options: DecideAndWriteOptions = {},
): Promise<void> {
  const receivedAt = options.receivedAt ?? new Map<string, Date>();
  const links = await linksForContacts(deps.db, contacts.map((c) => c.id));
  const leadIds = [...links.values()].filter((l) => l.salesforceObject === 'Lead').map((l) => l.salesforceId);
  const written = await lastWritten(deps.db, 'salesforce', leadIds);
  const memories = await leadMemories(deps.db, leadIds);
  const candidates: HandoffCandidate[] = [];
  const refreshes: LeadRefresh[] = [];
  const work: { result: ContactResult; contact: HubSpotContact }[] = [];

  for (const contact of contacts) {
    const result = newResult(contact.id);
    work.push({ result, contact });
    const link = links.get(contact.id);
    if (link && options.linked === 'skip') {
      result.outcome = ALREADY_LINKED;
    } else if (link?.salesforceObject === 'Contact') {
      result.outcome = 'already linked to a Salesforce Contact';
    } else if (link && recycleDue(memories.get(link.salesforceId)?.stage, contact, bundle, deps.now())) {
      // A recycled contact whose recycle date has passed is judged afresh, and handed off again if it qualifies.
      const decision = decideHandoff(contact, bundle, deps.now());
      if (decision.action === 'skip') recordNotQualified(result, contact, decision);
      else {
        const names = bundle.fieldMapping.hubspot;
        const candidate = candidateOf(contact, result, decision, bundle, deps.now(), receivedAt.get(contact.id) ?? null);
        // The earlier rejection no longer describes the contact in HubSpot either.
        const cleared = { [names.rejectionReasonProperty]: '', [names.rejectionNoteProperty]: '', [names.recycleAfterProperty]: '' };
        candidates.push({ ...candidate, hubspotUpdate: { ...candidate.hubspotUpdate, ...cleared }, requalified: true });
      }
    } else if (link) {
      const update = decideLeadUpdate(contact, bundle);
      const before = written.get(link.salesforceId)?.values ?? {};
      const changed = Object.entries(asWrittenValues(update.lead)).some(([field, value]) => before[field] !== value);
      if (changed) refreshes.push({ contact, result, leadId: link.salesforceId, lead: update.lead });
      else result.outcome = 'no mapped field changed';
    } else {
      const decision = decideHandoff(contact, bundle, deps.now());
      if (decision.action === 'skip') recordNotQualified(result, contact, decision);
      else candidates.push(candidateOf(contact, result, decision, bundle, deps.now(), receivedAt.get(contact.id) ?? null));
    }
  }
  if (candidates.length > 0 || refreshes.length > 0) await writeToSalesforce(candidates, refreshes, deps.salesforce, bundle);
  await writeBackToHubSpot(work.filter((w) => w.result.hubspotUpdate !== undefined), deps.hubspot, deps.lists, bundle);
}

function recordNotQualified(result: ContactResult, contact: HubSpotContact, decision: Extract<HandoffDecision, { action: 'skip' }>): void {
  result.outcome = 'not_qualified';
  result.history.push({
    hubspotContactId: contact.id,
    action: 'not_qualified',
    reason: decision.reasons.join('; '),
    definitionVersion: decision.qualification.version,
    score: decision.qualification.score,
    detail: { segment: decision.qualification.segment, breakdown: decision.qualification.breakdown, mappingProblems: decision.mappingProblems },
  });
}

function candidateOf(contact: HubSpotContact, result: ContactResult, decision: Extract<HandoffDecision, { action: 'handoff' }>, bundle: MappingsBundle, now: Date, firstReceivedAt: Date | null): HandoffCandidate {
  const sf = bundle.fieldMapping.salesforce.fields;
  const q = decision.qualification;
  // The SLA clock starts with the handoff; the rep sees the first-touch due time on the Lead from the start.
  const clocks = slaClocksFor({ handedOffAt: now, source: contact.properties.hs_analytics_source, segmentId: q.segment.id, fastTrack: Boolean(q.fastTrack) }, bundle.sla);
  const firstTouch = clocks.clocks.find((clock) => clock.kind === 'first_touch');
  // A fresh MQL carries no rejection from an earlier round.
  const lead = { ...decision.lead, [sf.rejectionReason]: null, [sf.rejectionNote]: null, [sf.slaDue]: firstTouch?.dueAt.toISOString() ?? null };
  return {
    contact, result, lead, updateFields: decideLeadUpdate(contact, bundle).lead, qualification: q, hubspotUpdate: decision.hubspotUpdate,
    sla: { clocks, handedOffAt: now, firstReceivedAt },
  };
}

/**
 * A contact sales gave back may be judged afresh once its recycle-after date has passed: a rejection whose
 * reason recycles sets that date (one that holds sets none), and a Lead in the Recycled status with no date
 * may be re-qualified at once.
 */
function recycleDue(stage: string | null | undefined, contact: HubSpotContact, bundle: MappingsBundle, now: Date): boolean {
  const after = contact.properties[bundle.fieldMapping.hubspot.recycleAfterProperty];
  const passed = Boolean(after) && String(after) <= now.toISOString().slice(0, 10);
  if (stage === 'recycled') return !after || passed;
  return stage === 'rejected' && passed;
}
