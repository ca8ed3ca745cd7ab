import { describe, expect, it } from '@jest/globals';
import {
  mqlEvaluationRecord,
  propertiesRead,
  readValues,
  replayProperties,
  withoutEmailLocalParts,
} from '../../../../src/core/calibration/evaluation-record.ts';
import { qualifyMql } from '../../../../src/core/definitions/qualify-mql.ts';
import { baseDefinition, contact, mql, shippedBundle } from '../helpers.ts';

const def = mql(baseDefinition);
const AT = new Date('2026-03-02T10:00:00Z');

describe('what an MQL evaluation keeps', () => {
  it('reads the set of properties off the definition: rules, segments, fast tracks and exclusions (disabled ones too)', () => {
    expect(propertiesRead(def)).toEqual([
      'demo_requested',
      'email',
      'email_clicks',
      'industry',
      'jobtitle',
      'numberofemployees',
      'pricing_page_views',
    ]);
    // The shipped definition reads its company's properties under their company.<name> keys.
    expect(propertiesRead(shippedBundle().mql)).toEqual(expect.arrayContaining(['company.industry', 'company.numberofemployees', 'email']));
  });

  it('keeps only the values the definition read, empty ones as null, the e-mail address as its domain, and the verdict', () => {
    const person = contact(
      {
        email: ' Jane.Doe@Acme.Example ',
        firstname: 'Jane',
        phone: '+1 555 0100',
        jobtitle: 'Director of IT',
        industry: 'COMPUTER_SOFTWARE',
        email_clicks: '3',
        pricing_page_views: '',
        hs_analytics_source: 'PAID_SEARCH',
      },
      '901',
    );
    const result = qualifyMql(person, def);
    const record = mqlEvaluationRecord(person, result, def, AT);
    expect(record).toEqual({
      contactId: '901',
      evaluatedAt: AT,
      definitionVersion: 't1',
      segmentId: 'smb',
      score: 36,
      qualified: true,
      fastTrack: null,
      breakdown: result.breakdown,
      source: 'PAID_SEARCH',
      values: {
        demo_requested: null,
        email_clicks: '3',
        industry: 'COMPUTER_SOFTWARE',
        jobtitle: 'Director of IT',
        numberofemployees: null,
        pricing_page_views: null,
      },
      emailDomains: { email: 'acme.example' },
    });
    expect(JSON.stringify(record)).not.toMatch(/jane|555|Jane/i);
  });

  it('records the fast track that qualified the contact', () => {
    const person = contact({ email: 'a@b.example', demo_requested: 'true' });
    expect(mqlEvaluationRecord(person, qualifyMql(person, def), def, AT)).toMatchObject({
      qualified: true,
      fastTrack: 'demo',
      source: null,
    });
  });

  it('drops the local part of an address inside a breakdown line or a longer value', () => {
    const readsWholeEmail = mql({
      ...baseDefinition,
      fit: [{ id: 'edu', label: 'University address', points: 5, when: { property: 'email', op: 'contains', value: '.edu' } }],
      behaviour: [{ id: 'note', label: 'Note given', points: 1, when: { property: 'hs_content_membership_notes', op: 'exists' } }],
    });
    const person = contact({ email: 'ada@uni.edu', hs_content_membership_notes: 'write to ada@uni.edu or bob@uni.edu' });
    const record = mqlEvaluationRecord(person, qualifyMql(person, readsWholeEmail), readsWholeEmail, AT);
    expect(record.breakdown.find((line) => line.ruleId === 'edu')?.detail).toBe('email = @uni.edu');
    expect(record.values.hs_content_membership_notes).toBe('write to @uni.edu or @uni.edu');
    expect(record.emailDomains).toEqual({ email: 'uni.edu' });
    expect(JSON.stringify(record)).not.toContain('ada');
  });

  it.each([
    ['no address', 'Director of IT', 'Director of IT'],
    ['one address', 'jane@acme.example', '@acme.example'],
    ['an address in angle brackets', 'Jane <jane.doe+x@acme.example>', 'Jane <@acme.example>'],
    ['two addresses and text', 'a@x.example; b.c@y.example ok', '@x.example; @y.example ok'],
    ['an at sign alone', 'CEO @ Acme', 'CEO @ Acme'],
    ['a value = address in a detail', 'email = jane@acme.example', 'email = @acme.example'],
    ['at signs repeated', 'a@b@c', '@@c'],
  ])('withoutEmailLocalParts: %s', (_case, text, expected) => {
    expect(withoutEmailLocalParts(text)).toBe(expected);
  });

  it('replays a stored domain so emailDomainIn judges it as it judged the address', () => {
    const rival = contact({ email: 'spy@labs.rival.example', demo_requested: 'true' });
    const stored = readValues(def, rival.properties);
    expect(stored.emailDomains).toEqual({ email: 'labs.rival.example' });
    const replayed = qualifyMql(contact(replayProperties(stored)), def);
    const original = qualifyMql(rival, def);
    expect(replayed.qualified).toBe(original.qualified);
    expect(replayed.excludedBy).toEqual({ id: 'competitor', label: 'Competitor domain' });
    expect(replayed.breakdown).toEqual(original.breakdown);
  });
});
