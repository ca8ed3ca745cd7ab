import { describe, expect, it } from '@jest/globals';
import { changedSinceWritten } from '../../../../src/core/handoff/changed-fields.ts';

const ext = 'Handoff_HubSpot_Id__c';

describe('changedSinceWritten', () => {
  const table: Array<[string, Record<string, string | number | null>, Record<string, unknown>, Record<string, unknown> | undefined]> = [
    ['nothing changed', { [ext]: '1', Title: 'CTO' }, { [ext]: '1', Title: 'CTO' }, undefined],
    ['only the external id differs: nothing to send', { [ext]: '1' }, {}, undefined],
    [
      'one field changed: it and the external id',
      { [ext]: '1', Title: 'CEO', Company: 'Acme' },
      { Title: 'CTO', Company: 'Acme' },
      { [ext]: '1', Title: 'CEO' },
    ],
    ['never written: every field', { [ext]: '1', Title: 'CEO' }, {}, { [ext]: '1', Title: 'CEO' }],
    ['numbers compare as their text', { [ext]: '1', NumberOfEmployees: 250 }, { NumberOfEmployees: '250' }, undefined],
    ['a cleared field is sent as null', { [ext]: '1', Title: null }, { Title: 'CTO' }, { [ext]: '1', Title: null }],
  ];
  it.each(table)('%s', (_name, lead, before, expected) => {
    expect(changedSinceWritten(lead, before, ext)).toEqual(expected);
  });
});
