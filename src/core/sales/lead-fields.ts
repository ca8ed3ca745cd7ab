import type { MappingsBundle } from '../mappings/bundle.ts';
import { LEAD_SYSTEM_FIELDS } from '../mappings/cross-checks.ts';
import type { LeadState } from './lead-change-types.ts';
import { bantFields } from './sql-schema.ts';

/** Salesforce fields mapped back to HubSpot (to_hubspot or both). */
function reverseMappedFields(bundle: MappingsBundle): string[] {
  return bundle.fieldMapping.fields.filter((f) => f.direction !== 'to_salesforce').map((f) => f.salesforce);
}

/**
 * The SOQL select list for the sales-side poll: standard fields, Handoff's own fields, BANT fields and every
 * field mapped back to HubSpot. SOQL field names are case-insensitive, so duplicates are dropped that way.
 */
export function leadFieldsToRead(bundle: MappingsBundle): string[] {
  const sf = bundle.fieldMapping.salesforce;
  const [id = 'Id', ...system] = LEAD_SYSTEM_FIELDS;
  const names = [
    id,
    sf.statusField,
    ...system,
    sf.externalIdField,
    sf.fields.rejectionReason,
    sf.fields.rejectionNote,
    sf.fields.syncStatus,
    ...bantFields(bundle.sql),
    ...reverseMappedFields(bundle),
  ];
  const seen = new Set<string>();
  return names.filter((name) => {
    const key = name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The two halves of a fingerprint: what decides the stage and feedback, and what only copies field values. */
export interface FingerprintParts {
  decision: Record<string, string | boolean | null>;
  fields: Record<string, string | null>;
}

/**
 * Values that matter for a decision, as stable JSON (keys sorted). Leaves out the sync-status field,
 * SystemModstamp and LastModifiedById: our own writes change those, and must not look like news.
 */
export function fingerprintOf(lead: LeadState, bundle: MappingsBundle): string {
  const sf = bundle.fieldMapping.salesforce.fields;
  const decision: FingerprintParts['decision'] = {
    status: lead.status,
    isConverted: lead.isConverted,
    convertedContactId: lead.convertedContactId,
    convertedOpportunityId: lead.convertedOpportunityId,
    rejectionReason: fieldValue(lead, sf.rejectionReason),
    rejectionNote: fieldValue(lead, sf.rejectionNote),
  };
  for (const field of bantFields(bundle.sql)) decision[`bant.${field}`] = fieldValue(lead, field);
  const fields: FingerprintParts['fields'] = {};
  for (const field of reverseMappedFields(bundle)) fields[field] = fieldValue(lead, field);
  return JSON.stringify({ decision: sorted(decision), fields: sorted(fields) });
}

/** Reads a fingerprint back; undefined when it is not one of ours (then everything counts as changed). */
export function parseFingerprint(fingerprint: string | undefined): FingerprintParts | undefined {
  if (!fingerprint) return undefined;
  try {
    const parsed = JSON.parse(fingerprint) as Partial<FingerprintParts> | null;
    return parsed && typeof parsed.decision === 'object' && typeof parsed.fields === 'object' ? (parsed as FingerprintParts) : undefined;
  } catch {
    return undefined;
  }
}

/** A Lead field's value; a missing field reads as empty (null). */
export function fieldValue(lead: LeadState, field: string): string | null {
  return lead.fields[field] ?? null;
}

function sorted<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
