import { describe, expect, it } from '@jest/globals';
import { type LiveField, type LiveProperty, rowFlags } from '../../../../src/http/admin-page/static/js/mapping-checks.js';

const text = (name: string, extra: Partial<LiveProperty> = {}): LiveProperty => ({
  name,
  type: 'string',
  readOnly: false,
  options: [],
  ...extra,
});
const field = (name: string, type: string, extra: Partial<LiveField> = {}): LiveField => ({
  name,
  type,
  createable: true,
  updateable: true,
  picklistValues: [],
  ...extra,
});
const source = text('hs_analytics_source', {
  type: 'enumeration',
  options: [
    { value: 'ORGANIC_SEARCH', label: 'Organic search' },
    { value: 'OFFLINE', label: 'Offline' },
  ],
});
const leadSource = field('LeadSource', 'picklist', {
  picklistValues: [
    { value: 'Web', label: 'Web', active: true },
    { value: 'Other', label: 'Other', active: true },
    { value: 'OFFLINE', label: 'Offline', active: false },
  ],
});
const kinds = (flags: Array<{ kind: string }>) => flags.map((f) => f.kind);

describe('the flags the mapping table shows as the admin picks', () => {
  it.each([
    ['text into text', text('city'), field('City', 'string'), [], []],
    ['text into a number field', text('city'), field('NumberOfEmployees', 'int'), [], ['type']],
    ['text made a number first', text('employees'), field('NumberOfEmployees', 'int'), ['integer'], []],
    ['a HubSpot number into a number field', text('n', { type: 'number' }), field('AnnualRevenue', 'currency'), [], []],
    ['text into a checkbox', text('opt_in'), field('HasOptedOut', 'boolean'), [], ['type']],
    ['a HubSpot date into a date field', text('d', { type: 'date' }), field('Due__c', 'date'), [], []],
  ])('%s', (_name, property, target, transforms, expected) => {
    expect(
      kinds(rowFlags({ hubspot: property.name, salesforce: target.name, direction: 'to_salesforce', transforms }, property, target)),
    ).toEqual(expected);
  });

  it('flags a read-only target on the side written, not on the side only read', () => {
    const created = field('CreatedDate', 'datetime', { createable: false, updateable: false });
    const row = { hubspot: 'createdate', salesforce: 'CreatedDate', direction: 'to_salesforce' as const };
    const date = text('createdate', { type: 'datetime', readOnly: true });
    expect(rowFlags(row, date, created)).toEqual([{ kind: 'read-only', text: 'CreatedDate is read-only in Salesforce' }]);
    expect(kinds(rowFlags({ ...row, direction: 'to_hubspot' }, date, created))).toEqual(['read-only']);
    expect(rowFlags({ ...row, direction: 'to_hubspot' }, date, created)[0]?.text).toContain('HubSpot computes createdate');
  });

  it("names the picklist values the target does not offer, after the transform's map and fallback", () => {
    const row = { hubspot: source.name, salesforce: 'LeadSource', direction: 'to_salesforce' as const };
    expect(rowFlags(row, source, leadSource)).toEqual([
      { kind: 'picklist', text: "Salesforce's LeadSource does not offer ORGANIC_SEARCH, OFFLINE" },
    ]);
    const mapped = { ...row, transforms: [{ picklist: { values: { ORGANIC_SEARCH: 'Web' }, fallback: 'Other' } }] };
    expect(rowFlags(mapped, source, leadSource)).toEqual([]);
    const noFallback = { ...row, transforms: [{ picklist: { values: { ORGANIC_SEARCH: 'Web' } } }] };
    expect(rowFlags(noFallback, source, leadSource)[0]?.text).toBe("Salesforce's LeadSource does not offer OFFLINE");
  });

  it('says when the live schemas have no such property or field, except for company properties', () => {
    const row = { hubspot: 'company.industry', salesforce: 'Industry__x', direction: 'to_salesforce' as const };
    expect(rowFlags(row, undefined, undefined)).toEqual([{ kind: 'unknown', text: 'Salesforce has no field Industry__x' }]);
    expect(kinds(rowFlags({ ...row, hubspot: 'nope' }, undefined, undefined))).toEqual(['unknown', 'unknown']);
  });
});
