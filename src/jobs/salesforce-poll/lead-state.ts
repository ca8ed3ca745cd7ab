import { LEAD_SYSTEM_FIELDS } from '../../core/mappings/cross-checks.ts';
import type { LeadState } from '../../core/sales/lead-change-types.ts';

/** What a Lead row holds besides its mapped fields: the poll's own fields and the REST answer's `attributes`. */
const SYSTEM_FIELDS = new Set([...LEAD_SYSTEM_FIELDS, 'attributes']);

function text(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  return typeof value === 'string' ? value : String(value);
}

/** A Lead row from SOQL as the core reads it: every value a string or null, checkboxes as "true"/"false". */
export function toLeadState(row: Record<string, unknown>, externalIdField: string, statusField: string): LeadState {
  const fields: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(row)) {
    if (!SYSTEM_FIELDS.has(name) && name !== externalIdField && name !== statusField) fields[name] = text(value);
  }
  return {
    id: String(row.Id),
    hubspotContactId: text(row[externalIdField]) ?? '',
    status: text(row[statusField]),
    isConverted: row.IsConverted === true || row.IsConverted === 'true',
    convertedContactId: text(row.ConvertedContactId),
    convertedOpportunityId: text(row.ConvertedOpportunityId),
    ownerId: text(row.OwnerId),
    lastModifiedById: text(row.LastModifiedById),
    systemModstamp: text(row.SystemModstamp) ?? '',
    fields,
  };
}

/** SOQL datetime literals are unquoted ISO 8601 in UTC. */
export function soqlDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Salesforce writes "2026-11-22T10:00:00.000+0000"; Date.parse wants a colon in the offset. */
export function parseSalesforceDateTime(value: string): number {
  return Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}
