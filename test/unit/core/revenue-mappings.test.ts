import { describe, expect, it } from '@jest/globals';
import { hash7, validateMappingFiles } from '../../../src/config/mappings.ts';
import { hubspotProblems } from '../../../src/config/versions/hubspot-checks.ts';
import { opportunityProblems } from '../../../src/config/versions/opportunity-checks.ts';
import { opportunityFieldsToRead } from '../../../src/core/revenue/opportunity-reads.ts';
import { REVENUE_BEFORE_FILE_EXISTED } from '../../../src/core/revenue/revenue-schema.ts';
import { shippedBundle, shippedFiles } from './helpers.ts';

const files = shippedFiles();
const revenue = files['revenue.yaml'] ?? '';

function problemsOf(text: string) {
  const result = validateMappingFiles({ ...files, 'revenue.yaml': text });
  if (result.ok) throw new Error('expected problems');
  return result.problems.map(({ file, path, message }) => ({ file, path, message }));
}

describe('revenue.yaml', () => {
  it('ships on: the package’s loss-reason field, customer with amount and close date, a list per reason', () => {
    const bundle = shippedBundle();
    expect(bundle.versions.revenue).toBe(`2026.1@${hash7(revenue)}`);
    expect(bundle.revenue).toMatchObject({
      enabled: true,
      salesforce: { lossReasonField: 'Handoff_Loss_Reason__c' },
      won: { lifecyclestage: 'customer', amountProperty: 'handoff_won_amount', closeDateProperty: 'handoff_won_close_date' },
      lost: { hs_lead_status: 'BAD_TIMING', nurtureList: 'Nurture – Lost deals' },
    });
    expect(bundle.revenue.lost?.reasons.map((r) => r.code)).toEqual([
      'price',
      'competitor',
      'no_decision',
      'timing',
      'product_fit',
      'other',
    ]);
    expect(opportunityFieldsToRead(bundle.revenue)).toEqual([
      'Id',
      'StageName',
      'Amount',
      'CloseDate',
      'IsClosed',
      'IsWon',
      'ForecastCategoryName',
      'OwnerId',
      'LastModifiedById',
      'SystemModstamp',
      'Handoff_Loss_Reason__c',
    ]);
  });

  it('a version saved before the file existed loads with the follow-up off, and setup creates nothing for it', () => {
    const { 'revenue.yaml': _revenue, ...before } = files;
    const result = validateMappingFiles(before);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.revenue).toMatchObject({ enabled: false, salesforce: {} });
    expect(result.value.versions.revenue).toBe(`0@${hash7(REVENUE_BEFORE_FILE_EXISTED)}`);
    expect(result.value.hubspotSetup.properties.map((p) => p.name)).not.toContain('handoff_won_amount');
    expect(result.value.hubspotSetup.lists).not.toContain('Nurture – Lost deals');
  });

  it('without a loss-reason field, every lost deal joins the default list', () => {
    const without = revenue
      .replace(/salesforce:\n {2}lossReasonField: Handoff_Loss_Reason__c\n/, '')
      .replace(/\n {2}reasons:[\s\S]*$/, '\n');
    const result = validateMappingFiles({ ...files, 'revenue.yaml': without });
    expect(result.ok && result.value.revenue).toMatchObject({ salesforce: {}, lost: { reasons: [], nurtureList: 'Nurture – Lost deals' } });
    expect(result.ok && opportunityFieldsToRead(result.value.revenue)).not.toContain('Handoff_Loss_Reason__c');
  });

  it.each([
    [
      'on, without saying what a win writes',
      'version: "1"\nenabled: true\nlost: { hs_lead_status: OPEN, nurtureList: L }\n',
      'won',
      'enabled is true',
    ],
    [
      'a lifecycle stage other than customer',
      revenue.replace('lifecyclestage: customer', 'lifecyclestage: evangelist'),
      'won.lifecyclestage',
      'customer',
    ],
    [
      'one property for amount and close date',
      revenue.replace('handoff_won_close_date', 'handoff_won_amount'),
      'won.closeDateProperty',
      'a property each',
    ],
    [
      'a property label instead of its internal name',
      revenue.replace('handoff_won_amount', 'Won Amount'),
      'won.amountProperty',
      'internal property name',
    ],
    ['a duplicate code', revenue.replace('code: competitor', 'code: price'), 'lost.reasons[1].code', 'duplicate code "price"'],
    [
      'reasons without a field to read them from',
      revenue.replace('  lossReasonField: Handoff_Loss_Reason__c\n', ''),
      'lost.reasons',
      'salesforce.lossReasonField',
    ],
    [
      'an empty list name',
      revenue.replace('nurtureList: Nurture – Lost deals', "nurtureList: ' '"),
      'lost.nurtureList',
      'must not be empty',
    ],
    ['an unknown key', `${revenue}extra: 1\n`, '', 'extra'],
  ])('names the file and path of %s', (_name, text, path, message) => {
    expect(problemsOf(text)).toContainEqual({ file: 'revenue.yaml', path, message: expect.stringContaining(message) });
  });

  it('refuses a won property that the field mapping or the status map already writes (cross-file)', () => {
    expect(problemsOf(revenue.replace('handoff_won_amount', 'handoff_mql_score'))).toEqual([
      {
        file: 'revenue.yaml',
        path: 'won.amountProperty',
        message: expect.stringContaining('handoff_mql_score is already field-mapping.yaml hubspot.mqlScoreProperty'),
      },
    ]);
    expect(problemsOf(revenue.replace('handoff_won_close_date', 'hs_lead_status'))).toEqual([
      { file: 'revenue.yaml', path: 'won.closeDateProperty', message: expect.stringContaining('a stage property of status-map.yaml') },
    ]);
  });
});

