import { describe, expect, it } from '@jest/globals';
import {
  hubspotValuesFor,
  salesforceStatusFor,
  stageForHubSpot,
  stageForSalesforceStatus,
} from '../../../src/core/status-map/status-map.ts';
import { parseStatusMap } from '../../../src/core/status-map/status-schema.ts';
import { statusMap } from './helpers.ts';

const stages = {
  mal: {
    hubspot: { lifecyclestage: 'lead', hs_lead_status: 'NEW' },
    salesforce: { write: 'Marketing Accepted', read: ['Marketing Accepted'] },
  },
  mql: {
    hubspot: { lifecyclestage: 'marketingqualifiedlead', hs_lead_status: 'NEW' },
    salesforce: { write: 'Open - Not Contacted', read: ['Open - Not Contacted'] },
  },
  sal: {
    hubspot: { lifecyclestage: 'marketingqualifiedlead', hs_lead_status: 'IN_PROGRESS' },
    salesforce: { write: 'Accepted', read: ['Accepted', 'Working - Contacted'] },
  },
  sql: {
    hubspot: { lifecyclestage: 'salesqualifiedlead', hs_lead_status: 'CONNECTED' },
    salesforce: { write: 'Qualified', read: ['Qualified'] },
  },
  opportunity: {
    hubspot: { lifecyclestage: 'opportunity', hs_lead_status: 'OPEN_DEAL' },
    salesforce: { write: 'Closed - Converted', read: ['Closed - Converted'] },
  },
  rejected: {
    hubspot: { lifecyclestage: 'other', hs_lead_status: 'UNQUALIFIED' },
    salesforce: { write: 'Rejected', read: ['Rejected', 'Closed - Not Converted'] },
  },
  recycled: { hubspot: { lifecyclestage: 'lead', hs_lead_status: 'BAD_TIMING' }, salesforce: { write: 'Recycled', read: ['Recycled'] } },
};
const withSal = statusMap({ version: 's1', useSal: true, stages });
const withoutSal = statusMap({ version: 's1', useSal: false, salDisabledResolvesTo: 'mql', stages });
const withoutSalToSql = statusMap({ version: 's1', useSal: false, salDisabledResolvesTo: 'sql', stages });

describe('status map with SAL', () => {
  it.each([
    ['Open - Not Contacted', 'mql'],
    ['Accepted', 'sal'],
    ['Working - Contacted', 'sal'],
    ['working - contacted ', 'sal'],
    ['Qualified', 'sql'],
    ['Closed - Converted', 'opportunity'],
    ['Closed - Not Converted', 'rejected'],
    ['Rejected', 'rejected'],
    ['Recycled', 'recycled'],
    ['Something Custom', undefined],
    ['', undefined],
  ])('Salesforce "%s" → %s', (status, stage) => {
    expect(stageForSalesforceStatus(status, withSal)).toBe(stage);
  });

  it.each([
    ['mql', 'Open - Not Contacted'],
    ['sal', 'Accepted'],
    ['sql', 'Qualified'],
    ['rejected', 'Rejected'],
    ['recycled', 'Recycled'],
  ] as const)('writes %s as "%s"', (stage, status) => {
    expect(salesforceStatusFor(stage, withSal)).toBe(status);
  });

  it('gives the HubSpot values of a stage', () => {
    expect(hubspotValuesFor('mql', withSal)).toEqual({ lifecyclestage: 'marketingqualifiedlead', hs_lead_status: 'NEW' });
    expect(hubspotValuesFor('sal', withSal)).toEqual({ lifecyclestage: 'marketingqualifiedlead', hs_lead_status: 'IN_PROGRESS' });
  });

  it.each([
    ['marketingqualifiedlead', 'NEW', 'mql'],
    ['marketingqualifiedlead', 'IN_PROGRESS', 'sal'],
    ['marketingqualifiedlead', 'ATTEMPTED_TO_CONTACT', 'mql'],
    ['marketingqualifiedlead', null, 'mql'],
    ['lead', 'BAD_TIMING', 'recycled'],
    ['lead', 'new', 'mal'],
    ['salesqualifiedlead', 'OPEN', 'sql'],
    ['customer', 'NEW', undefined],
    [null, 'NEW', undefined],
  ])('HubSpot %s / %s → %s', (lifecycle, leadStatus, stage) => {
    expect(stageForHubSpot(lifecycle, leadStatus, withSal)).toBe(stage);
  });

  it('every stage round-trips through both systems', () => {
    for (const stage of ['mal', 'mql', 'sal', 'sql', 'opportunity', 'rejected', 'recycled'] as const) {
      expect(stageForSalesforceStatus(salesforceStatusFor(stage, withSal), withSal)).toBe(stage);
      const hs = hubspotValuesFor(stage, withSal);
      expect(stageForHubSpot(hs.lifecyclestage, hs.hs_lead_status, withSal)).toBe(stage);
    }
  });
});

