import type { SaveResult } from '../../adapters/salesforce/salesforce-port.ts';
import { OUTCOME_TEXTS } from '../../core/handoff/outcomes.ts';
import type { SlaTimerInput } from '../../store/sla-timers.ts';
import { asWrittenValues, type ContactResult, parkResult } from './contact-result.ts';
import type { HandoffCandidate, LeadRefresh } from './handoff-candidate.ts';

/** Salesforce's answer to any write to a converted Lead (Salesforce Help 000384333): such a Lead is read-only. */
export const CONVERTED_LEAD_ERROR = 'CANNOT_UPDATE_CONVERTED_LEAD';

/** The outcome text of a contact whose Lead turned out converted when we wrote: nothing was due any more. */
export const LEAD_CONVERTED = OUTCOME_TEXTS.lead_converted;

export function handedOff(candidate: HandoffCandidate, save: SaveResult, how: string): void {
  const { result, qualification } = candidate;
  if (!save.success || !save.id) {
    failed(result, save);
    return;
  }
  result.outcome = 'handed_off';
  result.score = qualification.score;
  result.definitionVersion = qualification.version;
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

export function linkExistingContact(candidate: HandoffCandidate, contactId: string, convertedLeadId?: string): void {
  const { result, qualification } = candidate;
  result.outcome = 'linked_existing_contact';
  result.score = qualification.score;
  result.definitionVersion = qualification.version;
  result.link = { hubspotContactId: result.contactId, salesforceObject: 'Contact', salesforceId: contactId };
  result.hubspotUpdate = {};
  result.history.push({
    hubspotContactId: result.contactId,
    salesforceId: contactId,
    action: 'linked_existing',
    stage: 'mql',
    reason: convertedLeadId
      ? `qualified, but its Lead ${convertedLeadId} was converted to this Contact: linked, no Lead written`
      : 'qualified, but already a Salesforce Contact with the same e-mail: linked, no Lead created',
    definitionVersion: qualification.version,
    score: qualification.score,
    detail: { breakdown: qualification.breakdown, ...(convertedLeadId ? { convertedLeadId } : {}) },
  });
}

export function refreshed(refresh: LeadRefresh, save: SaveResult): void {
  const { result } = refresh;
  if (!save.success) {
    failed(result, save);
    return;
  }
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

/**
 * The Lead was converted before our write reached it (Salesforce answered CANNOT_UPDATE_CONVERTED_LEAD). Not a
 * failure and nothing to park: conversion hands the person to sales as a Contact, and our Lead fields (score, MQL
 * data, mapped marketing fields) do not exist there, so the write is simply not due any more. The next poll sees the
 * conversion and moves the contact's link to the Contact.
 */
export function convertedNotDue(result: ContactResult, leadId: string | undefined, write: 'handoff' | 'refresh'): void {
  result.outcome = 'lead_converted';
  result.history.push({
    hubspotContactId: result.contactId,
    salesforceId: leadId ?? null,
    action: 'write_not_due',
    reason: `${leadId ? `Lead ${leadId}` : 'The Lead'} was converted in Salesforce; the ${write === 'handoff' ? 'handoff' : 'mapped-field refresh'} is not due any more`,
    detail: { write, errorCode: CONVERTED_LEAD_ERROR },
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
