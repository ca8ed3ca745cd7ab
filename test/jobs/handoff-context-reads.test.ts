import { describe, expect, it } from '@jest/globals';
import { handoffContacts } from '../../src/jobs/handoff/handoff-contacts.ts';
import type { Database } from '../../src/store/database.ts';
import { readHandoffContext } from '../../src/store/handoff-context.ts';
import { type ReplayWorld, useReplayWorld } from './support/replay-world.ts';

/** The database with every statement run outside a transaction recorded (the batch's reads; its writes commit in one transaction). */
function counting(db: Database): { db: Database; statements: string[] } {
  const statements: string[] = [];
  const counted: Database = Object.create(db);
  counted.query = (sql, params) => {
    statements.push(sql.replace(/\s+/g, ' ').trim());
    return db.query(sql, params);
  };
  return { db: counted, statements };
}

describe('the handoff batch reads its decision context in one statement', () => {
  let w: ReplayWorld;
  useReplayWorld((world) => (w = world));

  it('links, lead memory and last-written values of a batch: one query, however many contacts', async () => {
    const linked = w.hubspot.createContact({
      email: 'ctx-linked@ctx.example',
      lastname: 'Linked',
      company: 'Ctx',
      jobtitle: 'Engineer',
      demo_requested: 'true',
    });
    await w.webhook(linked);
    expect((await handoffContacts([linked], w.handoff)).outcomes).toEqual({ handed_off: 1 });

    const fresh = w.hubspot.createContact({
      email: 'ctx-new@ctx.example',
      lastname: 'New',
      company: 'Ctx',
      jobtitle: 'Engineer',
      demo_requested: 'true',
    });
    const other = w.hubspot.createContact({ email: 'ctx-other@ctx.example', lastname: 'Other' });
    w.hubspot.updateContact(linked, { jobtitle: 'Head of Engineering' });
    for (const id of [linked, fresh, other]) await w.webhook(id);

    const { db, statements } = counting(w.fresh.db);
    const summary = await handoffContacts([linked, fresh, other], { ...w.handoff, db });
    expect(summary.outcomes).toEqual({ lead_updated: 1, handed_off: 1, not_qualified: 1 });
    process.stdout.write(`handoff batch: ${statements.length} statements outside the persist transaction\n`);
    const decisionReads = statements.filter(
      (sql) => /\b(record_links|lead_memory)\b/.test(sql) || (/FROM last_written WHERE side = \$1/.test(sql) && !/hubspot/.test(sql)),
    );
    // Before: record_links, then last_written (salesforce), then lead_memory, one after another.
    expect(decisionReads.filter((sql) => /record_links/.test(sql))).toHaveLength(1);
    expect(decisionReads.filter((sql) => /lead_memory/.test(sql))).toHaveLength(1);
    expect(decisionReads[0]).toMatch(/record_links.*lead_memory.*last_written/);
  });

  it('gives each linked contact its Lead stage and last-written values, and nothing for unlinked contacts', async () => {
    const contactId = w.hubspot.createContact({
      email: 'ctx-read@ctx.example',
      lastname: 'Read',
      company: 'Ctx',
      jobtitle: 'Engineer',
      demo_requested: 'true',
    });
    await w.webhook(contactId);
    await handoffContacts([contactId], w.handoff);
    const context = await readHandoffContext(w.fresh.db, [contactId, 'no-such-contact']);
    expect(context.has('no-such-contact')).toBe(false);
    const known = context.get(contactId);
    expect(known?.link).toEqual({ salesforceObject: 'Lead', salesforceId: expect.any(String) });
    expect(known?.leadWritten).toEqual(expect.objectContaining({ LastName: 'Read' }));
    expect(known?.leadStage).toBeUndefined();
  });
});
