import { describe, expect, it } from '@jest/globals';
import { type Condition, evaluateCondition } from '../../../src/core/definitions/conditions.ts';
import { parseMqlDefinition } from '../../../src/core/definitions/mql-schema.ts';
import { qualifyMql } from '../../../src/core/definitions/qualify-mql.ts';
import { toSalesforce } from '../../../src/core/field-mapping/apply-mapping.ts';
import { parseFieldMapping } from '../../../src/core/field-mapping/field-schema.ts';
import { splitPropertyNames, withCompanyProperties } from '../../../src/core/mappings/company-properties.ts';
import { contact, shippedBundle } from './helpers.ts';

const definition = (when: unknown) => ({
  version: 't',
  fit: [{ id: 'r', label: 'R', points: 10, when }],
  segments: [{ id: 'd', label: 'D', default: true, threshold: { total: 10 } }],
});

describe('company.<name> properties in conditions', () => {
  it.each<[string, Condition, Record<string, string>, boolean]>([
    [
      'company number reached',
      { property: 'company.numberofemployees', op: 'gte', value: 1000 },
      { 'company.numberofemployees': '5000' },
      true,
    ],
    [
      'company number below',
      { property: 'company.numberofemployees', op: 'gte', value: 1000 },
      { 'company.numberofemployees': '200' },
      false,
    ],
    [
      'contact value does not stand in for the company one',
      { property: 'company.industry', op: 'eq', value: 'BANKING' },
      { industry: 'BANKING' },
      false,
    ],
    [
      'company industry in a list',
      { property: 'company.industry', op: 'in', values: ['BANKING', 'INSURANCE'] },
      { 'company.industry': 'insurance' },
      true,
    ],
    ['isEmpty on an absent company value', { property: 'company.numberofemployees', op: 'isEmpty' }, {}, true],
    [
      'isEmpty on a blank company value',
      { property: 'company.numberofemployees', op: 'isEmpty' },
      { 'company.numberofemployees': '  ' },
      true,
    ],
    ['isEmpty on a company value', { property: 'company.numberofemployees', op: 'isEmpty' }, { 'company.numberofemployees': '12' }, false],
  ])('%s', (_name, condition, properties, matched) => {
    expect(evaluateCondition(condition, properties).matched).toBe(matched);
  });

  it.each<[string, unknown, string | undefined]>([
    ['company.<name> loads', { property: 'company.numberofemployees', op: 'gte', value: 1 }, undefined],
    ['another prefix is refused', { property: 'deal.amount', op: 'gte', value: 1 }, 'fit[0].when.property'],
    ['upper case is refused', { property: 'company.NumberOfEmployees', op: 'gte', value: 1 }, 'fit[0].when.property'],
    ['isEmpty takes no value', { property: 'company.industry', op: 'isEmpty', value: 'x' }, 'fit[0].when.value'],
  ])('the definition schema: %s', (_name, when, problemPath) => {
    const parsed = parseMqlDefinition('mql-definition.yaml', definition(when));
    if (problemPath === undefined) expect(parsed.ok).toBe(true);
    else expect(!parsed.ok && parsed.problems.map((p) => p.path)).toContain(problemPath);
  });
});

