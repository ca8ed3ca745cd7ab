import { describe, expect, it } from '@jest/globals';
import { handoffContacts } from '../../src/jobs/handoff/handoff-contacts.ts';
import { LEAD_WATERMARK_KEY, pollLeadChanges } from '../../src/jobs/salesforce-poll/poll-leads.ts';
import type { Database, Queryable } from '../../src/store/database.ts';
import { historyForContact } from '../../src/store/history.ts';
import { leadMemories } from '../../src/store/lead-memory.ts';
import { readSyncState } from '../../src/store/sync-state.ts';
import { type ReplayWorld, useReplayWorld } from './support/replay-world.ts';

/** The database, with the watermark write failing as a crash at the page's last statement would leave it. */
function failingAtWatermark(db: Database): Database {
  const failing = (inner: Queryable): Queryable => ({
    query: (sql, params) =>
      sql.includes('INSERT INTO sync_state') ? Promise.reject(new Error('killed at the watermark')) : inner.query(sql, params),
    exec: (sql) => inner.exec(sql),
  });
  return { ...db, ...failing(db), transaction: (fn) => db.transaction((tx) => fn(failing(tx))) };
}

describe('a page of the Salesforce poll and its watermark', () => {
  let w: ReplayWorld;
  useReplayWorld((world) => (w = world));

  it('commit together: a page that fails at the watermark leaves no rows, and the next poll records it', async () => {
    const contacts = ['one', 'two'].map((name) =>
      w.hubspot.createContact({ email: `${name}@atomic.example`, lastname: name, company: 'Atomic', demo_requested: 'true' }),
    );
    for (const contactId of contacts) await w.webhook(contactId);
    expect((await handoffContacts(contacts, w.handoff)).outcomes).toEqual({ handed_off: 2 });
    await pollLeadChanges(w.poll);
    const leadIds = contacts.map((contactId) => String(w.leadsFor(contactId)[0]!.Id));
    const mark = await readSyncState(w.fresh.db, LEAD_WATERMARK_KEY);
    const remembered = await leadMemories(w.fresh.db, leadIds);
    const audit = await historyForContact(w.fresh.db, contacts[0]!);

    for (const leadId of leadIds) w.salesforce.updateRecord('Lead', leadId, { Status: 'Qualified', Title: 'Head of Atomic' });
    await expect(pollLeadChanges({ ...w.poll, db: failingAtWatermark(w.fresh.db) })).rejects.toThrow('killed at the watermark');
    expect(await readSyncState(w.fresh.db, LEAD_WATERMARK_KEY)).toEqual(mark);
    expect(await leadMemories(w.fresh.db, leadIds)).toEqual(remembered);
    expect(await historyForContact(w.fresh.db, contacts[0]!)).toEqual(audit);

    await pollLeadChanges(w.poll);
    expect(await readSyncState(w.fresh.db, LEAD_WATERMARK_KEY)).not.toEqual(mark);
    for (const leadId of leadIds)
      expect((await leadMemories(w.fresh.db, [leadId])).get(leadId)!.fingerprint).not.toBe(remembered.get(leadId)!.fingerprint);
  });
});
