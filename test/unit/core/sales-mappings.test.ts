import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { parseMappingFiles, validateMappingFiles } from '../../../src/config/mappings.ts';
import { HUBSPOT_DEFAULT_CONTACT_PROPERTIES } from '../../../src/core/mappings/hubspot-setup.ts';
import { findReason, parseRejectionTaxonomy } from '../../../src/core/sales/rejection-schema.ts';
import { parseSqlDefinition } from '../../../src/core/sales/sql-schema.ts';
import { shippedBundle, shippedFiles } from './helpers.ts';

const files = shippedFiles();
const shippedYaml = (name: string): Record<string, unknown> => parse(files[name] ?? '') as Record<string, unknown>;
const problemsOfParse = (result: { ok: true } | { ok: false; problems: { path: string; message: string }[] }) =>
  result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
const crossProblems = (changed: Record<string, string>) => {
  const result = validateMappingFiles({ ...files, ...changed });
  return result.ok ? [] : result.problems.map((p) => `${p.file} ${p.path}: ${p.message}`);
};

describe('shipped rejection taxonomy', () => {
  const bundle = shippedBundle();

  it('has the reasons sales needs, with "other" requiring a note and bad timing recycling later', () => {
    expect(bundle.rejection.reasons.map((r) => r.code)).toEqual([
      'bad_fit',
      'no_budget',
      'no_authority',
      'no_need',
      'bad_timing',
      'unresponsive',
      'competitor',
      'duplicate',
      'student_or_researcher',
      'invalid_data',
      'other',
    ]);
    expect(bundle.rejection.reasons.filter((r) => r.requiresNote).map((r) => r.code)).toEqual(['other']);
    expect(findReason(bundle.rejection, 'bad_timing')?.feedback).toEqual({
      lifecycle: 'recycle',
      nurtureList: 'Nurture – Bad timing',
      recycleAfterDays: 90,
    });
    expect(findReason(bundle.rejection, 'unresponsive')?.label).toMatch(/after \d+ contact attempts/);
    expect(bundle.rejection.salesReadyList).toBe('Sales ready – MQLs');
  });

  it('the SQL definition is BANT on the shipped Lead fields', () => {
    expect(Object.values(bundle.sql.criteria).map((c) => c.field)).toEqual([
      'Budget_Confirmed__c',
      'Decision_Maker__c',
      'Need__c',
      'Timeline__c',
    ]);
    expect(bundle.sql.criteria.timeline.met).toEqual({ op: 'in', values: ['0-3 months', '3-6 months'] });
    expect(bundle.sql.rule).toEqual({ require: ['need', 'timeline'], anyOf: ['budget', 'authority'] });
  });
});