describe('company.<name> properties in the field mapping', () => {
  const mappingWith = (field: Record<string, unknown>) => ({
    version: 't',
    salesforce: { externalIdField: 'Ext__c', fields: { score: 'S__c', breakdown: 'B__c', definitionVersion: 'V__c', mqlDate: 'D__c' } },
    hubspot: { salesforceIdProperty: 'sf_id' },
    fields: [field],
  });

  it('maps the company number of employees to a Salesforce number', () => {
    const parsed = parseFieldMapping(
      'field-mapping.yaml',
      mappingWith({
        hubspot: 'company.numberofemployees',
        salesforce: 'NumberOfEmployees',
        direction: 'to_salesforce',
        transforms: ['integer'],
      }),
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(toSalesforce(contact({ 'company.numberofemployees': '1200' }), parsed.value).fields).toEqual({ NumberOfEmployees: 1200 });
    expect(toSalesforce(contact({ numemployees: '1000+' }), parsed.value).fields).toEqual({});
  });

  it.each(['both', 'to_hubspot'])('refuses direction %s for a company property (Handoff never writes companies)', (direction) => {
    const parsed = parseFieldMapping('field-mapping.yaml', mappingWith({ hubspot: 'company.industry', salesforce: 'Industry', direction }));
    expect(!parsed.ok && parsed.problems.map((p) => `${p.path}: ${p.message}`)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^fields\[0\]\.direction: company\.industry is a company property/)]),
    );
  });
});

describe('the shipped definition reads size and industry from the company, the contact as a fallback', () => {
  const bundle = shippedBundle();
  const points = (properties: Record<string, string>) => {
    const result = qualifyMql(contact(properties), bundle.mql);
    return Object.fromEntries(result.breakdown.filter((line) => line.points > 0).map((line) => [line.ruleId, line.points]));
  };

  it.each<[string, Record<string, string>, Record<string, number>, string]>([
    [
      'company of 5,000 in software',
      { 'company.numberofemployees': '5000', 'company.industry': 'COMPUTER_SOFTWARE' },
      { 'industry-software': 15, 'company-size-large': 20 },
      'enterprise',
    ],
    ['company of 200', { 'company.numberofemployees': '200' }, { 'company-size-mid': 10 }, 'smb'],
    ['no company size: band 1000+', { numemployees: '1000+' }, { 'company-size-large-band': 20 }, 'enterprise'],
    ['no company size: band 100-500', { numemployees: '100-500' }, { 'company-size-mid-band': 10 }, 'smb'],
    ['no company size: band 5-25 scores nothing', { numemployees: '5-25' }, {}, 'smb'],
    [
      'the company size wins over the band',
      { 'company.numberofemployees': '200', numemployees: '500-1000' },
      { 'company-size-mid': 10 },
      'smb',
    ],
    ['no company industry: the contact industry', { industry: 'BANKING' }, { 'industry-finance-contact': 10 }, 'smb'],
    [
      'the company industry wins over the contact',
      { 'company.industry': 'BANKING', industry: 'COMPUTER_SOFTWARE' },
      { 'industry-finance': 10 },
      'smb',
    ],
    ['a contact numberofemployees (not a HubSpot contact property) scores nothing', { numberofemployees: '5000' }, {}, 'smb'],
  ])('%s', (_name, properties, expected, segment) => {
    expect(points(properties)).toEqual(expected);
    expect(qualifyMql(contact(properties), bundle.mql).segment.id).toBe(segment);
  });

  it('maps Industry and NumberOfEmployees from the company', () => {
    const fields = toSalesforce(
      contact({ 'company.industry': 'BANKING', 'company.numberofemployees': '75', industry: 'RETAIL' }),
      bundle.fieldMapping,
    ).fields;
    expect(fields).toMatchObject({ Industry: 'Banking', NumberOfEmployees: 75 });
  });
});

describe('splitting and merging company properties', () => {
  it('splits names into the contact and company ones, unique and sorted', () => {
    expect(splitPropertyNames(['email', 'company.industry', 'company', 'company.industry', 'company.name'])).toEqual({
      contact: ['company', 'email'],
      company: ['industry', 'name'],
    });
  });

  it('merges only the named, non-empty company values under company.<name>', () => {
    expect(
      withCompanyProperties({ email: 'a@b.example' }, { industry: 'BANKING', name: 'Acme', domain: null }, ['industry', 'domain']),
    ).toEqual({ email: 'a@b.example', 'company.industry': 'BANKING' });
    expect(withCompanyProperties({ email: 'a@b.example' }, undefined, ['industry'])).toEqual({ email: 'a@b.example' });
  });
});
