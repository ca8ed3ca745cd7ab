import { z } from 'zod';
import { HUBSPOT_NAME, HUBSPOT_PROPERTY_REF, isCompanyProperty } from '../mappings/company-properties.ts';
import { type Parsed, problemsFromZod } from '../mappings/problems.ts';
import { transformSchema } from './transforms.ts';

const DIRECTIONS = ['to_salesforce', 'to_hubspot', 'both'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** Salesforce API names: letters, digits and underscores, custom ones ending in __c. */
const sfName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a Salesforce API name (letters, digits, _)');
/** HubSpot internal property names are lower-case with digits and underscores. */
const hsName = z.string().regex(HUBSPOT_NAME, 'must be a HubSpot internal property name (lower-case, digits, _)');
/** A mapped field reads a contact property, or `company.<name>`: the primary associated company's (read only). */
const hsSource = z
  .string()
  .regex(
    HUBSPOT_PROPERTY_REF,
    'must be a HubSpot internal property name (lower-case, digits, _), or company.<name> for the primary company',
  );

const fieldSchema = z
  .strictObject({
    hubspot: hsSource,
    salesforce: sfName,
    direction: z.enum(DIRECTIONS),
    /** Salesforce refuses the record without it: no value and no default blocks the handoff. */
    required: z.boolean().default(false),
    /** Fills an empty value when a Lead is created (never on updates, so a rep's edit is not overwritten). */
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    /** Applied in order, HubSpot → Salesforce. */
    transforms: z.array(transformSchema).default([]),
    /** Applied in order, Salesforce → HubSpot. */
    reverseTransforms: z.array(transformSchema).default([]),
  })
  .superRefine((field, ctx) => {
    if (field.direction === 'to_hubspot' && field.transforms.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['transforms'],
        message: 'transforms run HubSpot → Salesforce; this field is to_hubspot: use reverseTransforms',
      });
    }
    if (isCompanyProperty(field.hubspot) && field.direction !== 'to_salesforce') {
      ctx.addIssue({
        code: 'custom',
        path: ['direction'],
        message: `${field.hubspot} is a company property: Handoff only reads companies, so the direction must be to_salesforce`,
      });
    }
    if (field.direction === 'to_salesforce' && field.reverseTransforms.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['reverseTransforms'],
        message: 'reverseTransforms run Salesforce → HubSpot; this field is to_salesforce',
      });
    }
  });
export type FieldRule = z.output<typeof fieldSchema>;

const salesforceSchema = z.strictObject({
  object: sfName.default('Lead'),
  /** External id field used for idempotent upserts; it holds the HubSpot contact id. */
  externalIdField: sfName,
  statusField: sfName.default('Status'),
  fields: z.strictObject({
    score: sfName,
    breakdown: sfName,
    definitionVersion: sfName,
    mqlDate: sfName,
    // Sales-side fields (defaults = the names in salesforce-metadata/, so older mapping files keep loading).
    /** Picklist of the rejection taxonomy codes; required by Handoff when a Lead is rejected. */
    rejectionReason: sfName.default('Rejection_Reason__c'),
    /** Free text; required for reasons marked requiresNote. */
    rejectionNote: sfName.default('Rejection_Note__c'),
    /** Text the rep sees: synced, or blocked and why. Never read back as news. */
    syncStatus: sfName.default('Handoff_Sync_Status__c'),
    /** When the owner must have acted on the MQL. */
    slaDue: sfName.default('SLA_Due__c'),
    /** Checkbox the SLA tick ticks when a clock breached, so the rep sees it on the Lead. */
    slaBreached: sfName.default('SLA_Breached__c'),
  }),
  /** Whether the MQL date field is a Salesforce Date (YYYY-MM-DD) or DateTime (ISO 8601). */
  mqlDateType: z.enum(['date', 'datetime']).default('datetime'),
});

const hubspotSchema = z.strictObject({
  /** Contact property that receives the Salesforce Lead id once the handoff succeeded. */
  salesforceIdProperty: hsName,
  mqlScoreProperty: hsName.optional(),
  definitionVersionProperty: hsName.optional(),
  // Feedback from sales (defaults keep older mapping files loading).
  rejectionReasonProperty: hsName.default('handoff_rejection_reason'),
  rejectionNoteProperty: hsName.default('handoff_rejection_note'),
  rejectedAtProperty: hsName.default('handoff_rejected_at'),
  rejectedByProperty: hsName.default('handoff_rejected_by'),
  /** Date from which marketing may re-qualify a recycled contact. */
  recycleAfterProperty: hsName.default('handoff_recycle_after'),
  /** The BANT criteria met when the Lead became an SQL. */
  sqlCriteriaProperty: hsName.default('handoff_sql_criteria'),
});

export const fieldMappingSchema = z
  .strictObject({
    version: z.string().min(1, 'version must be a non-empty string'),
    salesforce: salesforceSchema,
    hubspot: hubspotSchema,
    fields: z.array(fieldSchema).min(1, 'map at least one field').superRefine(checkUniqueTargets),
  })
  .superRefine((mapping, ctx) => {
    const reserved = [mapping.salesforce.externalIdField, mapping.salesforce.statusField, ...Object.values(mapping.salesforce.fields)];
    mapping.fields.forEach((field, i) => {
      if (reserved.includes(field.salesforce) && field.direction !== 'to_hubspot') {
        ctx.addIssue({
          code: 'custom',
          path: ['fields', i, 'salesforce'],
          message: `${field.salesforce} is written by the handoff itself; it cannot also be mapped to Salesforce`,
        });
      }
    });
  });
export type FieldMapping = z.output<typeof fieldMappingSchema>;

/** Two rules writing the same Salesforce field (or the same HubSpot property) would race each other. */
function checkUniqueTargets(fields: FieldRule[], ctx: z.RefinementCtx): void {
  const toSf = new Map<string, number>();
  const toHs = new Map<string, number>();
  fields.forEach((field, i) => {
    if (field.direction !== 'to_hubspot') noteUnique(toSf, field.salesforce, i, 'salesforce', 'Salesforce field', ctx);
    if (field.direction !== 'to_salesforce') noteUnique(toHs, field.hubspot, i, 'hubspot', 'HubSpot property', ctx);
  });
}

function noteUnique(seen: Map<string, number>, name: string, i: number, key: string, what: string, ctx: z.RefinementCtx): void {
  const first = seen.get(name.toLowerCase());
  if (first === undefined) seen.set(name.toLowerCase(), i);
  else ctx.addIssue({ code: 'custom', path: [i, key], message: `${what} ${name} is already written by fields[${first}]` });
}

export function parseFieldMapping(file: string, data: unknown): Parsed<FieldMapping> {
  const result = fieldMappingSchema.safeParse(data);
  return result.success ? { ok: true, value: result.data } : { ok: false, problems: problemsFromZod(file, result.error) };
}
