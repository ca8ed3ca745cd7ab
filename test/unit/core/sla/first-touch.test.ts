import { describe, expect, it } from '@jest/globals';
import type { LeadMemory, LeadState } from '../../../../src/core/sales/lead-change-types.ts';
import { detectFirstTouch, slaLeadFieldsToRead } from '../../../../src/core/sla/sla-clocks.ts';
import { FIRST_TOUCH_DETECTORS, type FirstTouchDetector } from '../../../../src/core/sla/sla-schema.ts';
import { berlinRules, utc } from './support.ts';

const INITIAL = 'Open - Not Contacted';
const MODSTAMP = '2026-03-02T12:00:00.000+0000';
const lead = (over: Partial<LeadState> = {}, fields: Record<string, string | null> = {}): LeadState => ({
  id: '00Q000000000001',
  hubspotContactId: '501',
  status: INITIAL,
  isConverted: false,
  convertedContactId: null,
  convertedOpportunityId: null,
  ownerId: '005000000000001',
  lastModifiedById: '005000000000001',
  systemModstamp: MODSTAMP,
  fields,
  ...over,
});
/** Every detector unless the case names some (the schema's default leaves the opt-in firstCallOrEmail out). */
const rules = (detectBy?: FirstTouchDetector[]) =>
  berlinRules(undefined, { firstTouch: { detectBy: detectBy ?? [...FIRST_TOUCH_DETECTORS] } });
const all = rules();

describe('detectFirstTouch', () => {
  it.each<[string, LeadState, FirstTouchDetector[] | undefined, { at: string; detector: FirstTouchDetector; how: string } | undefined]>([
    ['an untouched Lead', lead(), undefined, undefined],
    ['an empty status is not a touch', lead({ status: null }), undefined, undefined],
    [
      'status left the handoff status: at SystemModstamp',
      lead({ status: 'Working - Contacted' }),
      undefined,
      {
        at: '2026-03-02T12:00:00Z',
        detector: 'statusLeavesInitial',
        how: 'status left "Open - Not Contacted" (now "Working - Contacted")',
      },
    ],
    [
      'first call: at its own timestamp',
      lead({}, { FirstCallDateTime: '2026-03-02T10:15:00.000+0000' }),
      undefined,
      { at: '2026-03-02T10:15:00Z', detector: 'firstCallOrEmail', how: 'first call (FirstCallDateTime)' },
    ],
    [
      'first e-mail earlier than the first call wins',
      lead({}, { FirstCallDateTime: '2026-03-02T10:15:00.000+0000', FirstEmailDateTime: '2026-03-02T09:40:00.000+0000' }),
      undefined,
      { at: '2026-03-02T09:40:00Z', detector: 'firstCallOrEmail', how: 'first e-mail (FirstEmailDateTime)' },
    ],
    [
      'activity logged: a date only, so at SystemModstamp',
      lead({}, { LastActivityDate: '2026-03-02' }),
      undefined,
      { at: '2026-03-02T12:00:00Z', detector: 'activityLogged', how: 'activity logged (LastActivityDate 2026-03-02)' },
    ],
    [
      'a call before the status change is the earlier touch',
      lead({ status: 'Working - Contacted' }, { FirstCallDateTime: '2026-03-02T11:00:00.000+0000' }),
      undefined,
      { at: '2026-03-02T11:00:00Z', detector: 'firstCallOrEmail', how: 'first call (FirstCallDateTime)' },
    ],
    ['an unreadable timestamp is ignored', lead({}, { FirstCallDateTime: 'yesterday' }), undefined, undefined],
    [
      'status changes ignored when only calls and e-mails count',
      lead({ status: 'Working - Contacted' }, { LastActivityDate: '2026-03-02' }),
      ['firstCallOrEmail'],
      undefined,
    ],
    [
      'calls ignored when only the status counts',
      lead({}, { FirstCallDateTime: '2026-03-02T10:15:00.000+0000' }),
      ['statusLeavesInitial'],
      undefined,
    ],
    [
      'activity counts when configured alone',
      lead({}, { LastActivityDate: '2026-03-02' }),
      ['activityLogged'],
      { at: '2026-03-02T12:00:00Z', detector: 'activityLogged', how: 'activity logged (LastActivityDate 2026-03-02)' },
    ],
  ])('%s', (_name, state, detectBy, expected) => {
    const touch = detectFirstTouch(state, undefined, rules(detectBy), INITIAL);
    expect(touch).toEqual(expected && { ...expected, at: utc(expected.at) });
  });

  it('says when the status had already left the handoff status when last seen', () => {
    const memory: LeadMemory = { stage: 'sal', status: 'Working - Contacted', fingerprint: 'f', flagged: null };
    expect(detectFirstTouch(lead({ status: 'Qualified' }), memory, all, INITIAL)?.how).toBe(
      'status left "Open - Not Contacted" (now "Qualified"); it had already left it when last seen',
    );
    const fresh: LeadMemory = { ...memory, stage: 'mql', status: INITIAL };
    expect(detectFirstTouch(lead({ status: 'Qualified' }), fresh, all, INITIAL)?.how).toBe(
      'status left "Open - Not Contacted" (now "Qualified")',
    );
  });
});

describe('slaLeadFieldsToRead', () => {
  it.each<[FirstTouchDetector[] | undefined, string[]]>([
    [undefined, ['FirstCallDateTime', 'FirstEmailDateTime', 'LastActivityDate']],
    [['statusLeavesInitial'], []],
    [['activityLogged'], ['LastActivityDate']],
    [
      ['firstCallOrEmail', 'statusLeavesInitial'],
      ['FirstCallDateTime', 'FirstEmailDateTime'],
    ],
  ])('%p → %p', (detectBy, fields) => {
    expect(slaLeadFieldsToRead(rules(detectBy))).toEqual(fields);
  });

  it('reads only LastActivityDate by default: FirstCallDateTime/FirstEmailDateTime need Sales Engagement (Object Reference, Lead)', () => {
    expect(slaLeadFieldsToRead(berlinRules())).toEqual(['LastActivityDate']);
  });
});
