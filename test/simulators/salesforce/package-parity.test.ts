import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import {
  DEFAULT_LEAD_STATUS,
  DEFAULT_LEAD_STATUSES,
  leadPackageFields,
  opportunityPackageFields,
} from '../../../src/simulators/salesforce/lead-package-fields.ts';
import type { CustomFieldOption, FieldType } from '../../../src/simulators/salesforce/schema.ts';
import { type PackageField, readLeadFields, readLeadStatuses, readOpportunityFields } from './support/sfdx-package.ts';

/** The simulator's default org must be the org the metadata package deploys. */

const TYPES: Record<string, FieldType> = {
  Text: 'string',
  Number: 'double',
  LongTextArea: 'textarea',
  DateTime: 'datetime',
  Picklist: 'picklist',
  Checkbox: 'boolean',
};

/** `reasonCodes`: the values the simulator is given for the field's reason picklist (rejection or loss). */
function asOption(field: PackageField, reasonCodes: string[], object = 'Lead'): CustomFieldOption {
  const type = TYPES[field.type];
  if (!type) throw new Error(`${field.fullName}: no simulator type for ${field.type}`);
  const values = field.values.map((v) => v.fullName);
  const reasonPicklist = field.fullName === 'Rejection_Reason__c' || field.fullName === 'Handoff_Loss_Reason__c';
  return {
    object,
    name: field.fullName,
    label: field.label,
    type,
    ...(field.length !== undefined ? { length: field.length } : {}),
    ...(field.externalId ? { externalId: true } : {}),
    ...(field.unique ? { unique: true } : {}),
    ...(type === 'picklist' && field.restricted ? { picklistValues: reasonPicklist ? reasonCodes : values, restrictedPicklist: true } : {}),
    ...(field.precision !== undefined ? { precision: field.precision } : {}),
    ...(field.scale !== undefined ? { scale: field.scale } : {}),
    ...(field.defaultValue !== undefined ? { defaultValue: field.defaultValue === 'true' } : {}),
  };
}

const byName = (a: CustomFieldOption, b: CustomFieldOption): number => a.name.localeCompare(b.name);

describe('simulator defaults match salesforce-metadata/', () => {
  const packageFields = [...readLeadFields().values()];
  const codes = packageFields.find((f) => f.fullName === 'Rejection_Reason__c')?.values.map((v) => v.fullName) ?? [];

  it('has the package fields with the same types, lengths, keys, defaults and restricted values', () => {
    expect(codes.length).toBeGreaterThan(0);
    expect([...leadPackageFields(codes)].sort(byName)).toEqual(packageFields.map((f) => asOption(f, codes)).sort(byName));
  });

  it('has the package Opportunity field (the loss reason) with the same type and restricted values', () => {
    const opportunity = [...readOpportunityFields().values()];
    const lossCodes = opportunity.find((f) => f.fullName === 'Handoff_Loss_Reason__c')?.values.map((v) => v.fullName) ?? [];
    expect(lossCodes.length).toBeGreaterThan(0);
    expect(opportunityPackageFields(lossCodes)).toEqual(opportunity.map((f) => asOption(f, lossCodes, 'Opportunity')));
  });

  it('leaves Rejection_Reason__c unrestricted when no taxonomy is given', () => {
    expect(leadPackageFields().find((f) => f.name === 'Rejection_Reason__c')).toEqual({
      object: 'Lead',
      name: 'Rejection_Reason__c',
      label: 'Rejection Reason',
      type: 'picklist',
    });
  });

  it('has the LeadStatus values in the same order, with the same default', () => {
    const statuses = readLeadStatuses();
    expect(DEFAULT_LEAD_STATUSES).toEqual(statuses.map((s) => s.fullName));
    expect(DEFAULT_LEAD_STATUS).toBe(statuses.find((s) => s.default)?.fullName);
  });

  it('accepts every status the shipped status map writes or reads', () => {
    const map = parse(readFileSync(new URL('../../../mappings/status-map.yaml', import.meta.url), 'utf8')) as {
      stages: Record<string, { salesforce: { write: string; read: string[] } }>;
    };
    const mapped = Object.values(map.stages).flatMap((s) => [s.salesforce.write, ...s.salesforce.read]);
    expect(mapped.length).toBeGreaterThan(0);
    expect(DEFAULT_LEAD_STATUSES).toEqual(expect.arrayContaining(mapped));
  });
});
