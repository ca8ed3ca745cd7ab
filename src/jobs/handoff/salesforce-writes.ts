import { waitingContext, waitingForOf } from '../../adapters/budget/budget-errors.ts';
import type { EmailMatches, SalesforcePort, SaveResult } from '../../adapters/salesforce/salesforce-port.ts';
import type { HubSpotContact } from '../../core/contact.ts';
import type { LeadFields } from '../../core/handoff/decide-handoff.ts';
import type { MqlResult } from '../../core/definitions/qualify-mql.ts';
import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import type { SlaClocks } from '../../core/sla/sla-clocks.ts';
import type { SlaTimerInput } from '../../store/slaTimers.ts';
import type { WriteIntent } from '../../store/writeIntents.ts';
import { ProviderError } from '../../errors.ts';
import { asWrittenValues, parkResult, type ContactResult } from './contact-result.ts';

export interface HandoffCandidate {
  contact: HubSpotContact;
  result: ContactResult;
  lead: LeadFields;
  /** The same contact's mapped fields without create-time defaults, for adopting an existing Lead. */
  updateFields: LeadFields;
  qualification: MqlResult;
  hubspotUpdate: Record<string, string>;
  /** A recycled contact handed off again after its recycle date. */
  requalified?: boolean;
  /** The SLA clocks this handoff starts, and when the first contact event reached us (for routing delay). */
  sla?: { clocks: SlaClocks; handedOffAt: Date; firstReceivedAt: Date | null };
}

export interface LeadRefresh {
  contact: HubSpotContact;
  result: ContactResult;
  leadId: string;
  lead: LeadFields;
}

type Write =
  | { kind: 'upsert'; contactId: string; record: LeadFields; onSaved: (save: SaveResult) => void }
  | { kind: 'update'; contactId: string; record: LeadFields & { Id: string }; onSaved: (save: SaveResult) => void };

/** Called with every record about to be written, before anything is sent (see store/writeIntents.ts). */
export type RecordIntents = (intents: WriteIntent[]) => Promise<void>;

const normalEmail = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : '');

/**
 * Writes qualified contacts and field changes to Salesforce. New MQLs are matched by e-mail first:
 * an existing open Lead is adopted (keeping the rep's status), an existing Contact is linked, and only
 * otherwise a Lead is upserted by the external id, so a retried batch never creates a duplicate.
 * What is about to be written is handed to `recordIntents` first, so our values are known as ours
 * even if the process dies between Salesforce's commit and ours.
 */
export async function writeToSalesforce(
  candidates: HandoffCandidate[],
  refreshes: LeadRefresh[],
  salesforce: SalesforcePort,
  bundle: MappingsBundle,
  recordIntents: RecordIntents,
): Promise<void> {
  const sf = bundle.fieldMapping.salesforce;
  const writes: Write[] = [];
  const emails = [...new Set(candidates.map((c) => normalEmail(c.contact.properties.email)).filter(Boolean))];
  let matches: EmailMatches = { leads: [], contacts: [] };
  try {
    if (emails.length > 0) matches = await salesforce.findByEmails(emails);
  } catch (error) {
    // Refused by the API budget or by refused credentials: park, to be replayed when Salesforce is usable again.
    if (!waitingForOf(error)) throw error;
    for (const { result } of [...candidates, ...refreshes]) parkResult(result, 'handoff', 'salesforce', (error as Error).message, { code: (error as ProviderError).code, ...waitingContext(error) });
    return;
  }

  for (const candidate of candidates) {
    const match = matchInSalesforce(candidate.contact, matches);
    if (match.kind === 'upsert') {
      const how = candidate.requalified ? 're-qualified after recycling: the same Lead back to MQL' : 'created or updated by external id';
      writes.push({ kind: 'upsert', contactId: candidate.contact.id, record: candidate.lead, onSaved: (save) => handedOff(candidate, save, how) });
    } else if (match.kind === 'adopt') {
      const handoffFields = [sf.externalIdField, sf.fields.score, sf.fields.breakdown, sf.fields.definitionVersion, sf.fields.mqlDate];
      const record: LeadFields & { Id: string } = { ...candidate.updateFields, Id: match.leadId };
      for (const field of handoffFields) record[field] = candidate.lead[field] ?? null;
      writes.push({ kind: 'update', contactId: candidate.contact.id, record, onSaved: (save) => handedOff(candidate, { ...save, id: match.leadId }, 'existing Lead with the same e-mail adopted') });
    } else if (match.kind === 'foreign') {
      parkResult(candidate.result, 'handoff', 'salesforce', foreignLeadMessage(match), { leadId: match.leadId });
    } else {
      linkExistingContact(candidate, match.contactId);
    }
  }
  for (const refresh of refreshes) {
    writes.push({ kind: 'upsert', contactId: refresh.contact.id, record: refresh.lead, onSaved: (save) => refreshed(refresh, save) });
  }
  if (writes.length > 0) await recordIntents(writes.map((write) => ({ contactId: write.contactId, values: asWrittenValues(write.record) })));
  await runWrites(writes, salesforce, sf.externalIdField, [...candidates.map((c) => c.result), ...refreshes.map((r) => r.result)]);
}

