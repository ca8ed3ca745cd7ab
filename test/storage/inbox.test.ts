import { describe, expect, it } from '@jest/globals';
import type { Database } from '../../src/store/database.ts';
import {
  countPending,
  type InboxEventInput,
  insertEventBatches,
  insertEvents,
  markProcessed,
  pendingContactIds,
  pendingEventHeads,
  pendingEvents,
} from '../../src/store/inbox.ts';
import { useFreshDatabase } from '../support/databases.ts';

function event(dedupeKey: string, objectId: string, overrides: Partial<InboxEventInput> = {}): InboxEventInput {
  return {
    dedupeKey,
    source: 'hubspot',
    eventType: 'contact.propertyChange',
    objectType: 'contact',
    objectId,
    propertyName: 'lifecyclestage',
    propertyValue: 'marketingqualifiedlead',
    changeSource: 'CRM_UI',
    occurredAt: new Date('2025-01-01T10:00:00Z'),
    payload: { eventId: dedupeKey, nested: { list: [1, 2] } },
    ...overrides,
  };
}

describe('webhook inbox', () => {
  let db: Database;
  useFreshDatabase((opened) => {
    db = opened;
  });

  it('inserts a batch and counts redeliveries as duplicates, in the table and within the batch', async () => {
    expect(await insertEvents(db, [event('d-1', 'c-dup'), event('d-2', 'c-dup')])).toEqual({ inserted: 2, duplicates: 0 });
    expect(await insertEvents(db, [event('d-2', 'c-dup'), event('d-3', 'c-dup'), event('d-3', 'c-dup')])).toEqual({
      inserted: 1,
      duplicates: 2,
    });
    expect(await insertEvents(db, [])).toEqual({ inserted: 0, duplicates: 0 });
  });

  it('stores several deliveries in one statement and tells each what became of its events', async () => {
    await insertEvents(db, [event('g-old', 'c-group')]);
    const outcomes = await insertEventBatches(db, [
      [event('g-1', 'c-group'), event('g-old', 'c-group')],
      [event('g-1', 'c-group'), event('g-2', 'c-group')],
      [],
    ]);
    expect(outcomes).toEqual([
      { inserted: 1, duplicates: 1 },
      { inserted: 1, duplicates: 1 },
      { inserted: 0, duplicates: 0 },
    ]);
    const heads = await pendingEventHeads(db, ['c-group']);
    expect(heads.map((head) => head.dedupeKey).sort()).toEqual(['g-1', 'g-2', 'g-old']);
    expect(heads[0]).not.toHaveProperty('payload');
    expect(await insertEventBatches(db, [])).toEqual([]);
  });

  it('returns pending events for contacts with every field as stored, oldest occurrence first', async () => {
    await insertEvents(db, [
      event('p-late', 'c-read', { occurredAt: new Date('2025-01-02T00:00:00Z'), propertyValue: null, changeSource: null }),
      event('p-early', 'c-read', { occurredAt: new Date('2025-01-01T00:00:00Z') }),
      event('p-other', 'c-elsewhere'),
    ]);
    const rows = await pendingEvents(db, ['c-read']);
    expect(rows.map((row) => row.dedupeKey)).toEqual(['p-early', 'p-late']);
    const [early, late] = rows;
    expect(early).toMatchObject({
      source: 'hubspot',
      eventType: 'contact.propertyChange',
      objectType: 'contact',
      objectId: 'c-read',
      propertyName: 'lifecyclestage',
      propertyValue: 'marketingqualifiedlead',
      changeSource: 'CRM_UI',
      occurredAt: new Date('2025-01-01T00:00:00Z'),
      payload: { eventId: 'p-early', nested: { list: [1, 2] } },
      processedAt: null,
      outcome: null,
    });
    expect(typeof early?.id).toBe('string');
    expect(early?.receivedAt).toBeInstanceOf(Date);
    expect(late).toMatchObject({ propertyValue: null, changeSource: null });
    expect(await pendingEvents(db, [])).toEqual([]);
  });

  it('marks events processed once and stops returning them', async () => {
    await insertEvents(db, [event('m-1', 'c-mark'), event('m-2', 'c-mark')]);
    const before = await countPending(db);
    const ids = (await pendingEvents(db, ['c-mark'])).map((row) => row.id);
    expect(await markProcessed(db, ids, 'handed_off')).toBe(2);
    expect(await markProcessed(db, [BigInt(ids[0]!)], 'again')).toBe(0);
    expect(await pendingEvents(db, ['c-mark'])).toEqual([]);
    expect(await countPending(db)).toBe(before - 2);
    const stored = await db.query<{ outcome: string }>('SELECT outcome FROM webhook_inbox WHERE id = ANY($1::bigint[]) ORDER BY id', [ids]);
    expect(stored.rows).toEqual([{ outcome: 'handed_off' }, { outcome: 'handed_off' }]);
  });

  it('lists contacts whose oldest pending event is older than the cutoff, longest waiting first', async () => {
    await db.query('UPDATE webhook_inbox SET processed_at = now() WHERE processed_at IS NULL');
    await insertEvents(db, [event('w-new', 'c-new'), event('w-old-1', 'c-old'), event('w-old-2', 'c-old'), event('w-mid', 'c-mid')]);
    // Set arrival times explicitly so the ordering does not depend on the clock.
    const received: Array<[string, string]> = [
      ['w-old-1', '2025-01-01T00:00:00Z'],
      ['w-old-2', '2025-01-01T09:00:00Z'],
      ['w-mid', '2025-01-01T05:00:00Z'],
      ['w-new', '2025-01-01T12:00:00Z'],
    ];
    for (const [key, at] of received) {
      await db.query('UPDATE webhook_inbox SET received_at = $2 WHERE dedupe_key = $1', [key, at]);
    }
    const cutoff = new Date('2025-01-01T10:00:00Z');
    expect(await pendingContactIds(db, { receivedBefore: cutoff, limit: 10 })).toEqual(['c-old', 'c-mid']);
    expect(await pendingContactIds(db, { receivedBefore: cutoff, limit: 1 })).toEqual(['c-old']);
  });

  it('inserts a large batch in one call', async () => {
    const batch = Array.from({ length: 500 }, (_, i) => event(`bulk-${i}`, `c-bulk-${i % 7}`));
    expect(await insertEvents(db, batch)).toEqual({ inserted: 500, duplicates: 0 });
  });
});
