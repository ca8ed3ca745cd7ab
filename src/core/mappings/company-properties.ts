/**
 * Definitions and mappings may read the contact's primary associated company: `company.<name>` names the
 * company property `<name>` (for example `company.numberofemployees`). The handoff reads those companies and
 * hands core each contact with its company's values merged in under the same `company.<name>` keys, so the
 * rules read them like any contact property and core stays free of I/O.
 */
const COMPANY_PREFIX = 'company.';

/** HubSpot internal property names: lower-case letters, digits and underscores. */
export const HUBSPOT_NAME = /^[a-z0-9_]+$/;
/** A contact property, or `company.` and a company property. */
export const HUBSPOT_PROPERTY_REF = /^(company\.)?[a-z0-9_]+$/;

export function isCompanyProperty(name: string): boolean {
  return name.startsWith(COMPANY_PREFIX);
}

/** `company.industry` → `industry`. */
export function companyPropertyName(name: string): string {
  return name.slice(COMPANY_PREFIX.length);
}

/** Splits names a bundle reads into the contact's own and the company's (without the prefix), each sorted and unique. */
export function splitPropertyNames(names: readonly string[]): { contact: string[]; company: string[] } {
  const contact = new Set<string>();
  const company = new Set<string>();
  for (const name of names) {
    if (isCompanyProperty(name)) company.add(companyPropertyName(name));
    else contact.add(name);
  }
  return { contact: [...contact].sort(), company: [...company].sort() };
}

/** The contact's properties with the company's merged in as `company.<name>` (absent company: left as they are). */
export function withCompanyProperties<T extends Record<string, string | null | undefined>>(
  contact: T,
  company: Record<string, string | null | undefined> | undefined,
  names: readonly string[],
): T {
  if (!company) return contact;
  const merged: Record<string, string | null | undefined> = { ...contact };
  for (const name of names) {
    const value = company[name];
    if (value !== undefined && value !== null) merged[`${COMPANY_PREFIX}${name}`] = value;
  }
  return merged as T;
}
