import type { EmailMatches } from '../../adapters/salesforce/salesforce-port.ts';
import type { HubSpotContact } from '../../core/contact.ts';

export const normalEmail = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : '');

/** Where a qualified contact lands in Salesforce, given the Leads and Contacts found with its e-mail. */
export type SalesforceMatch =
  /** No Lead of ours and nothing with this e-mail: a new Lead, the only write that may run an assignment rule. */
  | { kind: 'create' }
  /** Our own open Lead (a retried batch, a re-qualified contact): updated, its owner left alone. */
  | { kind: 'ours'; leadId: string }
  /** An open Lead nobody handed off: adopted, keeping the rep's status and owner. */
  | { kind: 'adopt'; leadId: string }
  /** An open Lead handed off for another HubSpot contact: duplicate contacts, parked for a person. */
  | { kind: 'foreign'; leadId: string; externalId: string }
  /** Already a Salesforce Contact (one with this e-mail, or the one our Lead was converted to): linked, no Lead. */
  | { kind: 'contact'; contactId: string; convertedLeadId?: string };

/**
 * Pure: the rule writeToSalesforce follows, also used by a backfill's dry run to say what it would do.
 * `knownLeadId` is the Lead the contact is already linked to (a re-qualified contact), whatever its e-mail says now.
 * A converted Lead is never a target (Salesforce refuses every write to it): our own converted Lead is followed to
 * its ConvertedContactId instead.
 */
export function matchInSalesforce(contact: HubSpotContact, matches: EmailMatches, knownLeadId?: string): SalesforceMatch {
  const email = normalEmail(contact.properties.email);
  const sameEmail = matches.leads.filter((lead) => normalEmail(lead.email) === email);
  const leads = sameEmail.filter((lead) => !lead.isConverted);
  const ours = leads.find((lead) => lead.externalId === contact.id)?.id ?? knownLeadId;
  if (ours) return { kind: 'ours', leadId: ours };
  const converted = sameEmail.find((lead) => lead.isConverted && lead.externalId === contact.id && lead.convertedContactId);
  if (converted?.convertedContactId) return { kind: 'contact', contactId: converted.convertedContactId, convertedLeadId: converted.id };
  const unclaimed = leads.find((lead) => lead.externalId === null);
  if (unclaimed) return { kind: 'adopt', leadId: unclaimed.id };
  const foreign = leads.find((lead) => lead.externalId !== null && lead.externalId !== contact.id);
  if (foreign) return { kind: 'foreign', leadId: foreign.id, externalId: foreign.externalId ?? '' };
  const existingContact = email ? matches.contacts.find((candidate) => normalEmail(candidate.email) === email) : undefined;
  return existingContact ? { kind: 'contact', contactId: existingContact.id } : { kind: 'create' };
}

export function foreignLeadMessage(match: Extract<SalesforceMatch, { kind: 'foreign' }>): string {
  return `e-mail already on Lead ${match.leadId}, handed off for HubSpot contact ${match.externalId}; merge the duplicate contacts`;
}

/** The e-mail addresses to look up for these contacts, normalised and without repeats. */
export function emailsOf(contacts: HubSpotContact[]): string[] {
  return [...new Set(contacts.map((contact) => normalEmail(contact.properties.email)).filter(Boolean))];
}