describe('revenue.yaml against the live systems', () => {
  const bundle = shippedBundle();
  const property = (name: string, options?: string[]) => ({
    name,
    type: 'string',
    ...(options ? { options: options.map((value) => ({ label: value, value })) } : {}),
  });

  it('asks for setup when the won properties are missing, and names a lead status or lifecycle stage HubSpot does not offer', () => {
    const problems = hubspotProblems(bundle, [
      property('hs_lead_status', ['NEW', 'OPEN']),
      property('lifecyclestage', ['lead', 'opportunity']),
    ]).filter((p) => p.file === 'revenue.yaml');
    expect(problems).toEqual([
      {
        file: 'revenue.yaml',
        path: 'won.amountProperty',
        source: 'hubspot',
        message: 'HubSpot has no contact property handoff_won_amount; run setup (node src/cli/setup.ts) to create it',
      },
      {
        file: 'revenue.yaml',
        path: 'won.closeDateProperty',
        source: 'hubspot',
        message: 'HubSpot has no contact property handoff_won_close_date; run setup (node src/cli/setup.ts) to create it',
      },
      {
        file: 'revenue.yaml',
        path: 'won.lifecyclestage',
        source: 'hubspot',
        message: '"customer" is not an option of the HubSpot property lifecyclestage',
      },
      {
        file: 'revenue.yaml',
        path: 'lost.hs_lead_status',
        source: 'hubspot',
        message: '"BAD_TIMING" is not an option of the HubSpot property hs_lead_status',
      },
    ]);
  });

  const field = (name: string, picklistValues: string[] = []) => ({
    name,
    type: picklistValues.length ? 'picklist' : 'string',
    createable: true,
    updateable: true,
    externalId: false,
    picklistValues,
  });
  const standard = opportunityFieldsToRead(bundle.revenue)
    .filter((name) => name !== 'Handoff_Loss_Reason__c')
    .map((name) => field(name));

  it('checks the Opportunity fields the poll reads, the loss-reason field and its values (describe Opportunity)', () => {
    expect(
      opportunityProblems(bundle, {
        name: 'Opportunity',
        fields: [...standard, field('Handoff_Loss_Reason__c', ['price', 'competitor', 'no_decision', 'timing', 'product_fit', 'other'])],
      }),
    ).toEqual([]);
    expect(
      opportunityProblems(bundle, {
        name: 'Opportunity',
        fields: [...standard.filter((f) => f.name !== 'Amount'), field('Handoff_Loss_Reason__c', ['price', 'competitor'])],
      }),
    ).toEqual([
      {
        file: 'revenue.yaml',
        path: 'enabled',
        source: 'salesforce',
        message: expect.stringContaining('cannot read Opportunity.Amount'),
      },
      ...['no_decision', 'timing', 'product_fit', 'other'].map((code, i) => ({
        file: 'revenue.yaml',
        path: `lost.reasons[${i + 2}].code`,
        source: 'salesforce',
        message: `"${code}" is not a picklist value of Opportunity.Handoff_Loss_Reason__c; add it to the field or remove the reason`,
      })),
    ]);
    expect(opportunityProblems(bundle, { name: 'Opportunity', fields: standard })).toEqual([
      {
        file: 'revenue.yaml',
        path: 'salesforce.lossReasonField',
        source: 'salesforce',
        message: expect.stringContaining('Opportunity has no field Handoff_Loss_Reason__c'),
      },
    ]);
  });
});
