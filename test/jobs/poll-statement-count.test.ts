import { describe, expect, it } from '@jest/globals';
import { handoffContacts } from '../../src/jobs/handoff/handoff-contacts.ts';
import { type PollSummary, pollLeadChanges } from '../../src/jobs/salesforce-poll/poll-leads.ts';
import type { Database, Queryable } from '../../src/store/database.ts';
import { createReplayWorld } from './support/replay-world.ts';

/** The database with every round trip counted: each query, and BEGIN and COMMIT for each transaction. */
function counted(db: Database): { db: Database; statements: () => number } {
  let statements = 0;
  const counting = (inner: Queryable): Queryable => ({
    query: (sql, params) => {
      statements += 1;
      return inner.query(sql, params);
    },
    exec: (sql) => {
      statements += 1;
      return inner.exec(sql);
    },
  });
  return {
    db: {
      ...db,
      ...counting(db),
      transaction: (fn) => {
        statements += 2;
        return db.transaction((tx) => fn(counting(tx)));
      },
    },
    statements: () => statements,
  };
}

/**
 * Hands off `leads` contacts, lets the poll see them once, then has reps act on every Lead in five ways (a first
 * touch, a rejection without a reason, a conversion, a rejection whose contact HubSpot no longer has, a field
 * edit) so one page carries every kind of row the poll writes. Returns the statements of that page's poll.
 */
async function statementsForOnePage(leads: number): Promise<{ statements: number; summary: PollSummary }> {
  const w = await createReplayWorld();
  try {
    const contacts: string[] = [];
    for (let i = 0; i < leads; i++) {
      const contactId = w.hubspot.createContact({
        email: `lead${i}@count.example`,
        lastname: `Lead${i}`,
        company: `Count ${i}`,
        jobtitle: 'Engineer',
        demo_requested: 'true',
      });
      await w.webhook(contactId);
      contacts.push(contactId);
    }
    expect((await handoffContacts(contacts, w.handoff)).outcomes).toEqual({ handed_off: leads });
    await pollLeadChanges(w.poll);
    contacts.forEach((contactId, i) => {
      const leadId = String(w.leadsFor(contactId)[0]!.Id);
      if (i % 5 === 0) w.salesforce.updateRecord('Lead', leadId, { Status: 'Working - Contacted' });
      if (i % 5 === 1) w.salesforce.updateRecord('Lead', leadId, { Status: 'Rejected' });
      if (i % 5 === 2) w.salesforce.convertLead(leadId);
      if (i % 5 === 3) {
        w.salesforce.updateRecord('Lead', leadId, { Status: 'Rejected', Rejection_Reason__c: 'bad_timing' });
        w.hubspot.deleteContact(contactId);
      }
      if (i % 5 === 4) w.salesforce.updateRecord('Lead', leadId, { Title: `Head of Count ${i}` });
    });
    const { db, statements } = counted(w.fresh.db);
    const summary = await pollLeadChanges({ ...w.poll, db });
    return { statements: statements(), summary };
  } finally {
    await w.close();
  }
}

describe("the Salesforce poll's trips to the store", () => {
  it('writes a page of Leads in the same number of statements however many Leads it carries', async () => {
    const small = await statementsForOnePage(10);
    const large = await statementsForOnePage(100);
    // Every kind of row is on the page: history, last-written values, links, parked work, flags, SLA stops.
    for (const { summary } of [small, large]) {
      expect(summary.pages).toBe(1);
      expect(Object.keys(summary.outcomes).sort()).toEqual([
        'converted',
        'fields_synced',
        'flagged: missing_rejection_reason',
        'parked',
        'status_synced',
      ]);
    }
    expect(large.statements).toBe(small.statements);
  }, 120_000);
});
