import type { HubSpotContact } from '../contact.ts';
import type { FieldMapping, FieldRule } from './field-schema.ts';
import { applyTransforms, type FieldValue } from './transforms.ts';

export interface MappingProblemItem {
  /** The target field (Salesforce field name for toSalesforce, HubSpot property for toHubSpot). */
  field: string;
  message: string;
  /** A required Salesforce field ended up without a value: the Lead cannot be created. */
  blocking: boolean;
}

export interface ToSalesforceResult {
  fields: Record<string, FieldValue>;
  problems: MappingProblemItem[];
}

export interface ToHubSpotResult {
  properties: Record<string, string>;
  problems: MappingProblemItem[];
}

export interface ToSalesforceOptions {
  /** 'create' fills empty fields from their default; 'update' leaves them out so Salesforce keeps what it has. */
  mode?: 'create' | 'update';
}

/**
 * HubSpot contact → Salesforce Lead fields for every to_salesforce/both rule.
 * Empty values are left out (an empty HubSpot value never clears Salesforce data); failed conversions are reported.
 */
export function toSalesforce(contact: HubSpotContact, mapping: FieldMapping, options: ToSalesforceOptions = {}): ToSalesforceResult {
  const mode = options.mode ?? 'create';
  const fields: Record<string, FieldValue> = {};
  const problems: MappingProblemItem[] = [];
  for (const rule of mapping.fields) {
    if (rule.direction === 'to_hubspot') continue;
    const raw = contact.properties[rule.hubspot];
    const outcome = isEmpty(raw) ? undefined : applyTransforms(raw ?? null, rule.transforms);
    if (outcome && !outcome.ok) problems.push({ field: rule.salesforce, message: `${rule.hubspot}: ${outcome.message}`, blocking: false });
    const value = outcome?.ok && !isEmpty(outcome.value) ? outcome.value : undefined;
    const final = value ?? (mode === 'create' ? rule.default : undefined);
    if (final !== undefined) fields[rule.salesforce] = final;
    else if (rule.required && mode === 'create') problems.push(missingRequired(rule));
  }
  return { fields, problems };
}

function missingRequired(rule: FieldRule): MappingProblemItem {
  return {
    field: rule.salesforce,
    message: `required field ${rule.salesforce} has no value (from ${rule.hubspot}) and no default`,
    blocking: true,
  };
}

/**
 * Salesforce Lead fields → HubSpot properties for every to_hubspot/both rule; HubSpot takes strings only.
 * A value equal to the rule's default is our own placeholder (e.g. "[not provided]") and is not copied back.
 */
export function toHubSpot(leadFields: Record<string, unknown>, mapping: FieldMapping): ToHubSpotResult {
  const properties: Record<string, string> = {};
  const problems: MappingProblemItem[] = [];
  for (const rule of mapping.fields) {
    if (rule.direction === 'to_salesforce') continue;
    const raw = leadFields[rule.salesforce];
    if (raw === undefined || isEmpty(raw as FieldValue)) continue;
    if (!isFieldValue(raw)) {
      problems.push({ field: rule.hubspot, message: `${rule.salesforce}: not a text, number or yes/no value`, blocking: false });
      continue;
    }
    if (rule.default !== undefined && raw === rule.default) continue;
    const outcome = applyTransforms(raw, rule.reverseTransforms);
    if (!outcome.ok) problems.push({ field: rule.hubspot, message: `${rule.salesforce}: ${outcome.message}`, blocking: false });
    else if (!isEmpty(outcome.value)) properties[rule.hubspot] = String(outcome.value);
  }
  return { properties, problems };
}

/** The HubSpot properties the mapping reads when sending to Salesforce. */
export function mappedHubSpotProperties(mapping: FieldMapping): string[] {
  return mapping.fields.filter((f) => f.direction !== 'to_hubspot').map((f) => f.hubspot);
}

function isEmpty(value: FieldValue | undefined): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

function isFieldValue(value: unknown): value is FieldValue {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}
