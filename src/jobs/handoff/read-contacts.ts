import type { HubSpotPort, ReadContactsResult } from '../../adapters/hubspot/hubspot-port.ts';
import { HUBSPOT_LIMITS } from '../../adapters/hubspot/limits.ts';
import type { HubSpotContact } from '../../core/contact.ts';
import { splitPropertyNames, withCompanyProperties } from '../../core/mappings/company-properties.ts';

export type ContactReader = Pick<HubSpotPort, 'readContacts' | 'readCompanies'>;

const PRIMARY_COMPANY = HUBSPOT_LIMITS.primaryCompanyIdProperty;

/**
 * The contact properties to read for these names, and the company properties to add. When any `company.<name>`
 * is named, the contact's `associatedcompanyid` (its primary company's id, kept by HubSpot) is read with it, so
 * finding the company costs no associations call: a batch makes one companies read, and none when no contact
 * in it has a company. (An associations batch read per batch pushed steady handoffs at 50/s over HubSpot's
 * 190 calls per 10 s; see the closing note of the change that made this choice.)
 */
export function contactReadPlan(properties: readonly string[]): { contact: string[]; company: string[] } {
  const names = splitPropertyNames(properties);
  if (names.company.length === 0 || names.contact.includes(PRIMARY_COMPANY)) return names;
  return { contact: [...names.contact, PRIMARY_COMPANY], company: names.company };
}

/**
 * Reads contacts with every property the bundle names. Names `company.<name>` are read from each contact's primary
 * company and merged into the contact under the same key, so core rules see them like contact properties.
 */
export async function readContactsWithCompanies(hubspot: ContactReader, ids: string[], properties: string[]): Promise<ReadContactsResult> {
  const plan = contactReadPlan(properties);
  const read = await hubspot.readContacts(ids, plan.contact);
  return { contacts: await addCompanyProperties(hubspot, read.contacts, plan.company), missing: read.missing };
}

/**
 * Contacts read with `contactReadPlan`'s contact names (a backfill page), with their primary company's `names`
 * merged in as `company.<name>`: one companies batch read (chunked by the adapter) for the companies they name.
 */
export async function addCompanyProperties(
  hubspot: Pick<HubSpotPort, 'readCompanies'>,
  contacts: HubSpotContact[],
  names: string[],
): Promise<HubSpotContact[]> {
  if (names.length === 0) return contacts;
  const primary = new Map(
    contacts.flatMap((contact) => {
      const companyId = contact.properties[PRIMARY_COMPANY]?.trim();
      return companyId ? [[contact.id, companyId] as const] : [];
    }),
  );
  if (primary.size === 0) return contacts;
  const read = await hubspot.readCompanies([...new Set(primary.values())], names);
  const companies = new Map(read.companies.map((company) => [company.id, company.properties]));
  return contacts.map((contact) => {
    const company = companies.get(primary.get(contact.id) ?? '');
    return company ? { ...contact, properties: withCompanyProperties(contact.properties, company, names) } : contact;
  });
}
