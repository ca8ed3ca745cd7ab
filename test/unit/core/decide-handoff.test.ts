import { beforeAll, describe, expect, it } from '@jest/globals';
import type { MappingsBundle } from '../../../src/config/mappings.ts';
import { decideHandoff, decideLeadUpdate } from '../../../src/core/handoff/decide-handoff.ts';
import { contact, shippedBundle } from './helpers.ts';

let bundle: MappingsBundle;
beforeAll(() => {
  bundle = shippedBundle();
});

const now = new Date('2025-02-03T10:20:30.000Z');
const qualifiedProps = {
  email: 'jane@acme.example',
  firstname: 'Jane',
  lastname: 'Doe',
  company: 'Acme',
  jobtitle: 'VP Engineering',
  'company.industry': 'COMPUTER_SOFTWARE',
  'company.numberofemployees': '250',
  pricing_page_views: '2',
  email_clicks: '5',
  hs_analytics_source: 'ORGANIC_SEARCH',
};

describe('decideHandoff', () => {
  it('hands off a qualified contact with mapped fields, stage status and MQL fields', () => {
    const decision = decideHandoff(contact(qualifiedProps, '9001'), bundle, now);
    expect(decision.action).toBe('handoff');
    if (decision.action !== 'handoff') return;
    expect(decision.qualification.score).toBe(60);
    const { MQL_Breakdown__c: breakdown, ...rest } = decision.lead;
    expect(rest).toEqual({
      Email: 'jane@acme.example',
      FirstName: 'Jane',
      LastName: 'Doe',
      Company: 'Acme',
      Title: 'VP Engineering',
      Industry: 'Technology',
      NumberOfEmployees: 250,
      LeadSource: 'Web',
      Handoff_HubSpot_Id__c: '9001',
      Status: 'Open - Not Contacted',
      MQL_Score__c: 60,
      MQL_Definition_Version__c: bundle.versions.mql,
      MQL_Date__c: '2025-02-03T10:20:30.000Z',
    });
    expect(breakdown).toContain('Total: 60');
    expect(breakdown).toContain(`Definition version: ${bundle.versions.mql}`);
    expect(decision.hubspotUpdate).toEqual({ lifecyclestage: 'marketingqualifiedlead', hs_lead_status: 'NEW' });
    expect(decision.mappingProblems).toEqual([]);
  });

  it('fills LastName and Company defaults Salesforce requires', () => {
    const { lastname: _l, company: _c, ...rest } = qualifiedProps;
    const decision = decideHandoff(contact(rest), bundle, now);
    expect(decision.action === 'handoff' && [decision.lead.LastName, decision.lead.Company]).toEqual(['[not provided]', '[not provided]']);
  });

  it('skips a contact below the threshold with the reasons', () => {
    const decision = decideHandoff(contact({ email: 'a@acme.example' }), bundle, now);
    expect(decision).toMatchObject({ action: 'skip', reasons: ['Score 0 below the SMB threshold 50', 'Fit 0 below the SMB minimum 15'] });
  });

  it('skips an excluded contact even with a demo request', () => {
    const decision = decideHandoff(contact({ ...qualifiedProps, email: 'jane@gmail.com', demo_requested: 'true' }), bundle, now);
    expect(decision.action).toBe('skip');
    expect(decision.qualification.excludedBy?.id).toBe('personal-email');
  });

  it('keeps a non-blocking mapping problem and still hands off', () => {
    const decision = decideHandoff(contact({ ...qualifiedProps, website: 'acme.example' }), bundle, now);
    expect(decision.action).toBe('handoff');
    const bad = decideHandoff(contact({ ...qualifiedProps, demo_requested: 'true', 'company.numberofemployees': 'about 40' }), bundle, now);
    expect(bad.action).toBe('handoff');
    expect(bad.mappingProblems).toEqual([
      { field: 'NumberOfEmployees', message: 'company.numberofemployees: integer: "about 40" is not a number', blocking: false },
    ]);
  });

  it('a required field with no value and no default blocks the handoff with a reason', () => {
    const strict: MappingsBundle = {
      ...bundle,
      fieldMapping: {
        ...bundle.fieldMapping,
        fields: bundle.fieldMapping.fields.map((f) => (f.salesforce === 'Company' ? { ...f, default: undefined } : f)),
      },
    };
    const { company: _c, ...rest } = qualifiedProps;
    const decision = decideHandoff(contact(rest), strict, now);
    expect(decision).toMatchObject({
      action: 'skip',
      reasons: ['Cannot create the Lead: required field Company has no value (from company) and no default'],
    });
  });
});

describe('decideLeadUpdate', () => {
  it('sends only mapped fields and the external id, never Status, score or MQL date, and no defaults', () => {
    const update = decideLeadUpdate(contact({ email: 'New@Acme.example', jobtitle: 'CTO', lastname: '' }, '9001'), bundle);
    expect(update).toEqual({ lead: { Email: 'new@acme.example', Title: 'CTO', Handoff_HubSpot_Id__c: '9001' }, mappingProblems: [] });
  });
});
