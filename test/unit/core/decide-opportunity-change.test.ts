import { describe, expect, it } from '@jest/globals';
import { parseMappingFiles } from '../../../src/config/mappings.ts';
import { decideOpportunityChange, opportunityFingerprint } from '../../../src/core/revenue/decide-opportunity-change.ts';
import type { OpportunityMemory, OpportunityState } from '../../../src/core/revenue/opportunity-types.ts';
import { shippedBundle, shippedFiles } from './helpers.ts';

const bundle = shippedBundle();
const US = '005Hs0000000001AAA';
const REP = '005Hs0000000002AAA';

function opp(over: Partial<OpportunityState> = {}): OpportunityState {
  return {
    id: '006Hs0000000001AAA',
    stageName: 'Prospecting',
    amount: null,
    closeDate: '2026-06-30',
    isClosed: false,
    isWon: false,
    forecastCategory: 'Pipeline',
    lossReason: null,
    ownerId: REP,
    lastModifiedById: REP,
    systemModstamp: '2026-06-01T10:00:00.000+0000',
    ...over,
  };
}
const WON = { stageName: 'Closed Won', isClosed: true, isWon: true, amount: 12000, closeDate: '2026-06-30' };
const LOST = { stageName: 'Closed Lost', isClosed: true, isWon: false, amount: 8000 };
/** What the poll remembers after acting on `state`. */
const acted = (state: OpportunityState, status: OpportunityMemory['status']): OpportunityMemory => ({
  fingerprint: opportunityFingerprint(state),
  status,
});

