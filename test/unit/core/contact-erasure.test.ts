import { describe, expect, it } from '@jest/globals';
import { decideErasure } from '../../../src/core/privacy/contact-erasure.ts';
import { keptDetail, retentionCutoff } from '../../../src/core/privacy/personal-data.ts';

// Event semantics from HubSpot's webhooks docs ("Privacy compliant contact deletions") and the changelog entry
// "Webhooks now support privacy-compliant contact deletions": a privacy deletion also sends contact.deletion.
describe('decideErasure (HubSpot contact.deletion / contact.privacyDeletion webhooks)', () => {
  type Before = 'privacy' | 'deletion' | undefined;
  const cases: Array<[string, string[], Before, string | undefined]> = [
    ['a property change is read, not erased', ['contact.propertyChange'], undefined, undefined],
    ['a plain deletion erases', ['contact.propertyChange', 'contact.deletion'], undefined, 'contact.deletion'],
    ['a generic object.deletion erases', ['object.deletion'], undefined, 'object.deletion'],
    ['a restore after the deletion cancels it', ['contact.deletion', 'contact.restore'], undefined, undefined],
    ['a deletion after a restore erases', ['contact.restore', 'contact.deletion'], undefined, 'contact.deletion'],
    [
      'a privacy deletion erases, named in the audit even beside its contact.deletion',
      ['contact.deletion', 'contact.privacyDeletion'],
      undefined,
      'contact.privacyDeletion',
    ],
    ['nothing undoes a privacy deletion', ['contact.privacyDeletion', 'contact.restore'], undefined, 'contact.privacyDeletion'],
    [
      'a late event for a contact erased by a privacy deletion is erased too',
      ['contact.propertyChange'],
      'privacy',
      'contact.privacyDeletion',
    ],
    ['not even a restore brings a privacy-erased contact back', ['contact.restore'], 'privacy', 'contact.privacyDeletion'],
    ['a late event for a contact still deleted is erased too', ['contact.propertyChange'], 'deletion', 'contact.deletion'],
    ['a restore of a deleted contact is read', ['contact.restore', 'contact.propertyChange'], 'deletion', undefined],
  ];
  it.each(cases)('%s', (_name, eventTypes, erasedBefore, expected) => {
    expect(decideErasure({ contactId: '7', eventTypes, erasedBefore })?.eventType).toBe(expected);
  });
});

describe('what is kept of personal rows', () => {
  it('keeps the non-personal detail keys, the segment by id only', () => {
    expect(
      keptDetail({ source: 'PAID_SEARCH', segment: { id: 'smb', label: 'SMB' }, breakdown: ['Title: CTO'], email: 'a@b.example' }),
    ).toEqual({ source: 'PAID_SEARCH', segment: { id: 'smb' } });
  });
  it('cuts off the retention in whole days before now', () => {
    expect(retentionCutoff(new Date('2025-03-31T12:00:00Z'), 30).toISOString()).toBe('2025-03-01T12:00:00.000Z');
  });
});
