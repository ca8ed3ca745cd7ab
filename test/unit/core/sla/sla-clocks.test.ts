import { describe, expect, it } from '@jest/globals';
import type { FunnelStage } from '../../../../src/core/contact.ts';
import { type HandoffFacts, isDisposition, lateness, selectSlaRule, slaClocksFor } from '../../../../src/core/sla/sla-clocks.ts';
import { shippedBundle } from '../helpers.ts';
import { berlin, berlinRules, defaultRule, utc } from './support.ts';

const sla = shippedBundle().sla;
const facts = (over: Partial<HandoffFacts> = {}): HandoffFacts => ({
  handedOffAt: utc('2026-03-02T09:00:00Z'),
  source: 'ORGANIC_SEARCH',
  segmentId: 'smb',
  fastTrack: false,
  ...over,
});

describe('rule matching (first match wins, else the default)', () => {
  it.each([
    ['a fast-tracked enterprise contact gets the demo rule listed first', { fastTrack: true, segmentId: 'enterprise' }, 'demo-request'],
    ['an enterprise contact without fast track', { segmentId: 'enterprise' }, 'enterprise'],
    ['an SMB content MQL falls to the default', { segmentId: 'smb' }, 'content'],
    ['no segment at all falls to the default', { segmentId: null, source: null }, 'content'],
  ])('%s', (_name, over, id) => {
    expect(selectSlaRule(facts(over), sla).id).toBe(id);
  });

  const sourced = berlinRules([
    {
      id: 'paid-enterprise',
      label: 'Paid enterprise',
      when: { source: ['PAID_SEARCH', 'PAID_SOCIAL'], segment: ['enterprise'] },
      firstTouch: { within: 1, unit: 'businessHours' },
      disposition: { within: 1, unit: 'businessDays' },
    },
    {
      id: 'paid',
      label: 'Paid',
      when: { source: ['PAID_SEARCH'] },
      firstTouch: { within: 2, unit: 'businessHours' },
      disposition: { within: 2, unit: 'businessDays' },
    },
    defaultRule,
  ]);
  it.each([
    ['every condition of when must hold', { source: 'PAID_SEARCH', segmentId: 'enterprise' }, 'paid-enterprise'],
    ['source alone skips the first and matches the second', { source: 'PAID_SEARCH', segmentId: 'smb' }, 'paid'],
    ['sources compare case-insensitively', { source: 'paid_search', segmentId: 'smb' }, 'paid'],
    ['a source listed only in the first rule without its segment', { source: 'PAID_SOCIAL', segmentId: 'smb' }, 'content'],
    ['no source', { source: undefined, segmentId: 'enterprise' }, 'content'],
  ])('%s', (_name, over, id) => {
    expect(selectSlaRule(facts(over), sourced).id).toBe(id);
  });
});

