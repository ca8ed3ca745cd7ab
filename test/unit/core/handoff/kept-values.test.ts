import { describe, expect, it } from '@jest/globals';
import {
  applyEvent,
  decideFromKept,
  type KeptDecision,
  type KeptEvent,
  type KeptInput,
  type KeptValues,
  keptFromRead,
} from '../../../../src/core/handoff/kept-values.ts';

const NOW = new Date('2026-12-07T12:00:00.000Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);
const MAX_AGE_MS = 600_000;
const NEEDED = ['email', 'jobtitle', 'company.industry'];

/** Read 60 s ago: every needed value known. */
const READ: KeptValues = {
  email: { value: 'ada@analytical.example', at: ago(60) },
  jobtitle: { value: 'Engineer', at: ago(60) },
  'company.industry': { value: 'Software', at: ago(60) },
};
const change = (propertyName: string, propertyValue: string | null, secondsAgo: number): KeptEvent => ({
  eventType: 'contact.propertyChange',
  propertyName,
  propertyValue,
  occurredAt: ago(secondsAgo),
});
const decide = (overrides: Partial<KeptInput>): KeptDecision =>
  decideFromKept({ contactId: '42', kept: READ, events: [], needed: NEEDED, maxAgeMs: MAX_AGE_MS, now: NOW, ...overrides });
const kept = (properties: Record<string, string | null>): KeptDecision => ({ kind: 'kept', contact: { id: '42', properties } });
const base = { email: 'ada@analytical.example', jobtitle: 'Engineer', 'company.industry': 'Software' };

// HubSpot webhooks v3 guide ("Webhook payloads": one property per propertyChange, with occurredAt; "Retries": a failed
// delivery is sent again, so events arrive late, after later ones, or twice).
describe('decideFromKept (HubSpot webhooks v3 guide: retried events arrive late, out of order, more than once)', () => {
  const cases: { name: string; input: Partial<KeptInput>; expected: KeptDecision }[] = [
    { name: 'a newer change is applied', input: { events: [change('jobtitle', 'CTO', 5)] }, expected: kept({ ...base, jobtitle: 'CTO' }) },
    {
      name: 'out of order: the newest event wins whatever order they come in',
      input: { events: [change('jobtitle', 'CTO', 5), change('jobtitle', 'Head', 30)] },
      expected: kept({ ...base, jobtitle: 'CTO' }),
    },
    {
      name: 'a late event older than the read changes nothing',
      input: { events: [change('jobtitle', 'Intern', 120)] },
      expected: kept(base),
    },
    {
      name: 'a duplicate event is harmless',
      input: { events: [change('jobtitle', 'CTO', 5), change('jobtitle', 'CTO', 5)] },
      expected: kept({ ...base, jobtitle: 'CTO' }),
    },
    {
      name: 'a cleared value is kept as empty',
      input: { events: [change('jobtitle', null, 5)] },
      expected: kept({ ...base, jobtitle: null }),
    },
    {
      name: 'a change to a property no rule reads changes nothing',
      input: { events: [change('hs_latest_source', 'x', 5)] },
      expected: kept(base),
    },
    { name: 'a contact never read is read', input: { kept: undefined }, expected: { kind: 'read', reason: 'never_read' } },
    {
      name: 'a needed value we do not keep (e.g. a property a new mapping reads) is read',
      input: { needed: [...NEEDED, 'hs_analytics_source'] },
      expected: { kind: 'read', reason: 'value_missing', property: 'hs_analytics_source' },
    },
    {
      name: 'a value older than the bound is read (company values change without a webhook)',
      input: { kept: { ...READ, 'company.industry': { value: 'Software', at: ago(601) } } },
      expected: { kind: 'read', reason: 'value_stale', property: 'company.industry' },
    },
    {
      name: 'a recent event refreshes its own value only',
      input: { kept: { ...READ, jobtitle: { value: 'Engineer', at: ago(700) } }, events: [change('jobtitle', 'CTO', 5)] },
      expected: kept({ ...base, jobtitle: 'CTO' }),
    },
    ...['contact.creation', 'contact.merge', 'contact.restore', 'handoff.replay'].map((eventType) => ({
      name: `a ${eventType} event is read`,
      input: { events: [change('jobtitle', 'CTO', 5), { eventType, occurredAt: ago(1) }] },
      expected: { kind: 'read', reason: 'not_a_property_change', eventType } as KeptDecision,
    })),
    {
      name: 'a propertyChange without a property name is read',
      input: { events: [{ eventType: 'contact.propertyChange', propertyName: null, occurredAt: ago(1) }] },
      expected: { kind: 'read', reason: 'not_a_property_change', eventType: 'contact.propertyChange' },
    },
    {
      name: 'a generic object.propertyChange is followed like a contact one',
      input: { events: [{ ...change('jobtitle', 'CTO', 5), eventType: 'object.propertyChange' }] },
      expected: kept({ ...base, jobtitle: 'CTO' }),
    },
    {
      name: 'a new primary company is read (its company values are another record’s)',
      input: { events: [change('associatedcompanyid', '77', 5)], readOnChangeOf: ['associatedcompanyid'] },
      expected: { kind: 'read', reason: 'primary_company_changed', property: 'associatedcompanyid' },
    },
    {
      name: 'our own write after the value was known, with no echo since, is read',
      input: { written: { values: { jobtitle: 'Sales Ready' }, writtenAt: ago(30) } },
      expected: { kind: 'read', reason: 'written_since_kept', property: 'jobtitle' },
    },
    {
      name: 'our own write whose echo came back is decided from kept values',
      input: { written: { values: { jobtitle: 'Sales Ready' }, writtenAt: ago(30) }, events: [change('jobtitle', 'Sales Ready', 29)] },
      expected: kept({ ...base, jobtitle: 'Sales Ready' }),
    },
    {
      name: 'a write older than the kept value does not matter',
      input: { written: { values: { jobtitle: 'Sales Ready' }, writtenAt: ago(90) } },
      expected: kept(base),
    },
    {
      name: 'a cleared value written and read back as null agrees',
      input: { kept: { ...READ, jobtitle: { value: null, at: ago(60) } }, written: { values: { jobtitle: '' }, writtenAt: ago(30) } },
      expected: kept({ ...base, jobtitle: null }),
    },
    { name: 'kept values off (max age 0) always read', input: { maxAgeMs: 0 }, expected: { kind: 'read', reason: 'kept_values_off' } },
  ];

  it.each(cases)('$name', ({ input, expected }) => {
    expect(decide(input)).toEqual(expected);
  });
});

describe('applyEvent and keptFromRead', () => {
  it('replaces a value only with a strictly newer one', () => {
    const once = applyEvent(READ, change('jobtitle', 'CTO', 5));
    expect(applyEvent(once, change('jobtitle', 'Other', 5))).toBe(once);
    expect(applyEvent(once, { eventType: 'contact.creation', occurredAt: ago(0) })).toBe(once);
  });

  it('keeps every needed property of a read, empty where the read has none', () => {
    expect(keptFromRead({ id: '42', properties: { email: 'a@b.example', other: 'x' } }, ['email', 'company.industry'], ago(1))).toEqual({
      email: { value: 'a@b.example', at: ago(1) },
      'company.industry': { value: null, at: ago(1) },
    });
  });
});
