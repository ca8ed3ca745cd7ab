import { describe, expect, it } from '@jest/globals';
import { handoffFieldsOf, planResync } from '../../../src/core/backfill/resync-plan.ts';
import { decideLeadChange } from '../../../src/core/sales/decide-lead-change.ts';
import type { LeadState } from '../../../src/core/sales/lead-change-types.ts';
import { shippedBundle } from '../core/helpers.ts';

const bundle = shippedBundle();
const now = new Date('2026-03-10T09:30:00.000Z');

function lead(status: string, fields: Record<string, string | null> = {}, over: Partial<LeadState> = {}): LeadState {
  return {
    id: '00QLEAD000000001',
    hubspotContactId: '501',
    status,
    isConverted: false,
    convertedContactId: null,
    convertedOpportunityId: null,
    ownerId: '005OWNER',
    lastModifiedById: '005INTEGRATION',
    systemModstamp: '2026-03-10T09:00:00.000Z',
    fields: {
      Email: 'jane@acme.example',
      LastName: 'Doe',
      Company: 'Acme',
      MQL_Score__c: '72',
      MQL_Definition_Version__c: '2025.1@a78b91f',
      ...fields,
    },
    ...over,
  };
}
/** What HubSpot holds for a contact the handoff and the poll kept in line with `lead('Accepted')`. */
const inLine = {
  email: 'jane@acme.example',
  lastname: 'Doe',
  company: 'Acme',
  lifecyclestage: 'marketingqualifiedlead',
  hs_lead_status: 'IN_PROGRESS',
  handoff_salesforce_id: '00QLEAD000000001',
  handoff_mql_score: '72',
  handoff_mql_definition_version: '2025.1@a78b91f',
};
const plan = (current: Record<string, string | null>, state: LeadState) =>
  planResync(current, state, decideLeadChange(state, undefined, bundle, now), bundle);

describe('planResync: HubSpot brought in line with the Lead by the poll’s own decision', () => {
  it('changes nothing when HubSpot already says what the Lead says', () => {
    expect(plan(inLine, lead('Accepted'))).toEqual({ kind: 'in_sync', stage: 'sal' });
  });

  it('puts back a drifted lead status and a lost score, and says why', () => {
    const result = plan({ ...inLine, hs_lead_status: 'NEW', handoff_mql_score: null }, lead('Accepted'));
    expect(result).toMatchObject({
      kind: 'update',
      stage: 'sal',
      properties: { hs_lead_status: 'IN_PROGRESS', handoff_mql_score: '72' },
      lists: { add: [], remove: [] },
    });
    expect(result).not.toHaveProperty('lifecyclestage');
    expect(result.kind === 'update' && result.reason).toMatch(/HubSpot differed in handoff_mql_score, hs_lead_status/);
  });

  it('moves the lifecycle stage forward, never back past a later stage HubSpot reached', () => {
    const sql = lead('Qualified', { Need__c: 'Replace spreadsheets', Timeline__c: '0-3 months', Decision_Maker__c: 'true' });
    expect(plan({ ...inLine, hs_lead_status: 'CONNECTED' }, sql)).toMatchObject({
      kind: 'update',
      lifecyclestage: { value: 'salesqualifiedlead', backward: false },
    });
    const customer = plan({ ...inLine, lifecyclestage: 'customer' }, lead('Accepted'));
    expect(customer.kind === 'update' ? customer.lifecyclestage : undefined).toBeUndefined();
  });

  it('keeps when and by whom a rejection happened, but fixes its reason, status and lists', () => {
    const rejected = lead('Rejected', { Rejection_Reason__c: 'bad_fit' });
    const current = {
      ...inLine,
      lifecyclestage: 'other',
      hs_lead_status: 'NEW',
      handoff_rejection_reason: 'bad_fit',
      handoff_rejected_at: '2026-01-02T10:00:00.000Z',
      handoff_rejected_by: '005REP',
    };
    const result = plan(current, rejected);
    expect(result).toMatchObject({
      kind: 'update',
      stage: 'rejected',
      properties: { hs_lead_status: 'UNQUALIFIED' },
      lists: { add: ['Nurture – Bad fit'], remove: ['Sales ready – MQLs'] },
    });
    if (result.kind !== 'update') return;
    expect(result.properties).not.toHaveProperty('handoff_rejected_at');
    expect(result.properties).not.toHaveProperty('handoff_rejected_by');
    // Never stamped before: the resync fills it in.
    const unstamped = plan({ ...current, handoff_rejected_at: null }, rejected);
    expect(unstamped.kind === 'update' && unstamped.properties.handoff_rejected_at).toBe(now.toISOString());
  });

  it('brings a recycled contact back from MQL, as the poll does, but not from a later stage', () => {
    const recycled = lead('Rejected', { Rejection_Reason__c: 'bad_timing' });
    expect(plan(inLine, recycled)).toMatchObject({ kind: 'update', lifecyclestage: { value: 'lead', backward: true } });
    const later = plan({ ...inLine, lifecyclestage: 'opportunity' }, recycled);
    expect(later.kind === 'update' ? later.lifecyclestage : undefined).toBeUndefined();
  });

  it('leaves a Lead waiting for its rep, and one whose status the map does not know, alone', () => {
    expect(plan({ ...inLine, hs_lead_status: 'NEW' }, lead('Rejected'))).toMatchObject({
      kind: 'skipped',
      reason: expect.stringMatching(/^waiting for the rep/),
    });
    expect(plan(inLine, lead('Nurturing'))).toMatchObject({ kind: 'skipped', reason: expect.stringContaining('not in the status map') });
  });

  it('reads the handoff fields off the Lead: its id, score (as HubSpot holds numbers) and definition version', () => {
    expect(handoffFieldsOf(lead('Accepted', { MQL_Score__c: '72.0' }), bundle)).toEqual({
      handoff_salesforce_id: '00QLEAD000000001',
      handoff_mql_score: '72',
      handoff_mql_definition_version: '2025.1@a78b91f',
    });
    expect(handoffFieldsOf(lead('Accepted', { MQL_Score__c: null, MQL_Definition_Version__c: null }), bundle)).toEqual({
      handoff_salesforce_id: '00QLEAD000000001',
    });
  });
});