describe('slaClocksFor (shipped rules, Berlin)', () => {
  it('a demo request: 5 wall-clock minutes to first touch, 2 business days to dispose, with warnings', () => {
    // Mon 2 March 10:00 local.
    expect(slaClocksFor(facts({ fastTrack: true }), sla)).toEqual({
      rule: { id: 'demo-request', label: 'Demo requests' },
      clocks: [
        {
          kind: 'first_touch',
          dueAt: utc('2026-03-02T09:05:00Z'),
          warnAt: utc('2026-03-02T09:03:00Z'),
          rule: 'first touch within 5 minutes',
        },
        // Due Wed 10:00; 4 business hours earlier is Tue 14:30.
        {
          kind: 'disposition',
          dueAt: utc('2026-03-04T09:00:00Z'),
          warnAt: utc('2026-03-03T13:30:00Z'),
          rule: 'disposition within 2 business days (Europe/Berlin)',
        },
      ],
    });
  });

  it('a content MQL handed off the hour before closing', () => {
    // Mon 16:30 local: first touch due Tue 12:00 (warn 11:00), disposition Mon 9 March 16:30 (warn 12:30).
    const { rule, clocks } = slaClocksFor(facts({ handedOffAt: utc('2026-03-02T15:30:00Z') }), sla);
    expect(rule.id).toBe('content');
    expect(clocks).toEqual([
      {
        kind: 'first_touch',
        dueAt: utc('2026-03-03T11:00:00Z'),
        warnAt: utc('2026-03-03T10:00:00Z'),
        rule: 'first touch within 4 business hours (Europe/Berlin)',
      },
      {
        kind: 'disposition',
        dueAt: utc('2026-03-09T15:30:00Z'),
        warnAt: utc('2026-03-09T11:30:00Z'),
        rule: 'disposition within 5 business days (Europe/Berlin)',
      },
    ]);
  });

  it('an enterprise MQL on a Saturday: 2 business hours from Monday opening', () => {
    const [firstTouch] = slaClocksFor(facts({ segmentId: 'enterprise', handedOffAt: utc('2026-03-07T10:00:00Z') }), sla).clocks;
    // Mon 9 March 11:00 local, warned 30 business minutes before.
    expect(firstTouch).toMatchObject({
      dueAt: utc('2026-03-09T10:00:00Z'),
      warnAt: utc('2026-03-09T09:30:00Z'),
      rule: 'first touch within 2 business hours (Europe/Berlin)',
    });
  });

  it('warnings: none configured, none before the start, and a 1d warning is one business day', () => {
    const rules = berlinRules([
      {
        id: 'short',
        label: 'Short',
        when: { segment: ['smb'] },
        firstTouch: { within: 1, unit: 'businessHours' },
        disposition: { within: 3, unit: 'businessDays' },
        warnBefore: { firstTouch: '2h', disposition: '1d' },
      },
      defaultRule,
    ]);
    const short = slaClocksFor(facts(), rules).clocks;
    expect(short[0]?.warnAt).toBeNull(); // 2 h before a 1-hour clock would be before the handoff
    // Disposition due Thu 5 March 10:00 local; warned Wed 10:00.
    expect(short[1]).toMatchObject({
      dueAt: utc('2026-03-05T09:00:00Z'),
      warnAt: utc('2026-03-04T09:00:00Z'),
      rule: 'disposition within 3 business days (Europe/Berlin)',
    });
    expect(slaClocksFor(facts({ segmentId: 'enterprise' }), rules).clocks.map((c) => c.warnAt)).toEqual([null, null]);
  });

  it('fractional limits: 0.5 wall-clock minutes is 30 s; 1.5 business hours spans the closing', () => {
    const rules = berlinRules([
      {
        id: 'hot',
        label: 'Hot',
        when: { segment: ['smb'] },
        firstTouch: { within: 0.5, unit: 'minutes' },
        disposition: { within: 1, unit: 'businessDays' },
        warnBefore: { firstTouch: '1m' },
      },
      { ...defaultRule, firstTouch: { within: 1.5, unit: 'businessHours' } },
    ]);
    const [hot] = slaClocksFor(facts(), rules).clocks;
    // A warning a minute before a 30-second clock would fall before the handoff: none.
    expect(hot).toEqual({ kind: 'first_touch', dueAt: utc('2026-03-02T09:00:30Z'), warnAt: null, rule: 'first touch within 0.5 minutes' });
    // Mon 17:00 local: 30 business minutes until closing at 17:30, the other hour from Tuesday's opening.
    const [late] = slaClocksFor(facts({ segmentId: 'enterprise', handedOffAt: utc('2026-03-02T16:00:00Z') }), rules).clocks;
    expect(late).toMatchObject({ dueAt: utc('2026-03-03T09:00:00Z'), rule: 'first touch within 1.5 business hours (Europe/Berlin)' });
  });

  it('a singular unit reads naturally', () => {
    const rules = berlinRules([
      { ...defaultRule, firstTouch: { within: 1, unit: 'businessMinutes' }, disposition: { within: 1, unit: 'businessDays' } },
    ]);
    expect(slaClocksFor(facts(), rules).clocks.map((c) => c.rule)).toEqual([
      'first touch within 1 business minute (Europe/Berlin)',
      'disposition within 1 business day (Europe/Berlin)',
    ]);
  });
});

describe('lateness', () => {
  it.each([
    ['2 h 5 min late', '2026-03-02T09:00:00Z', '2026-03-02T11:05:00Z', 7_500_000, 7_500_000],
    ['on time', '2026-03-02T09:00:00Z', '2026-03-02T08:59:00Z', 0, 0],
    ['on time', '2026-03-02T09:00:00Z', '2026-03-02T09:00:00Z', 0, 0],
    ['less than a minute late', '2026-03-02T09:00:00Z', '2026-03-02T09:00:30Z', 30_000, 30_000],
    ['45 min late', '2026-03-02T09:00:00Z', '2026-03-02T09:45:59Z', 2_759_000, 2_759_000],
    // Due Fri 27 March 17:00 CET, seen Mon 09:30 CEST: 63.5 h by the wall clock, 1 h of business time.
    ['2 d 15 h 30 min late', '2026-03-27T16:00:00Z', '2026-03-30T07:30:00Z', 228_600_000, 3_600_000],
  ])('%s', (text, due, at, lateByMs, businessLateByMs) => {
    expect(lateness(utc(due), utc(at), berlin)).toEqual({ lateByMs, businessLateByMs, text });
  });
});

describe('isDisposition', () => {
  it.each<[FunnelStage | null, boolean]>([
    ['sql', true],
    ['opportunity', true],
    ['rejected', true],
    ['recycled', true],
    ['mql', false],
    ['sal', false],
    ['mal', false],
    [null, false],
  ])('%s → %s', (stage, expected) => {
    expect(isDisposition(stage)).toBe(expected);
  });
});
