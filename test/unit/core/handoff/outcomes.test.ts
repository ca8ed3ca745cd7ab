import { describe, expect, it } from '@jest/globals';
import { allOutcomes, OUTCOME_TEXTS, type OutcomeCode, outcomeLabel, outcomeText } from '../../../../src/core/handoff/outcomes.ts';

describe('contact outcomes', () => {
  it('are short codes; the sentence people see is kept apart', () => {
    for (const code of Object.keys(OUTCOME_TEXTS)) expect(code).toMatch(/^[a-z_]+$/);
  });

  const table: Array<[OutcomeCode, boolean, string, string]> = [
    ['handed_off', false, 'handed_off', 'handed_off'],
    ['handed_off', true, 'handed_off; write-back parked', 'handed_off_writeback_parked'],
    ['lead_converted', false, 'lead converted: write not due', 'lead_converted'],
    ['no_mapped_field_changed', false, 'no mapped field changed', 'no_mapped_field_changed'],
    ['lead_updated', true, 'lead_updated; write-back parked', 'lead_updated_writeback_parked'],
    ['already_linked', false, 'already linked', 'already_linked'],
    ['linked_to_salesforce_contact', false, 'already linked to a Salesforce Contact', 'linked_to_salesforce_contact'],
    ['contact_not_found', false, 'contact not found in HubSpot', 'contact_not_found'],
    ['resynced_list_membership_parked', false, 'resynced; list membership parked', 'resynced_list_membership_parked'],
  ];
  it.each(table)('%s (write-back parked: %s) reads "%s", counted as %s', (outcome, writeBackParked, text, label) => {
    expect(outcomeText({ outcome, writeBackParked })).toBe(text);
    expect(outcomeLabel({ outcome, writeBackParked })).toBe(label);
  });

  it('lists every outcome once, with and without a parked write-back', () => {
    const all = allOutcomes();
    expect(all).toHaveLength(2 * Object.keys(OUTCOME_TEXTS).length);
    expect(new Set(all.map(outcomeLabel)).size).toBe(all.length);
    expect(new Set(all.map(outcomeText)).size).toBe(all.length);
  });
});