/** Where a qualified contact lands in Salesforce, given the Leads and Contacts found with its e-mail. */
export type SalesforceMatch =
  /** Our own Lead, or nothing with this e-mail: create or update by the external id. */
  | { kind: 'upsert' }
  /** An open Lead nobody handed off: adopted, keeping the rep's status. */
  | { kind: 'adopt'; leadId: string }
  /** An open Lead handed off for another HubSpot contact: duplicate contacts, parked for a person. */
  | { kind: 'foreign'; leadId: string; externalId: string }
  /** Already a Salesforce Contact: linked, no Lead. */
  | { kind: 'contact'; contactId: string };

/** Pure: the rule writeToSalesforce follows, also used by a backfill's dry run to say what it would do. */
export function matchInSalesforce(contact: HubSpotContact, matches: EmailMatches): SalesforceMatch {
  const email = normalEmail(contact.properties.email);
  const leads = matches.leads.filter((lead) => normalEmail(lead.email) === email && !lead.isConverted);
  const ours = leads.find((lead) => lead.externalId === contact.id);
  const foreign = leads.find((lead) => lead.externalId !== null && lead.externalId !== contact.id);
  const unclaimed = leads.find((lead) => lead.externalId === null);
  const existingContact = email ? matches.contacts.find((candidate) => normalEmail(candidate.email) === email) : undefined;
  if (ours || (!unclaimed && !foreign && !existingContact)) return { kind: 'upsert' };
  if (unclaimed) return { kind: 'adopt', leadId: unclaimed.id };
  if (foreign) return { kind: 'foreign', leadId: foreign.id, externalId: foreign.externalId ?? '' };
  return { kind: 'contact', contactId: existingContact!.id };
}

export function foreignLeadMessage(match: Extract<SalesforceMatch, { kind: 'foreign' }>): string {
  return `e-mail already on Lead ${match.leadId}, handed off for HubSpot contact ${match.externalId}; merge the duplicate contacts`;
}

/** The e-mail addresses to look up for these contacts, normalised and without repeats. */
export function emailsOf(contacts: HubSpotContact[]): string[] {
  return [...new Set(contacts.map((contact) => normalEmail(contact.properties.email)).filter(Boolean))];
}

async function runWrites(writes: Write[], salesforce: SalesforcePort, externalIdField: string, results: ContactResult[]): Promise<void> {
  const upserts = writes.filter((w) => w.kind === 'upsert');
  const updates = writes.filter((w): w is Extract<Write, { kind: 'update' }> => w.kind === 'update');
  try {
    if (upserts.length > 0) {
      const saves = await salesforce.upsertLeads(upserts.map((w) => w.record), externalIdField);
      upserts.forEach((write, index) => write.onSaved(saves[index] ?? missingResult()));
    }
    if (updates.length > 0) {
      const saves = await salesforce.updateRecords('Lead', updates.map((w) => w.record));
      updates.forEach((write, index) => write.onSaved(saves[index] ?? missingResult()));
    }
  } catch (error) {
    if (error instanceof ProviderError && !error.retryable) {
      // A whole-call refusal (bad field, budget exhausted): park every record that was waiting on it.
      for (const result of results) if (result.outcome === 'pending') parkResult(result, 'handoff', 'salesforce', error.message, { code: error.code, ...waitingContext(error) });
      return;
    }
    throw error;
  }
}