describe('decideOpportunityChange', () => {
  const open = opp();
  const won = opp(WON);
  const lostOnPrice = opp({ ...LOST, lossReason: 'price' });

  const table: Array<[string, OpportunityState, OpportunityMemory | undefined, Record<string, unknown>]> = [
    [
      'first sighting of an open deal: recorded only',
      open,
      undefined,
      { status: 'open', outcome: { kind: 'open', reason: 'open: stage "Prospecting"' } },
    ],
    [
      'open stage change: recorded only, for the pipeline figures',
      opp({ stageName: 'Negotiation/Review', amount: 5000 }),
      acted(open, 'open'),
      { status: 'open', outcome: { kind: 'open', reason: 'open: stage "Negotiation/Review"' } },
    ],
    [
      'closed won: customer, with amount and close date; counted once as opportunity_won',
      won,
      acted(open, 'open'),
      {
        status: 'won',
        outcome: {
          kind: 'won',
          hubspot: {
            properties: { handoff_won_amount: '12000', handoff_won_close_date: '2026-06-30' },
            lifecyclestage: 'customer',
            lists: { add: [], remove: [] },
          },
          history: {
            action: 'opportunity_won',
            detail: { opportunityId: '006Hs0000000001AAA', amount: 12000, closeDate: '2026-06-30', stage: 'Closed Won', lossReason: null },
          },
        },
      },
    ],
    [
      'already won when first seen (converted before the follow-up): still an opportunity_won',
      won,
      undefined,
      { status: 'won', outcome: { kind: 'won', history: { action: 'opportunity_won' } } },
    ],
    [
      'won without an amount: the amount property is cleared',
      opp({ ...WON, amount: null }),
      acted(open, 'open'),
      { outcome: { kind: 'won', hubspot: { properties: { handoff_won_amount: '', handoff_won_close_date: '2026-06-30' } } } },
    ],
    [
      'amount corrected after the win: fields_synced, not a second win',
      opp({ ...WON, amount: 12500 }),
      acted(won, 'won'),
      {
        status: 'won',
        outcome: { kind: 'won', hubspot: { properties: { handoff_won_amount: '12500' } }, history: { action: 'fields_synced' } },
      },
    ],
    [
      'closed lost with a known reason: lost lead status and the reason’s list',
      lostOnPrice,
      acted(open, 'open'),
      {
        status: 'lost',
        outcome: {
          kind: 'lost',
          hubspot: { properties: { hs_lead_status: 'BAD_TIMING' }, lists: { add: ['Nurture – Lost on price'], remove: [] } },
          history: {
            action: 'opportunity_lost',
            reason: 'Opportunity lost (stage "Closed Lost"): Price (too expensive) (price)',
            detail: {
              opportunityId: '006Hs0000000001AAA',
              amount: 8000,
              stage: 'Closed Lost',
              lossReason: 'price',
              nurtureList: 'Nurture – Lost on price',
            },
          },
        },
      },
    ],
    [
      'closed lost without a reason: the default list',
      opp(LOST),
      acted(open, 'open'),
      {
        outcome: {
          kind: 'lost',
          hubspot: { lists: { add: ['Nurture – Lost deals'], remove: [] } },
          history: {
            action: 'opportunity_lost',
            reason: 'Opportunity lost (stage "Closed Lost"): no loss reason given, so the default list',
          },
        },
      },
    ],
    [
      'a reason revenue.yaml does not know: the default list, the code kept',
      opp({ ...LOST, lossReason: 'weather' }),
      acted(open, 'open'),
      { outcome: { kind: 'lost', hubspot: { lists: { add: ['Nurture – Lost deals'] } }, history: { detail: { lossReason: 'weather' } } } },
    ],
    [
      'a reason without a list of its own (other): the default list',
      opp({ ...LOST, lossReason: 'Other ' }),
      acted(open, 'open'),
      { outcome: { kind: 'lost', hubspot: { lists: { add: ['Nurture – Lost deals'] } }, history: { detail: { lossReason: 'Other' } } } },
    ],
    [
      'the reason filled in after closing: fields_synced, moved from the default list to the reason’s',
      opp({ ...LOST, lossReason: 'competitor' }),
      acted(opp(LOST), 'lost'),
      {
        status: 'lost',
        outcome: {
          kind: 'lost',
          hubspot: { lists: { add: ['Nurture – Lost to a competitor'], remove: ['Nurture – Lost deals'] } },
          history: { action: 'fields_synced', reason: 'Lost Opportunity changed: Lost to a competitor (competitor)' },
        },
      },
    ],
    [
      'lost, then won after all: a win, off the lost deal’s list',
      won,
      acted(lostOnPrice, 'lost'),
      {
        outcome: {
          kind: 'won',
          hubspot: { lists: { add: [], remove: ['Nurture – Lost on price'] } },
          history: { action: 'opportunity_won' },
        },
      },
    ],
    [
      'won, then reopened: recorded only (the contact stays a customer)',
      opp({ stageName: 'Negotiation/Review', amount: 12000 }),
      acted(won, 'won'),
      { status: 'open', outcome: { kind: 'open', reason: 'reopened: stage "Negotiation/Review"' } },
    ],
    ['nothing new since it was acted on', won, acted(won, 'won'), { outcome: { kind: 'none', code: 'unchanged' } }],
    [
      'closed won by our own integration user: ours, not a rep’s',
      opp({ ...WON, lastModifiedById: US }),
      acted(open, 'open'),
      { status: 'won', outcome: { kind: 'none', code: 'our_write' } },
    ],
    [
      'a custom won stage: IsWon decides, not the stage name',
      opp({ stageName: 'Signed', isClosed: true, isWon: true, amount: 1 }),
      acted(open, 'open'),
      { status: 'won', outcome: { kind: 'won', history: { action: 'opportunity_won' } } },
    ],
  ];

  it.each(table)('%s', (_name, state, memory, expected) => {
    expect(decideOpportunityChange(state, memory, bundle, US)).toMatchObject(expected);
  });

  it('the fingerprint ignores what decides nothing (owner, forecast category, modstamp, who changed it)', () => {
    const moved = opp({ ownerId: 'x', forecastCategory: 'Commit', systemModstamp: 'later', lastModifiedById: US });
    expect(opportunityFingerprint(moved)).toBe(opportunityFingerprint(open));
    expect(opportunityFingerprint(opp({ amount: 1 }))).not.toBe(opportunityFingerprint(open));
  });

  it('an echo is ours only when we know who we are; without the integration user every change is a rep’s', () => {
    expect(decideOpportunityChange(opp({ ...WON, lastModifiedById: US }), acted(open, 'open'), bundle).outcome.kind).toBe('won');
  });

  it('does nothing while revenue.yaml does not follow deals (a version saved before the file existed)', () => {
    const { 'revenue.yaml': _revenue, ...before } = shippedFiles();
    const old = parseMappingFiles(before);
    expect(decideOpportunityChange(won, undefined, old, US)).toMatchObject({ outcome: { kind: 'none', code: 'not_followed' } });
  });
});