describe('status map without SAL', () => {
  it('a SAL status read back resolves to the stage the file names', () => {
    expect(stageForSalesforceStatus('Accepted', withoutSal)).toBe('mql');
    expect(stageForSalesforceStatus('Working - Contacted', withoutSal)).toBe('mql');
    expect(stageForSalesforceStatus('Accepted', withoutSalToSql)).toBe('sql');
  });

  it('writing SAL writes the resolved stage', () => {
    expect(salesforceStatusFor('sal', withoutSal)).toBe('Open - Not Contacted');
    expect(hubspotValuesFor('sal', withoutSalToSql)).toEqual({ lifecyclestage: 'salesqualifiedlead', hs_lead_status: 'CONNECTED' });
  });

  it('HubSpot values never read back as SAL', () => {
    expect(stageForHubSpot('marketingqualifiedlead', 'IN_PROGRESS', withoutSal)).toBe('mql');
  });

  it('the sal stage may be left out', () => {
    const { sal: _unused, ...rest } = stages;
    const map = statusMap({ version: 's', useSal: false, stages: rest });
    expect(stageForSalesforceStatus('Accepted', map)).toBeUndefined();
    expect(salesforceStatusFor('sal', map)).toBe('Open - Not Contacted');
  });
});

describe('status map validation', () => {
  const problems = (data: unknown) => {
    const result = parseStatusMap('status-map.yaml', data);
    return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
  };

  it('refuses a Salesforce status that means two stages', () => {
    const dup = {
      ...stages,
      recycled: { ...stages.recycled, salesforce: { write: 'Recycled', read: ['Recycled', 'closed - not converted'] } },
    };
    expect(problems({ version: 's', useSal: true, stages: dup })).toEqual([
      'stages.recycled.salesforce.read[1]: Salesforce status "closed - not converted" already means stage rejected',
    ]);
  });

  it('refuses several problems at once', () => {
    const bad = {
      ...stages,
      sal: undefined,
      sql: { hubspot: { lifecyclestage: 'salesqualified', hs_lead_status: 'X' }, salesforce: { write: 'Qualified', read: ['Qualified'] } },
      recycled: { ...stages.recycled, salesforce: { write: 'Recycled', read: ['Nurture'] } },
      lost: stages.rejected,
    };
    expect(problems({ version: 's', useSal: true, stages: bad })).toEqual([
      expect.stringMatching(/^stages\.sql\.hubspot\.lifecyclestage: /),
      expect.stringMatching(/^stages: .*lost/),
    ]);
    expect(
      problems({
        version: 's',
        useSal: true,
        stages: { ...stages, sal: undefined, recycled: { ...stages.recycled, salesforce: { write: 'Recycled', read: ['Nurture'] } } },
      }),
    ).toEqual([
      'stages.sal: useSal is true: define the sal stage',
      'stages.recycled.salesforce.read: must include the written status "Recycled"',
    ]);
  });

  it('refuses two stages with the same HubSpot values', () => {
    const same = { ...stages, recycled: { ...stages.recycled, hubspot: { lifecyclestage: 'lead', hs_lead_status: 'NEW' } } };
    expect(problems({ version: 's', useSal: true, stages: same })).toEqual([
      'stages.recycled.hubspot: same lifecyclestage and hs_lead_status as stage mal',
    ]);
  });
});
