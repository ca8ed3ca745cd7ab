import { describe, expect, it } from '@jest/globals';
import { toHubSpot, toSalesforce } from '../../../src/core/field-mapping/apply-mapping.ts';
import { parseFieldMapping } from '../../../src/core/field-mapping/field-schema.ts';
import { applyTransforms, type Transform, transformSchema } from '../../../src/core/field-mapping/transforms.ts';
import { contact, fieldMapping } from './helpers.ts';

const t = (raw: unknown): Transform => transformSchema.parse(raw);
const run = (value: string | number | boolean | null, ...raw: unknown[]) => applyTransforms(value, raw.map(t));

describe('transforms', () => {
  it.each([
    ['trim', '  a b  ', ['trim'], 'a b'],
    ['lower', 'AbC', ['lower'], 'abc'],
    ['upper', 'AbC', ['upper'], 'ABC'],
    ['number', ' 12.5 ', ['number'], 12.5],
    ['integer', '250', ['integer'], 250],
    ['integer of 12.0', '12.0', ['integer'], 12],
    ['boolean true', 'TRUE', ['boolean'], true],
    ['boolean no', 'no', ['boolean'], false],
    ['date from ISO', '2024-03-05T22:10:00Z', ['date'], '2024-03-05'],
    ['date from HubSpot epoch ms', '1709596800000', ['date'], '2024-03-05'],
    ['datetime', '2024-03-05T22:10:00+01:00', ['datetime'], '2024-03-05T21:10:00.000Z'],
    ['truncate', 'abcdef', [{ truncate: { max: 3 } }], 'abc'],
    ['picklist exact', 'COMPUTER_SOFTWARE', [{ picklist: { values: { COMPUTER_SOFTWARE: 'Technology' } } }], 'Technology'],
    ['picklist ignores case', 'computer_software', [{ picklist: { values: { COMPUTER_SOFTWARE: 'Technology' } } }], 'Technology'],
    ['picklist fallback', 'MINING', [{ picklist: { values: { COMPUTER_SOFTWARE: 'Technology' }, fallback: 'Other' } }], 'Other'],
    ['chain in order', '  Hello World  ', ['trim', 'upper', { truncate: { max: 5 } }], 'HELLO'],
    ['chain order matters', '  Hello', [{ truncate: { max: 5 } }, 'trim'], 'Hel'],
  ])('%s', (_name, input, transforms, expected) => {
    expect(run(input, ...transforms)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['number', 'twelve', ['number'], 'number: "twelve" is not a number'],
    ['integer', '12.5', ['integer'], 'integer: 12.5 is not a whole number'],
    ['boolean', 'maybe', ['boolean'], 'boolean: "maybe" is not a yes/no value'],
    ['date', 'not a date', ['date'], 'date: "not a date" is not a date'],
    [
      'picklist without fallback',
      'MINING',
      [{ picklist: { values: { A: 'B' } } }],
      'picklist: "MINING" is not in the picklist and there is no fallback',
    ],
    ['failure inside a chain names the step', ' x ', ['trim', 'number', 'integer'], 'number: "x" is not a number'],
  ])('reports a %s failure', (_name, input, transforms, message) => {
    expect(run(input, ...transforms)).toEqual({ ok: false, message });
  });

  it('refuses unknown transforms with a clear message', () => {
    expect(transformSchema.safeParse('titlecase').error?.issues[0]?.message).toMatch(/^unknown transform "titlecase"; known: trim, lower/);
    expect(transformSchema.safeParse({ slugify: {} }).error?.issues[0]?.message).toMatch(/^unknown transform "slugify"/);
    expect(transformSchema.safeParse('truncate').error?.issues[0]?.message).toMatch(/truncate needs settings/);
    const bad = transformSchema.safeParse({ truncate: { max: -1 } });
    expect(bad.error?.issues[0]?.path).toEqual(['truncate', 'max']);
  });
});

const mappingData = {
  version: 'm1',
  salesforce: {
    externalIdField: 'Handoff_HubSpot_Id__c',
    fields: {
      score: 'MQL_Score__c',
      breakdown: 'MQL_Breakdown__c',
      definitionVersion: 'MQL_Definition_Version__c',
      mqlDate: 'MQL_Date__c',
    },
  },
  hubspot: { salesforceIdProperty: 'handoff_salesforce_id' },
  fields: [
    { hubspot: 'email', salesforce: 'Email', direction: 'both', transforms: ['trim', 'lower'] },
    { hubspot: 'lastname', salesforce: 'LastName', direction: 'both', required: true, default: '[not provided]' },
    { hubspot: 'company', salesforce: 'Company', direction: 'to_salesforce', required: true },
    { hubspot: 'numberofemployees', salesforce: 'NumberOfEmployees', direction: 'to_salesforce', transforms: ['integer'] },
    {
      hubspot: 'industry',
      salesforce: 'Industry',
      direction: 'to_salesforce',
      transforms: [{ picklist: { values: { BANKING: 'Banking' }, fallback: 'Other' } }],
    },
    { hubspot: 'hs_is_unworked', salesforce: 'Unworked__c', direction: 'to_hubspot', reverseTransforms: ['boolean'] },
    { hubspot: 'rep_notes', salesforce: 'Rep_Notes__c', direction: 'to_hubspot', reverseTransforms: [{ truncate: { max: 5 } }] },
  ],
};
const mapping = fieldMapping(mappingData);

describe('toSalesforce', () => {
  it('maps, transforms and applies defaults of required fields', () => {
    const result = toSalesforce(
      contact({ email: ' Jane@Acme.EXAMPLE ', company: 'Acme', numberofemployees: '250', industry: 'MINING' }),
      mapping,
    );
    expect(result).toEqual({
      fields: { Email: 'jane@acme.example', LastName: '[not provided]', Company: 'Acme', NumberOfEmployees: 250, Industry: 'Other' },
      problems: [],
    });
  });

  it('reports a value a transform cannot convert and leaves it out', () => {
    const result = toSalesforce(contact({ lastname: 'Doe', company: 'Acme', numberofemployees: '10-50' }), mapping);
    expect(result.fields).not.toHaveProperty('NumberOfEmployees');
    expect(result.problems).toEqual([
      { field: 'NumberOfEmployees', message: 'numberofemployees: integer: "10-50" is not a number', blocking: false },
    ]);
  });

  it('a required field without value or default is a blocking problem', () => {
    const result = toSalesforce(contact({ lastname: 'Doe', company: '  ' }), mapping);
    expect(result.problems).toEqual([
      { field: 'Company', message: 'required field Company has no value (from company) and no default', blocking: true },
    ]);
  });

  it('update mode neither fills defaults nor blocks on empty required fields', () => {
    const result = toSalesforce(contact({ email: 'a@b.example' }), mapping, { mode: 'update' });
    expect(result).toEqual({ fields: { Email: 'a@b.example' }, problems: [] });
  });
});

describe('toHubSpot', () => {
  it('maps to_hubspot and both fields as strings, skipping our own placeholder default', () => {
    const result = toHubSpot(
      { Email: 'x@y.example', LastName: '[not provided]', Company: 'Acme', Unworked__c: true, Rep_Notes__c: 'long note' },
      mapping,
    );
    expect(result).toEqual({ properties: { email: 'x@y.example', hs_is_unworked: 'true', rep_notes: 'long ' }, problems: [] });
  });

  it('reports reverse transform failures', () => {
    const result = toHubSpot({ Unworked__c: 'perhaps' }, mapping);
    expect(result.problems).toEqual([
      { field: 'hs_is_unworked', message: 'Unworked__c: boolean: "perhaps" is not a yes/no value', blocking: false },
    ]);
    expect(result.properties).toEqual({});
  });
});

describe('field mapping validation', () => {
  it('reports unknown transforms, bad directions and duplicates, each with its path', () => {
    const result = parseFieldMapping('field-mapping.yaml', {
      ...mappingData,
      fields: [
        { hubspot: 'email', salesforce: 'Email', direction: 'both', transforms: ['trim', 'titlecase'] },
        { hubspot: 'phone', salesforce: 'Phone', direction: 'sideways' },
        { hubspot: 'work_email', salesforce: 'Email', direction: 'to_salesforce' },
        { hubspot: 'score', salesforce: 'MQL_Score__c', direction: 'to_salesforce' },
      ],
    });
    const problems = result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message.slice(0, 42)}`);
    expect(problems).toEqual([
      'fields[0].transforms[1]: unknown transform "titlecase"; known: trim',
      expect.stringMatching(/^fields\[1\]\.direction: /),
    ]);
    const dupes = parseFieldMapping('f.yaml', {
      ...mappingData,
      fields: [mappingData.fields[0], { hubspot: 'work_email', salesforce: 'email', direction: 'to_salesforce' }],
    });
    expect(dupes.ok ? [] : dupes.problems).toEqual([
      { file: 'f.yaml', path: 'fields[1].salesforce', message: 'Salesforce field email is already written by fields[0]' },
    ]);
    const reserved = parseFieldMapping('f.yaml', {
      ...mappingData,
      fields: [{ hubspot: 'score', salesforce: 'MQL_Score__c', direction: 'to_salesforce' }],
    });
    expect(reserved.ok ? [] : reserved.problems.map((p) => p.path)).toEqual(['fields[0].salesforce']);
  });
});