const missingResult = (): SaveResult => ({ success: false, errors: [{ statusCode: 'NO_RESULT', message: 'Salesforce returned no result for this record', fields: [] }] });

function handedOff(candidate: HandoffCandidate, save: SaveResult, how: string): void {
  const { result, qualification } = candidate;
  if (!save.success || !save.id) return failed(result, save);
  result.outcome = 'handed_off';
  result.link = { hubspotContactId: result.contactId, salesforceObject: 'Lead', salesforceId: save.id };
  result.salesforceWritten = { recordId: save.id, values: asWrittenValues(candidate.lead) };
  result.hubspotUpdate = candidate.hubspotUpdate;
  if (candidate.sla) result.slaClocks = timerRows(candidate, save.id);
  result.history.push({
    hubspotContactId: result.contactId,
    salesforceId: save.id,
    action: 'handed_off',
    stage: 'mql',
    reason: qualification.reasons.join('; '),
    definitionVersion: qualification.version,
    score: qualification.score,
    detail: {
      how,
      created: save.created ?? null,
      // KPIs are cut by source and segment: both are recorded with the handoff.
      source: candidate.contact.properties.hs_analytics_source ?? null,
      segment: qualification.segment,
      breakdown: qualification.breakdown,
      fastTrack: qualification.fastTrack ?? null,
    },
  });
}

function linkExistingContact(candidate: HandoffCandidate, contactId: string): void {
  const { result, qualification } = candidate;
  result.outcome = 'linked_existing_contact';
  result.link = { hubspotContactId: result.contactId, salesforceObject: 'Contact', salesforceId: contactId };
  result.hubspotUpdate = {};
  result.history.push({
    hubspotContactId: result.contactId,
    salesforceId: contactId,
    action: 'linked_existing',
    stage: 'mql',
    reason: 'qualified, but already a Salesforce Contact with the same e-mail: linked, no Lead created',
    definitionVersion: qualification.version,
    score: qualification.score,
    detail: { breakdown: qualification.breakdown },
  });
}

function refreshed(refresh: LeadRefresh, save: SaveResult): void {
  const { result } = refresh;
  if (!save.success) return failed(result, save);
  result.outcome = 'lead_updated';
  result.salesforceWritten = { recordId: save.id ?? refresh.leadId, values: asWrittenValues(refresh.lead) };
  result.history.push({
    hubspotContactId: result.contactId,
    salesforceId: save.id ?? refresh.leadId,
    action: 'lead_updated',
    reason: 'mapped fields changed in HubSpot',
    detail: { fields: Object.keys(refresh.lead) },
  });
}

function failed(result: ContactResult, save: SaveResult): void {
  const message = save.errors.map((e) => `${e.statusCode}: ${e.message}${e.fields.length ? ` [${e.fields.join(', ')}]` : ''}`).join('; ');
  result.history.push({ hubspotContactId: result.contactId, action: 'failed', reason: message, detail: { errors: save.errors } });
  parkResult(result, 'handoff', 'salesforce', message || 'Salesforce refused the record', { errors: save.errors });
}

function timerRows(candidate: HandoffCandidate, leadId: string): SlaTimerInput[] {
  const { clocks, handedOffAt, firstReceivedAt } = candidate.sla!;
  return clocks.clocks.map((clock) => ({
    leadId,
    hubspotContactId: candidate.contact.id,
    kind: clock.kind,
    rule: `${clocks.rule.label}: ${clock.rule}`,
    source: candidate.contact.properties.hs_analytics_source ?? null,
    segment: candidate.qualification.segment.id,
    definitionVersion: candidate.qualification.version,
    handedOffAt,
    routingDelayMs: firstReceivedAt ? Math.max(0, handedOffAt.getTime() - firstReceivedAt.getTime()) : null,
    warnAt: clock.warnAt,
    dueAt: clock.dueAt,
  }));
}
