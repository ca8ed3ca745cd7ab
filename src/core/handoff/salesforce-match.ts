import type { HubSpotContact } from '../contact.ts';

const normalEmail = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : '');

/**
 * What Salesforce holds with the batch's e-mail addresses, as the match needs it. The Salesforce port's
 * EmailMatches has this shape; it is restated here so the rule stays free of the adapter layer.
 */
export interface SalesforceMatches {
  leads: ReadonlyArray<{ id: string; email: string; externalId: string | null; isConverted: boolean; convertedContactId: string | null }>;
  contacts: ReadonlyArray<{ id: string; email: string }>;
}

/** Where a qualified contact lands in Salesforce, given the Leads and Contacts found with its e-mail. */
export type SalesforceMatch =
  /** No Lead of ours and nothing with this e-mail: a new Lead, the only write that may run an assignment rule. */
  | { kind: 'create'; reason: string }
  /** Our own open Lead (a retried batch, a re-qualified contact): updated, its owner left alone. */
  | { kind: 'ours'; leadId: string; reason: string }
  /** An open Lead nobody handed off: adopted, keeping the rep's status and owner. */
  | { kind: 'adopt'; leadId: string; reason: string }
  /** An open Lead handed off for another HubSpot contact: duplicate contacts, parked for a person. */
  | { kind: 'foreign'; leadId: string; externalId: string; reason: string }
  /** Already a Salesforce Contact (one with this e-mail, or the one our Lead was converted to): linked, no Lead. */
  | { kind: 'contact'; contactId: string; convertedLeadId?: string; reason: string };

/**
 * Pure: the rule writeToSalesforce follows, also used by a backfill's dry run to say what it would do.
 * `knownLeadId` is the Lead the contact is already linked to (a re-qualified contact), whatever its e-mail says now.
 * A converted Lead is never a target (Salesforce refuses every write to it): our own converted Lead is followed to
 * its ConvertedContactId instead.
 */
export function matchInSalesforce(contact: HubSpotContact, matches: SalesforceMatches, knownLeadId?: string): SalesforceMatch {
  const email = normalEmail(contact.properties.email);
  const sameEmail = matches.leads.filter((lead) => normalEmail(lead.email) === email);
  const leads = sameEmail.filter((lead) => !lead.isConverted);
  const oursByExternalId = leads.find((lead) => lead.externalId === contact.id)?.id;
  if (oursByExternalId)
    return { kind: 'ours', leadId: oursByExternalId, reason: "an open Lead already carries this contact's external id" };
  if (knownLeadId) return { kind: 'ours', leadId: knownLeadId, reason: 'the contact is linked to this Lead' };
  const converted = sameEmail.find((lead) => lead.isConverted && lead.externalId === contact.id && lead.convertedContactId);
  if (converted?.convertedContactId) {
    return {
      kind: 'contact',
      contactId: converted.convertedContactId,
      convertedLeadId: converted.id,
      reason: 'our Lead was converted to this Contact',
    };
  }
  const unclaimed = leads.find((lead) => lead.externalId === null);
  if (unclaimed) return { kind: 'adopt', leadId: unclaimed.id, reason: 'an open Lead with the same e-mail that nobody handed off' };
  const foreign = leads.find((lead) => lead.externalId !== null && lead.externalId !== contact.id);
  if (foreign)
    return {
      kind: 'foreign',
      leadId: foreign.id,
      externalId: foreign.externalId ?? '',
      reason: 'an open Lead with the same e-mail was handed off for another contact',
    };
  const existingContact = email ? matches.contacts.find((candidate) => normalEmail(candidate.email) === email) : undefined;
  return existingContact
    ? { kind: 'contact', contactId: existingContact.id, reason: 'a Salesforce Contact with the same e-mail' }
    : { kind: 'create', reason: 'nothing in Salesforce with this e-mail' };
}

export function foreignLeadMessage(match: Extract<SalesforceMatch, { kind: 'foreign' }>): string {
  return `e-mail already on Lead ${match.leadId}, handed off for HubSpot contact ${match.externalId}; merge the duplicate contacts`;
}

/** The e-mail addresses to look up for these contacts, normalised and without repeats. */
export function emailsOf(contacts: HubSpotContact[]): string[] {
  return [...new Set(contacts.map((contact) => normalEmail(contact.properties.email)).filter(Boolean))];
}
