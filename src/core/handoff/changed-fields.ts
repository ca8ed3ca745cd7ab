import type { LeadFields } from './build-lead.ts';
import { asWrittenValues } from './written-values.ts';

/**
 * The Lead fields whose HubSpot value differs from what we last wrote, with the external id the upsert keys on;
 * undefined when none. A field unchanged in HubSpot is left alone: a rep may have edited it in Salesforce since.
 */
export function changedSinceWritten(
  lead: LeadFields,
  before: Readonly<Record<string, unknown>>,
  externalIdField: string,
): LeadFields | undefined {
  const values = asWrittenValues(lead);
  const fields = Object.keys(values).filter((field) => field !== externalIdField && before[field] !== values[field]);
  if (fields.length === 0) return undefined;
  return Object.fromEntries([externalIdField, ...fields].map((field) => [field, lead[field] ?? null])) as LeadFields;
}