describe('hubspotSetup', () => {
  const setup = shippedBundle().hubspotSetup;

  it('lists every custom property read or written, typed, and no HubSpot default', () => {
    expect(setup.properties.map((p) => [p.name, p.type, p.fieldType])).toEqual([
      ['content_downloads', 'number', 'number'],
      ['demo_requested', 'bool', 'booleancheckbox'],
      ['email_clicks', 'number', 'number'],
      ['handoff_mql_definition_version', 'string', 'text'],
      ['handoff_mql_score', 'number', 'number'],
      ['handoff_recycle_after', 'date', 'date'],
      ['handoff_rejected_at', 'datetime', 'date'],
      ['handoff_rejected_by', 'string', 'text'],
      ['handoff_rejection_note', 'string', 'textarea'],
      ['handoff_rejection_reason', 'enumeration', 'select'],
      ['handoff_salesforce_id', 'string', 'text'],
      ['handoff_sql_criteria', 'string', 'text'],
      // revenue.yaml: what a won deal writes on the contact.
      ['handoff_won_amount', 'number', 'number'],
      ['handoff_won_close_date', 'date', 'date'],
      ['pricing_page_views', 'number', 'number'],
      ['webinars_attended', 'number', 'number'],
    ]);
    for (const p of setup.properties) {
      expect(HUBSPOT_DEFAULT_CONTACT_PROPERTIES.has(p.name)).toBe(false);
      expect(p.label).not.toBe('');
      expect(p.groupName).toBe('contactinformation');
    }
  });

  it('the rejection reason is a dropdown of the taxonomy codes with their labels; yes/no properties carry their options', () => {
    const reason = setup.properties.find((p) => p.name === 'handoff_rejection_reason');
    expect(reason?.options?.map((o) => o.value)).toEqual(shippedBundle().rejection.reasons.map((r) => r.code));
    expect(reason?.options?.[0]).toEqual({ label: 'Bad fit (company or role outside our ideal customer profile)', value: 'bad_fit' });
    expect(setup.properties.find((p) => p.name === 'demo_requested')?.options).toEqual([
      { label: 'Yes', value: 'true' },
      { label: 'No', value: 'false' },
    ]);
  });

  it('lists every nurture list once, plus the sales-ready list and the lost deals’ lists (revenue.yaml)', () => {
    expect(setup.lists).toEqual([
      'Nurture – Bad fit',
      'Nurture – No budget',
      'Nurture – Wrong contact',
      'Nurture – No need',
      'Nurture – Bad timing',
      'Nurture – Unresponsive',
      'Excluded – Competitors',
      'Review – Duplicates',
      'Nurture – Students and researchers',
      'Review – Invalid data',
      'Nurture – Other',
      'Sales ready – MQLs',
      'Nurture – Lost deals',
      'Nurture – Lost on price',
      'Nurture – Lost to a competitor',
      'Nurture – No decision',
      'Nurture – Deal postponed',
      'Nurture – Product fit',
    ]);
    const shared = (files['rejection-reasons.yaml'] ?? '').replace('nurtureList: Nurture – No need', 'nurtureList: Nurture – Bad fit');
    const lists = parseMappingFiles({ ...files, 'rejection-reasons.yaml': shared }).hubspotSetup.lists;
    expect(lists.filter((l) => l === 'Nurture – Bad fit')).toHaveLength(1);
    expect(lists).toHaveLength(17);
  });

  it('types mapped and definition properties from how they are used; hs_ and default properties are skipped', () => {
    const mapping =
      `${files['field-mapping.yaml']}` +
      '  - hubspot: seats\n    salesforce: Seats__c\n    direction: to_hubspot\n    reverseTransforms: [integer]\n' +
      '  - hubspot: trial_started\n    salesforce: Trial_Start__c\n    direction: to_salesforce\n    transforms: [date]\n' +
      '  - hubspot: hs_persona\n    salesforce: Persona__c\n    direction: to_salesforce\n' +
      '  - hubspot: favourite_colour\n    salesforce: Colour__c\n    direction: both\n';
    const mql = (files['mql-definition.yaml'] ?? '').replace(
      'op: eq, value: customer',
      'op: eq, value: customer }\n  - id: tier\n    label: Tier\n    when: { property: account_tier, op: eq, value: 2',
    );
    const setup = parseMappingFiles({ ...files, 'field-mapping.yaml': mapping, 'mql-definition.yaml': mql }).hubspotSetup;
    const typeOf = (name: string) => setup.properties.find((p) => p.name === name)?.type;
    expect([typeOf('seats'), typeOf('trial_started'), typeOf('favourite_colour'), typeOf('account_tier'), typeOf('hs_persona')]).toEqual([
      'number',
      'date',
      'string',
      'number',
      undefined,
    ]);
  });
});

describe('rejection-reasons.yaml validation', () => {
  const base = shippedYaml('rejection-reasons.yaml');
  const reasons = base.reasons as Record<string, unknown>[];
  const problems = (data: unknown) => problemsOfParse(parseRejectionTaxonomy('rejection-reasons.yaml', data));

  it.each([
    [
      'a duplicate code',
      { ...base, reasons: [...reasons, { ...reasons[0], label: 'Again' }] },
      'reasons[11].code: duplicate code "bad_fit" (first used at reasons[0])',
    ],
    [
      'a code that is not snake_case',
      { ...base, reasons: [{ ...reasons[0], code: 'Bad Fit' }] },
      'reasons[0].code: code must be snake_case (lower-case letters, digits, _)',
    ],
    [
      'a missing nurture list',
      { ...base, reasons: [{ ...reasons[0], feedback: { lifecycle: 'hold' } }] },
      expect.stringMatching(/^reasons\[0\]\.feedback\.nurtureList: /),
    ],
    [
      'an empty nurture list',
      { ...base, reasons: [{ ...reasons[0], feedback: { lifecycle: 'hold', nurtureList: ' ' } }] },
      'reasons[0].feedback.nurtureList: list name must not be empty',
    ],
    [
      'an unknown lifecycle rule',
      { ...base, reasons: [{ ...reasons[0], feedback: { lifecycle: 'delete', nurtureList: 'N' } }] },
      expect.stringMatching(/^reasons\[0\]\.feedback\.lifecycle: /),
    ],
    [
      'a fractional recycle delay',
      { ...base, reasons: [{ ...reasons[0], feedback: { lifecycle: 'recycle', nurtureList: 'N', recycleAfterDays: 1.5 } }] },
      'reasons[0].feedback.recycleAfterDays: recycleAfterDays must be a whole number',
    ],
    [
      'a nurture list that is the sales-ready list',
      { ...base, reasons: [{ ...reasons[0], feedback: { lifecycle: 'hold', nurtureList: 'sales ready – mqls' } }] },
      expect.stringMatching(/^reasons\[0\]\.feedback\.nurtureList: a nurture list cannot be the sales-ready list/),
    ],
    ['no reasons', { ...base, reasons: [] }, 'reasons: list at least one rejection reason'],
    [
      'an unknown key',
      { ...base, reasons: [{ ...reasons[0], requiresNotes: true }] },
      expect.stringMatching(/^reasons\[0\]: .*requiresNotes/),
    ],
  ])('refuses %s', (_what, data, expected) => {
    expect(problems(data)).toEqual([expected]);
  });
});

