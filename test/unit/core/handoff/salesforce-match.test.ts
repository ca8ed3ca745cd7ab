import { describe, expect, it } from '@jest/globals';
import { emailsOf, foreignLeadMessage, matchInSalesforce, type SalesforceMatches } from '../../../../src/core/handoff/salesforce-match.ts';
import { contact } from '../helpers.ts';

const jane = contact({ email: ' Jane@Acme.example ' }, '501');
const lead = (id: string, externalId: string | null, extra: Partial<SalesforceMatches['leads'][number]> = {}) => ({
  id,
  email: 'jane@acme.example',
  externalId,
  isConverted: false,
  convertedContactId: null,
  ...extra,
});
const none: SalesforceMatches = { leads: [], contacts: [] };

describe('matchInSalesforce', () => {
  const table: Array<[string, SalesforceMatches, string | undefined, Record<string, unknown>]> = [
    ['nothing with the e-mail: create', none, undefined, { kind: 'create' }],
    ['our own open Lead by external id', { leads: [lead('00Q1', '501')], contacts: [] }, undefined, { kind: 'ours', leadId: '00Q1' }],
    ['our external id wins over the linked Lead', { leads: [lead('00Q1', '501')], contacts: [] }, '00Q9', { kind: 'ours', leadId: '00Q1' }],
    ['the linked Lead, whatever the e-mail says now', none, '00Q9', { kind: 'ours', leadId: '00Q9' }],
    [
      'our Lead converted: its Contact',
      { leads: [lead('00Q1', '501', { isConverted: true, convertedContactId: '003C' })], contacts: [] },
      undefined,
      { kind: 'contact', contactId: '003C', convertedLeadId: '00Q1' },
    ],
    ['an unclaimed open Lead is adopted', { leads: [lead('00Q2', null)], contacts: [] }, undefined, { kind: 'adopt', leadId: '00Q2' }],
    [
      'adoption before a foreign Lead',
      { leads: [lead('00Q3', '777'), lead('00Q2', null)], contacts: [] },
      undefined,
      { kind: 'adopt', leadId: '00Q2' },
    ],
    [
      'a Lead handed off for another contact is foreign',
      { leads: [lead('00Q3', '777')], contacts: [] },
      undefined,
      { kind: 'foreign', leadId: '00Q3', externalId: '777' },
    ],
    [
      'a converted Lead of another contact is never a target',
      { leads: [lead('00Q4', null, { isConverted: true, convertedContactId: '003X' })], contacts: [] },
      undefined,
      { kind: 'create' },
    ],
    [
      'a Contact with the same e-mail is linked',
      { leads: [], contacts: [{ id: '003D', email: 'JANE@acme.example' }] },
      undefined,
      { kind: 'contact', contactId: '003D' },
    ],
    [
      'a Lead with another e-mail is ignored',
      { leads: [lead('00Q5', '501', { email: 'other@acme.example' })], contacts: [] },
      undefined,
      { kind: 'create' },
    ],
  ];
  it.each(table)('%s', (_name, matches, knownLeadId, expected) => {
    const match = matchInSalesforce(jane, matches, knownLeadId);
    expect(match).toEqual({ ...expected, reason: expect.any(String) });
    expect(match.reason.length).toBeGreaterThan(0);
  });

  it('a contact without e-mail is never linked to a Contact with an empty one', () => {
    expect(matchInSalesforce(contact({}), { leads: [], contacts: [{ id: '003E', email: '' }] }).kind).toBe('create');
  });

  it('says which contact holds a foreign Lead', () => {
    expect(foreignLeadMessage({ kind: 'foreign', leadId: '00Q3', externalId: '777', reason: '' })).toBe(
      'e-mail already on Lead 00Q3, handed off for HubSpot contact 777; merge the duplicate contacts',
    );
  });

  it('looks up each address once, normalised', () => {
    expect(emailsOf([jane, contact({ email: 'jane@acme.example' }, '2'), contact({}, '3')])).toEqual(['jane@acme.example']);
  });
});
