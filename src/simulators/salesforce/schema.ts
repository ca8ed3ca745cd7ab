/**
 * Field definitions for the simulated org: the standard fields of Lead, Contact, Task, Account and
 * Opportunity that Handoff touches, plus our custom fields (the shipped package's by default,
 * see lead-package-fields.ts).
 */

import { directoryObjects } from './directory-schema.ts';
import { type CustomFieldOption, type FieldDef, f, type ObjectDef, ro, rw } from './field-def.ts';
import { leadStandardFields, salesEngagementLeadFields } from './lead-standard-fields.ts';
import { DEFAULT_OPPORTUNITY_STAGES, FORECAST_CATEGORIES } from './opportunity-stages.ts';

export type { CustomFieldOption, FieldDef, FieldType, ObjectDef } from './field-def.ts';

export {
  DEFAULT_CUSTOM_FIELDS,
  DEFAULT_LEAD_STATUS,
  DEFAULT_LEAD_STATUSES,
  leadPackageFields,
  opportunityPackageFields,
  packageFields,
} from './lead-package-fields.ts';

/** OwnerId is polymorphic where queues may own records (Lead: Group or User); elsewhere a User. */
function systemFields(owners: string[] = ['User']): FieldDef[] {
  return [
    f('Id', 'id', { ...ro, length: 18 }),
    f('OwnerId', 'reference', { referenceTo: owners, length: 18 }),
    f('CreatedById', 'reference', { ...ro, referenceTo: ['User'], length: 18 }),
    f('CreatedDate', 'datetime', ro),
    f('LastModifiedById', 'reference', { ...ro, referenceTo: ['User'], length: 18 }),
    f('LastModifiedDate', 'datetime', ro),
    f('SystemModstamp', 'datetime', ro),
  ];
}

/** Options for what the simulated org has turned on beyond the standard schema. */
export interface OrgFeatures {
  /** Sales Engagement (High Velocity Sales): adds its Lead fields (FirstCallDateTime, FirstEmailDateTime, …). */
  salesEngagement?: boolean;
}

function leadFields(statuses: string[], defaultStatus: string | undefined, features: OrgFeatures): FieldDef[] {
  return [
    ...systemFields(['Group', 'User']),
    ...leadStandardFields(statuses, defaultStatus),
    ...(features.salesEngagement ? salesEngagementLeadFields() : []),
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

/** Salesforce's default Task Status values; only "Completed" is a closed status (TaskStatus IsClosed). */
const TASK_STATUSES = ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'];
export const TASK_CLOSED_STATUSES = ['Completed'];

function taskFields(): FieldDef[] {
  return [
    ...systemFields(),
    f('Subject', 'string', { length: 255 }),
    f('WhoId', 'reference', { referenceTo: ['Lead', 'Contact'] }),
    f('WhatId', 'reference', { referenceTo: ['Opportunity', 'Account'] }),
    f('ActivityDate', 'date', { label: 'Due Date Only' }),
    f('Status', 'picklist', { picklistValues: TASK_STATUSES, restrictedPicklist: true, defaultValue: 'Not Started' }),
    f('Priority', 'picklist', { picklistValues: ['High', 'Normal', 'Low'], restrictedPicklist: true, defaultValue: 'Normal' }),
    // Derived from Status on every save (see derived.ts), never written directly.
    f('IsClosed', 'boolean', { ...ro, label: 'Closed' }),
    f('Description', 'textarea', { length: 32000, label: 'Comments' }),
  ];
}

function accountFields(): FieldDef[] {
  return [
    ...systemFields(),
    f('Name', 'string', { length: 255, required: true, label: 'Account Name' }),
    // Free text as typed ("www.acme.example", "https://acme.example/de"): readers normalise it.
    f('Website', 'url', { length: 255 }),
  ];
}

/**
 * Object Reference, "Opportunity": StageName is required and drives IsClosed, IsWon and the default
 * ForecastCategoryName (see opportunity-stages.ts); Amount is a currency, CloseDate a date.
 */
function opportunityFields(): FieldDef[] {
  return [
    ...systemFields(),
    f('Name', 'string', { length: 120, required: true }),
    f('StageName', 'picklist', { label: 'Stage', picklistValues: DEFAULT_OPPORTUNITY_STAGES.map((s) => s.stage), required: true }),
    f('CloseDate', 'date', { required: true, label: 'Close Date' }),
    f('Amount', 'currency', { precision: 18, scale: 2 }),
    f('IsClosed', 'boolean', { ...ro, label: 'Closed' }),
    f('IsWon', 'boolean', { ...ro, label: 'Won' }),
    f('ForecastCategoryName', 'picklist', { label: 'Forecast Category', picklistValues: [...FORECAST_CATEGORIES] }),
    f('AccountId', 'reference', { referenceTo: ['Account'] }),
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
    ...(option.precision !== undefined ? { precision: option.precision } : {}),
    ...(option.scale !== undefined ? { scale: option.scale } : {}),
    ...(option.defaultValue !== undefined ? { defaultValue: option.defaultValue } : {}),
  };
}

/** The Lead Status default: the one asked for when it is in the list, else the list's first value. */
function pickDefaultStatus(statuses: string[], wanted: string | undefined): string | undefined {
  return wanted !== undefined && statuses.includes(wanted) ? wanted : statuses[0];
}

/**
 * Builds the org's schema. Key prefixes are Salesforce's own (00Q Lead, 003 Contact, 00T Task,
 * 001 Account, 006 Opportunity; the directory objects' in directory-schema.ts).
 */
export function buildSchema(
  leadStatuses: string[],
  customFields: CustomFieldOption[],
  defaultLeadStatus?: string,
  features: OrgFeatures = {},
): Map<string, ObjectDef> {
  const objects: ObjectDef[] = [
    {
      name: 'Lead',
      label: 'Lead',
      keyPrefix: '00Q',
      fields: leadFields(leadStatuses, pickDefaultStatus(leadStatuses, defaultLeadStatus), features),
    },
    { name: 'Contact', label: 'Contact', keyPrefix: '003', fields: contactFields() },
    { name: 'Task', label: 'Task', keyPrefix: '00T', fields: taskFields() },
    { name: 'Account', label: 'Account', keyPrefix: '001', fields: accountFields() },
    { name: 'Opportunity', label: 'Opportunity', keyPrefix: '006', fields: opportunityFields() },
    ...directoryObjects(),
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
