import { z } from 'zod';
import type { PropertyInfo } from '../../adapters/hubspot/hubspot-port.ts';
import type { ObjectDescription } from '../../adapters/salesforce/salesforce-port.ts';
import { type AdminRoute, defineRoute } from './route.ts';

/** The adapters' answers the page's pickers need: HubSpot's contact properties and Salesforce's describe. */
export interface SchemaSources {
  /** CRM Properties API, "Read all properties": name, label, type, fieldType, read-only, options. */
  listProperties(): Promise<PropertyInfo[]>;
  /** REST API "sObject Describe": each field's label, type, access, length and active picklist values. */
  describe(object: string): Promise<ObjectDescription>;
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

type Property = PropertyInfo;
type Field = ObjectDescription['fields'][number];

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
  // The describe keeps only active values: an inactive one is a value a Lead cannot take.
  picklistValues: f.picklistValues.map((value) => ({ value, label: f.picklistLabels?.[value] ?? value, active: true })),
});
