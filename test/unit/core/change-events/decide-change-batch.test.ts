import { describe, expect, it } from '@jest/globals';
import type { ChangeEventHeaderView } from '../../../../src/core/sales/change-events/change-event-types.ts';
import { decideChangeBatch } from '../../../../src/core/sales/change-events/decide-change-batch.ts';

const US = { integrationUserId: '005000000000001AAA', clientName: 'Handoff' };
const REP = '005000000000002AAA';

const event = (over: Partial<ChangeEventHeaderView>): ChangeEventHeaderView => ({
  entityName: 'Lead',
  changeType: 'UPDATE',
  recordIds: ['00Q000000000001AAA'],
  commitUser: REP,
  commitTimestamp: 1_000,
  changeOrigin: '',
  ...over,
});

// Change Data Capture Developer Guide: "ChangeEventHeader Fields" (changeOrigin, recordIds), "Gap Events", "Overflow Events".
describe('decideChangeBatch (ChangeEventHeader Fields, Gap Events, Overflow Events)', () => {
  it.each([
    ['a rep update', event({}), 'reread'],
    ['a rep create', event({ changeType: 'CREATE' }), 'reread'],
    ['an undelete', event({ changeType: 'UNDELETE' }), 'reread'],
    ['a gap update (ids, no values)', event({ changeType: 'GAP_UPDATE' }), 'reread'],
    ['our integration user', event({ commitUser: US.integrationUserId }), 'echo'],
    ['our client name in changeOrigin', event({ changeOrigin: 'com/salesforce/api/rest/66.0;client=Handoff' }), 'echo'],
    ['another client', event({ changeOrigin: 'com/salesforce/api/rest/66.0;client=HandoffX' }), 'reread'],
    ['a UI edit (empty origin)', event({ changeOrigin: '' }), 'reread'],
    ['a deletion', event({ changeType: 'DELETE' }), 'deleted'],
    ['a gap deletion', event({ changeType: 'GAP_DELETE' }), 'deleted'],
    ['an overflow', event({ changeType: 'GAP_OVERFLOW', recordIds: [] }), 'overflow'],
    ['a wildcard id after a type conversion', event({ recordIds: ['00Q*'] }), 'overflow'],
    ['an entity we do not follow', event({ entityName: 'Account', recordIds: ['001000000000001AAA'] }), 'other-entity'],
  ] as const)('%s → %s', (_name, input, outcome) => {
    const decision = decideChangeBatch([input], US);
    expect(decision.outcomes[outcome]).toBe(1);
    expect(Object.values(decision.outcomes).reduce((a, b) => a + b, 0)).toBe(1);
    expect(decision.reread.Lead.length > 0).toBe(outcome === 'reread');
    expect(decision.pollNow).toBe(outcome === 'overflow');
  });

  it('re-reads each record once, per entity, in the order the events named them', () => {
    const decision = decideChangeBatch(
      [
        event({ recordIds: ['00Q2', '00Q1'] }),
        event({ entityName: 'Opportunity', recordIds: ['0061'] }),
        event({ recordIds: ['00Q1', '00Q3'] }),
        event({ entityName: 'Opportunity', recordIds: ['0061'] }),
      ],
      US,
    );
    expect(decision.reread).toEqual({ Lead: ['00Q2', '00Q1', '00Q3'], Opportunity: ['0061'] });
  });

  it('measures lag from the oldest commit that is not ours', () => {
    const decision = decideChangeBatch(
      [
        event({ commitTimestamp: 500, commitUser: US.integrationUserId }),
        event({ commitTimestamp: 900 }),
        event({ commitTimestamp: 700, changeType: 'DELETE' }),
      ],
      US,
    );
    expect(decision.oldestCommit).toBe(700);
    expect(decideChangeBatch([event({ commitUser: US.integrationUserId })], US).oldestCommit).toBeUndefined();
  });

  it('before the first login (no integration user yet) only the client name marks our changes', () => {
    const noUser = { integrationUserId: undefined, clientName: 'Handoff' };
    expect(decideChangeBatch([event({ commitUser: US.integrationUserId })], noUser).outcomes.reread).toBe(1);
  });
});
