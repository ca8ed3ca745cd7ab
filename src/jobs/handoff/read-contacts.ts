import type { HubSpotPort, ReadContactsResult } from '../../adapters/hubspot/hubspot-port.ts';
import type { HubSpotContact } from '../../core/contact.ts';
import { splitPropertyNames, withCompanyProperties } from '../../core/mappings/company-properties.ts';

export type ContactReader = Pick<HubSpotPort, 'readContacts' | 'readPrimaryCompanyIds' | 'readCompanies'>;

/**
 * Reads contacts with every property the bundle names. Names `company.<name>` are read from each contact's primary
 * company and merged into the contact under the same key, so core rules see them like contact properties.
 * Companies are read only when something names one: then one associations batch read and one companies batch
 * read per 100 contacts (the adapter chunks by HubSpot's limits), each through the adapter's call wrapper so the
 * rate limiter and daily budget count them.
 */
export async function readContactsWithCompanies(hubspot: ContactReader, ids: string[], properties: string[]): Promise<ReadContactsResult> {
  const names = splitPropertyNames(properties);
  const read = await hubspot.readContacts(ids, names.contact);
  return { contacts: await addCompanyProperties(hubspot, read.contacts, names.company), missing: read.missing };
}

/** Contacts already read (a backfill page), with their primary company's `names` merged in as `company.<name>`. */
export async function addCompanyProperties(
  hubspot: Pick<HubSpotPort, 'readPrimaryCompanyIds' | 'readCompanies'>,
  contacts: HubSpotContact[],
  names: string[],
): Promise<HubSpotContact[]> {
  if (names.length === 0 || contacts.length === 0) return contacts;
  const primary = await hubspot.readPrimaryCompanyIds(contacts.map((contact) => contact.id));
  if (primary.size === 0) return contacts;
  const read = await hubspot.readCompanies([...new Set(primary.values())], names);
  const companies = new Map(read.companies.map((company) => [company.id, company.properties]));
  return contacts.map((contact) => {
    const companyId = primary.get(contact.id);
    const company = companyId === undefined ? undefined : companies.get(companyId);
    return company ? { ...contact, properties: withCompanyProperties(contact.properties, company, names) } : contact;
  });
}