describe('sql-definition.yaml validation', () => {
  const base = shippedYaml('sql-definition.yaml');
  const criteria = base.criteria as Record<string, Record<string, unknown>>;
  const problems = (data: unknown) => problemsOfParse(parseSqlDefinition('sql-definition.yaml', data));
  const withNeed = (need: Record<string, unknown>) => ({ ...base, criteria: { ...criteria, need: { ...criteria.need, ...need } } });

  it.each([
    [
      'a property inside met',
      withNeed({ met: { property: 'Need__c', op: 'exists' } }),
      'criteria.need.met.property: met is evaluated over the criterion field; leave out property',
    ],
    ['an unknown operator', withNeed({ met: { op: 'isSet' } }), expect.stringMatching(/^criteria\.need\.met\.op: /)],
    [
      'an operand the operator does not use',
      withNeed({ met: { op: 'exists', value: 1 } }),
      'criteria.need.met.value: exists does not use value',
    ],
    [
      'a field that is not an API name',
      withNeed({ field: 'Need field' }),
      'criteria.need.field: must be a Salesforce API name (letters, digits, _)',
    ],
    ['one field for two criteria', withNeed({ field: 'Timeline__c' }), 'criteria.timeline.field: Timeline__c is already the need field'],
    [
      'a missing criterion',
      { ...base, criteria: { budget: criteria.budget, authority: criteria.authority, need: criteria.need } },
      expect.stringMatching(/^criteria\.timeline: /),
    ],
    ['an empty rule', { ...base, rule: {} }, 'rule: the rule needs require or anyOf (otherwise every Lead would be an SQL)'],
    [
      'a criterion both required and optional',
      { ...base, rule: { require: ['need'], anyOf: ['need', 'budget'] } },
      'rule.anyOf[0]: need is already required',
    ],
    ['an unknown criterion in the rule', { ...base, rule: { require: ['money'] } }, expect.stringMatching(/^rule\.require\[0\]: /)],
  ])('refuses %s', (_what, data, expected) => {
    expect(problems(data)).toEqual([expected]);
  });
});

describe('cross-file checks', () => {
  it.each([
    [
      'a BANT field that is a Handoff field',
      'sql-definition.yaml',
      (t: string) => t.replace('field: Need__c', 'field: Handoff_Sync_Status__c'),
      'sql-definition.yaml criteria.need.field: Salesforce field Handoff_Sync_Status__c is already salesforce.fields.syncStatus; give each purpose its own Salesforce field',
    ],
    [
      'a BANT field that is a standard Lead field the poller reads',
      'sql-definition.yaml',
      (t: string) => t.replace('field: Decision_Maker__c', 'field: OwnerId'),
      'sql-definition.yaml criteria.authority.field: Salesforce field OwnerId is already the standard Lead field OwnerId; give each purpose its own Salesforce field',
    ],
    [
      'two Handoff fields on one Salesforce field',
      'field-mapping.yaml',
      (t: string) => t.replace('slaDue: SLA_Due__c', 'slaDue: MQL_Date__c'),
      'field-mapping.yaml salesforce.fields.slaDue: Salesforce field MQL_Date__c is already salesforce.fields.mqlDate; give each purpose its own Salesforce field',
    ],
    [
      'two feedback properties on one HubSpot property',
      'field-mapping.yaml',
      (t: string) => t.replace('rejectionNoteProperty: handoff_rejection_note', 'rejectionNoteProperty: handoff_rejection_reason'),
      'field-mapping.yaml hubspot.rejectionNoteProperty: HubSpot property handoff_rejection_reason is already hubspot.rejectionReasonProperty; give each purpose its own HubSpot property',
    ],
    [
      'a mapped field writing a feedback property',
      'field-mapping.yaml',
      (t: string) => `${t}  - hubspot: handoff_sql_criteria\n    salesforce: Notes__c\n    direction: to_hubspot\n`,
      'field-mapping.yaml fields[11].hubspot: HubSpot property handoff_sql_criteria is already hubspot.sqlCriteriaProperty; give each purpose its own HubSpot property',
    ],
    [
      'the sync-status field copied to HubSpot',
      'field-mapping.yaml',
      (t: string) => `${t}  - hubspot: sync_note\n    salesforce: Handoff_Sync_Status__c\n    direction: to_hubspot\n`,
      'field-mapping.yaml fields[11].salesforce: Handoff_Sync_Status__c changes whenever Handoff writes the Lead; it cannot be copied to HubSpot',
    ],
  ])('refuses %s', (_what, file, edit, expected) => {
    expect(crossProblems({ [file]: edit(files[file] ?? '') })).toEqual([expected]);
  });
});
