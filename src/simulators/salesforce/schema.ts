/**
 * Field definitions for the simulated org: the standard fields of Lead, Contact, Task and
 * Opportunity that Handoff touches, plus our custom fields (configurable so later work can add some).
 */

export type FieldType =
  | 'id' | 'string' | 'email' | 'phone' | 'url' | 'textarea' | 'picklist' | 'boolean'
  | 'double' | 'int' | 'datetime' | 'date' | 'reference';

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  length?: number;
  required?: boolean;
  createable: boolean;
  updateable: boolean;
  externalId?: boolean;
  unique?: boolean;
  picklistValues?: string[];
  restrictedPicklist?: boolean;
  defaultValue?: unknown;
  custom?: boolean;
  referenceTo?: string[];
}

export interface ObjectDef {
  name: string;
  label: string;
  keyPrefix: string;
  fields: FieldDef[];
}

/** Options to describe the org's custom fields; defaults are Handoff's own fields on Lead. */
export interface CustomFieldOption {
  object: string;
  name: string;
  label?: string;
  type: FieldType;
  length?: number;
  externalId?: boolean;
  unique?: boolean;
  picklistValues?: string[];
  restrictedPicklist?: boolean;
}

export const DEFAULT_LEAD_STATUSES = [
  'Open - Not Contacted',
  'Working - Contacted',
  'Closed - Converted',
  'Closed - Not Converted',
];

export const DEFAULT_CUSTOM_FIELDS: CustomFieldOption[] = [
  { object: 'Lead', name: 'Handoff_HubSpot_Id__c', type: 'string', length: 255, externalId: true, unique: true },
  { object: 'Lead', name: 'MQL_Score__c', type: 'double' },
  { object: 'Lead', name: 'MQL_Breakdown__c', type: 'textarea', length: 32768 },
  { object: 'Lead', name: 'MQL_Definition_Version__c', type: 'string', length: 80 },
  { object: 'Lead', name: 'MQL_Date__c', type: 'datetime' },
];

const rw = { createable: true, updateable: true };
const ro = { createable: false, updateable: false };

function f(name: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef {
  return { name, label: name.replace(/__c$/, '').replace(/_/g, ' '), type, ...rw, ...extra };
}

function systemFields(): FieldDef[] {
  return [
    f('Id', 'id', { ...ro, length: 18 }),
    f('OwnerId', 'reference', { referenceTo: ['User'], length: 18 }),
    f('CreatedDate', 'datetime', ro),
    f('LastModifiedDate', 'datetime', ro),
    f('SystemModstamp', 'datetime', ro),
  ];
}

function leadFields(statuses: string[]): FieldDef[] {
  return [
    ...systemFields(),
    f('FirstName', 'string', { length: 40 }),
    f('LastName', 'string', { length: 80, required: true }),
    f('Company', 'string', { length: 255, required: true }),
    f('Email', 'email', { length: 80 }),
    f('Title', 'string', { length: 128 }),
    f('Phone', 'phone', { length: 40 }),
    f('Country', 'string', { length: 80 }),
    f('Industry', 'picklist', { picklistValues: ['Technology', 'Finance', 'Healthcare', 'Manufacturing', 'Retail', 'Education', 'Other'] }),
    f('NumberOfEmployees', 'int'),
    f('LeadSource', 'picklist', { picklistValues: ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'] }),
    f('Website', 'url', { length: 255 }),
    f('Status', 'picklist', { label: 'Lead Status', picklistValues: statuses, restrictedPicklist: true, defaultValue: statuses[0] }),
    f('IsConverted', 'boolean', ro),
    f('ConvertedContactId', 'reference', { ...ro, referenceTo: ['Contact'] }),
    f('ConvertedOpportunityId', 'reference', { ...ro, referenceTo: ['Opportunity'] }),
    f('ConvertedDate', 'date', ro),
    f('Description', 'textarea', { length: 32000 }),
  ];
}

function contactFields(): FieldDef[] {
  return [
    ...systemFields(),
    f('FirstName', 'string', { length: 40 }),
    f('LastName', 'string', { length: 80, required: true }),
    f('Email', 'email', { length: 80 }),
    f('Title', 'string', { length: 128 }),
    f('Phone', 'phone', { length: 40 }),
    f('AccountId', 'reference', { referenceTo: ['Account'] }),
    f('Description', 'textarea', { length: 32000 }),
  ];
}

function taskFields(): FieldDef[] {
  return [
    ...systemFields(),
    f('Subject', 'string', { length: 255 }),
    f('WhoId', 'reference', { referenceTo: ['Lead', 'Contact'] }),
    f('WhatId', 'reference', { referenceTo: ['Opportunity'] }),
    f('ActivityDate', 'date'),
    f('Status', 'picklist', { picklistValues: ['Not Started', 'In Progress', 'Completed'], restrictedPicklist: true, defaultValue: 'Not Started' }),
    f('Priority', 'picklist', { picklistValues: ['High', 'Normal', 'Low'], restrictedPicklist: true, defaultValue: 'Normal' }),
    f('Description', 'textarea', { length: 32000 }),
  ];
}

function opportunityFields(): FieldDef[] {
  return [
    ...systemFields(),
    f('Name', 'string', { length: 120, required: true }),
    f('StageName', 'picklist', { picklistValues: ['Prospecting', 'Qualification', 'Closed Won', 'Closed Lost'], required: true }),
    f('CloseDate', 'date', { required: true }),
    f('Amount', 'double'),
  ];
}

function customField(option: CustomFieldOption): FieldDef {
  return {
    name: option.name,
    label: option.label ?? option.name.replace(/__c$/, '').replace(/_/g, ' '),
    type: option.type,
    ...rw,
    custom: true,
    ...(option.length !== undefined ? { length: option.length } : {}),
    ...(option.externalId ? { externalId: true } : {}),
    ...(option.unique ? { unique: true } : {}),
    ...(option.picklistValues ? { picklistValues: option.picklistValues } : {}),
    ...(option.restrictedPicklist ? { restrictedPicklist: true } : {}),
  };
}

/** Builds the org's schema. Key prefixes are Salesforce's own (00Q Lead, 003 Contact, 00T Task, 006 Opportunity). */
export function buildSchema(leadStatuses: string[], customFields: CustomFieldOption[]): Map<string, ObjectDef> {
  const objects: ObjectDef[] = [
    { name: 'Lead', label: 'Lead', keyPrefix: '00Q', fields: leadFields(leadStatuses) },
    { name: 'Contact', label: 'Contact', keyPrefix: '003', fields: contactFields() },
    { name: 'Task', label: 'Task', keyPrefix: '00T', fields: taskFields() },
    { name: 'Opportunity', label: 'Opportunity', keyPrefix: '006', fields: opportunityFields() },
  ];
  for (const option of customFields) {
    const target = objects.find((o) => o.name === option.object);
    if (!target) throw new Error(`custom field ${option.name}: unknown object ${option.object}`);
    target.fields.push(customField(option));
  }
  return new Map(objects.map((o) => [o.name.toLowerCase(), o]));
}

export function findObject(schema: Map<string, ObjectDef>, name: string): ObjectDef | undefined {
  return schema.get(name.toLowerCase());
}

/** Field names are case-insensitive in the API; this returns the canonical definition. */
export function findField(object: ObjectDef, name: string): FieldDef | undefined {
  const lower = name.toLowerCase();
  return object.fields.find((field) => field.name.toLowerCase() === lower);
}
