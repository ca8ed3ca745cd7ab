import { z } from 'zod';
import { type AdminRoute, defineRoute } from './route.ts';

/**
 * What the adapters answer, as far as the page needs it. The label, field type, read-only flag, length and
 * picklist labels are optional: where an adapter does not pass them on, the route says so with the property's own
 * name as its label, null for an unknown length or nillable, and the value as a picklist value's label.
 */
export interface SchemaSources {
  /** HubSpot adapter listProperties (CRM Properties API, "Read all properties": label, type, fieldType, options). */
  listProperties(): Promise<
    Array<{
      name: string;
      type: string;
      label?: string;
      fieldType?: string;
      /** modificationMetadata.readOnlyValue: HubSpot computes the value and refuses writes to it. */
      readOnly?: boolean;
      options?: Array<{ value: string; label: string }>;
    }>
  >;
  /** Salesforce adapter describe (REST API "sObject Describe": each field's label, type, createable, updateable, …). */
  describe(object: string): Promise<{
    name: string;
    fields: Array<{
      name: string;
      type: string;
      createable: boolean;
      updateable: boolean;
      label?: string;
      nillable?: boolean;
      length?: number;
      picklistValues: Array<string | { value: string; label?: string; active?: boolean }>;
    }>;
  }>;
}

const SALESFORCE_OBJECTS = ['Lead', 'Opportunity'] as const;

const option = z.object({ value: z.string(), label: z.string() });
export const contactPropertiesSchema = z.object({
  properties: z.array(
    z.object({
      name: z.string().describe('Internal name, as the mapping files write it'),
      label: z.string(),
      type: z.string().describe('string, number, date, datetime, enumeration, bool, …'),
      fieldType: z.string().nullable().describe('How HubSpot shows it: text, select, checkbox, …; null when unknown'),
      readOnly: z.boolean().describe('HubSpot computes the value: Handoff cannot write it'),
      options: z.array(option),
    }),
  ),
});

export const objectFieldsSchema = z.object({
  object: z.enum(SALESFORCE_OBJECTS),
  fields: z.array(
    z.object({
      name: z.string().describe('API name'),
      label: z.string(),
      type: z.string().describe('string, picklist, double, date, datetime, boolean, …'),
      updateable: z.boolean(),
      createable: z.boolean(),
      nillable: z.boolean().nullable().describe('null when the describe did not say'),
      length: z.number().nullable().describe('Maximum length of a text field; null when not a text field or unknown'),
      picklistValues: z.array(z.object({ value: z.string(), label: z.string(), active: z.boolean() })),
    }),
  ),
});

const objectParams = z.strictObject({ object: z.enum(SALESFORCE_OBJECTS).describe('The Salesforce object Handoff writes') });

/** GET /api/schemas/…: the live HubSpot contact properties and Salesforce fields the admin page's pickers offer. */
export function schemaRoutes(sources: SchemaSources): AdminRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/schemas/hubspot/contact-properties',
      tag: 'configuration',
      summary: "HubSpot's contact properties, read live: name, label, type, options",
      responses: { 200: { description: 'Every contact property', schema: contactPropertiesSchema } },
      handle: async () => ({ json: { properties: (await sources.listProperties()).map(propertyView) } }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/schemas/salesforce/:object',
      tag: 'configuration',
      summary: "A Salesforce object's fields from describe, read live: label, type, access, picklist values",
      params: objectParams,
      responses: {
        200: { description: "The object's fields", schema: objectFieldsSchema },
        400: { description: 'Not an object Handoff writes (Lead or Opportunity)' },
      },
      handle: async ({ params }) => {
        const described = await sources.describe(params.object);
        return { json: { object: params.object, fields: described.fields.map(fieldView) } };
      },
    }),
  ];
}

type Property = Awaited<ReturnType<SchemaSources['listProperties']>>[number];
type Field = Awaited<ReturnType<SchemaSources['describe']>>['fields'][number];

const propertyView = (p: Property) => ({
  name: p.name,
  label: p.label ?? p.name,
  type: p.type,
  fieldType: p.fieldType ?? null,
  readOnly: p.readOnly ?? false,
  options: (p.options ?? []).map((o) => ({ value: o.value, label: o.label })),
});

const fieldView = (f: Field) => ({
  name: f.name,
  label: f.label ?? f.name,
  type: f.type,
  updateable: f.updateable,
  createable: f.createable,
  nillable: f.nillable ?? null,
  length: f.length ?? null,
  // The adapter may pass only the active values' names; an inactive value is one a Lead cannot take.
  picklistValues: f.picklistValues.map((p) =>
    typeof p === 'string'
      ? { value: p, label: p, active: true }
      : { value: p.value, label: p.label ?? p.value, active: p.active !== false },
  ),
});
