import { describe, expect, it } from '@jest/globals';
import { handoffContacts } from '../../src/jobs/handoff/handoff-contacts.ts';
import { pollLeadChanges } from '../../src/jobs/salesforce-poll/poll-leads.ts';
import { historyForContact } from '../../src/store/history.ts';
import { insertEvents } from '../../src/store/inbox.ts';
import { linksForContacts } from '../../src/store/links.ts';
import { type ReplayWorld, useReplayWorld } from './support/replay-world.ts';

const BATCH_READ = 'POST /crm/v3/objects/contacts/batch/read';

/**
 * HubSpot's deletion webhooks (webhooks docs, "Privacy compliant contact deletions"; changelog "Webhooks now support
 * privacy-compliant contact deletions"): contact.deletion, and for a GDPR delete contact.privacyDeletion as well.
 * The envelope carries no property name or value.
 */
describe('the handoff job on HubSpot contact deletions', () => {
  let w: ReplayWorld;
  useReplayWorld((world) => (w = world));
  let nextEvent = 1;
  const deliver = (contactId: string, ...eventTypes: string[]) =>
    insertEvents(
      w.fresh.db,
      eventTypes.map((eventType) => ({
        dedupeKey: `deletion-test:${nextEvent++}`,
        source: 'hubspot',
        eventType,
        objectType: 'contact',
        objectId: contactId,
        occurredAt: new Date(),
        payload: { subscriptionType: eventType, objectId: Number(contactId), changeSource: 'CRM_UI' },
      })),
    );
  const reads = () => w.hubspot.calls.byEndpoint[BATCH_READ] ?? 0;
  const handOff = async (email: string) => {
    const contactId = w.hubspot.createContact({ email, lastname: 'Erased', company: 'Gone Co', jobtitle: 'CTO', demo_requested: 'true' });
    await w.webhook(contactId);
    expect((await handoffContacts([contactId], w.handoff)).outcomes).toEqual({ handed_off: 1 });
    return contactId;
  };
  const personalText = async (contactId: string, email: string) => {
    const result = await w.fresh.db.query<{ found: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM webhook_inbox t WHERE object_id = $1 AND t::text ILIKE '%' || $2 || '%')
           OR EXISTS (SELECT 1 FROM handoff_history t WHERE hubspot_contact_id = $1 AND t::text ILIKE '%' || $2 || '%')
           OR EXISTS (SELECT 1 FROM lead_memory WHERE hubspot_contact_id = $1)
           OR EXISTS (SELECT 1 FROM last_written t WHERE record_id = $1 OR t::text ILIKE '%' || $2 || '%') AS found`,
      [contactId, email],
    );
    return result.rows[0]!.found;
  };

  it('erases a privacy-deleted contact without reading it, and records the erasure', async () => {
    const contactId = await handOff('privacy@erased.example');
    const [lead] = w.leadsFor(contactId);
    // Personal data that came with the webhooks: a property change carrying the e-mail.
    await insertEvents(w.fresh.db, [
      {
        dedupeKey: `deletion-test:${nextEvent++}`,
        source: 'hubspot',
        eventType: 'contact.propertyChange',
        objectType: 'contact',
        objectId: contactId,
        propertyName: 'email',
        propertyValue: 'privacy@erased.example',
        occurredAt: new Date(),
        payload: { propertyValue: 'privacy@erased.example' },
      },
    ]);
    await handoffContacts([contactId], w.handoff);
    expect(await personalText(contactId, 'privacy@erased.example')).toBe(true);

    const before = reads();
    await deliver(contactId, 'contact.privacyDeletion', 'contact.deletion');
    await handoffContacts([contactId], w.handoff);

    expect(reads()).toBe(before);
    expect(await personalText(contactId, 'privacy@erased.example')).toBe(false);
    expect((await linksForContacts(w.fresh.db, [contactId])).size).toBe(0);
    const erased = (await historyForContact(w.fresh.db, contactId)).filter((entry) => entry.action === 'erased');
    expect(erased).toEqual([expect.objectContaining({ salesforceId: lead!.Id, detail: { event: 'contact.privacyDeletion' } })]);
    // The Lead stays in the customer's Salesforce.
    expect(w.leadsFor(contactId)).toHaveLength(1);

    // A late redelivery for the erased id is erased in turn, never read.
    await deliver(contactId, 'contact.propertyChange');
    await handoffContacts([contactId], w.handoff);
    expect(reads()).toBe(before);
    const pending = await w.fresh.db.query(`SELECT 1 FROM webhook_inbox WHERE object_id = $1 AND processed_at IS NULL`, [contactId]);
    expect(pending.rowCount).toBe(0);
  });

  it('leaves the Lead of a deleted contact alone in the poll, and reads and links the contact again once restored', async () => {
    const contactId = await handOff('restored@erased.example');
    const leadId = String(w.leadsFor(contactId)[0]!.Id);
    const heldOnLead = async () => ({
      memories: (await w.fresh.db.query('SELECT 1 FROM lead_memory WHERE lead_id = $1', [leadId])).rowCount,
      parked: (await w.fresh.db.query('SELECT 1 FROM parked_work WHERE record_key = $1', [leadId])).rowCount,
    });
    await pollLeadChanges(w.poll);
    expect(await heldOnLead()).toEqual({ memories: 1, parked: 0 });
    await deliver(contactId, 'contact.deletion');
    await handoffContacts([contactId], w.handoff);
    expect((await linksForContacts(w.fresh.db, [contactId])).size).toBe(0);

    // A late echo of our own write arrives after the deletion: erased too, not read (it would audit a failed read).
    const before = reads();
    await insertEvents(w.fresh.db, [
      {
        dedupeKey: `deletion-test:${nextEvent++}`,
        source: 'hubspot',
        eventType: 'contact.propertyChange',
        objectType: 'contact',
        objectId: contactId,
        propertyName: 'email',
        propertyValue: 'restored@erased.example',
        occurredAt: new Date(),
        payload: { propertyValue: 'restored@erased.example' },
      },
    ]);
    await handoffContacts([contactId], w.handoff);
    expect(reads()).toBe(before);
    expect(await personalText(contactId, 'restored@erased.example')).toBe(false);

    // The Lead stays in Salesforce and a rep may change it: nothing goes to the deleted contact, nothing comes back here.
    w.salesforce.updateRecord('Lead', leadId, { Status: 'Working - Contacted' });
    expect((await pollLeadChanges(w.poll)).outcomes['skipped: contact erased']).toBeGreaterThan(0);
    expect(await heldOnLead()).toEqual({ memories: 0, parked: 0 });

    await deliver(contactId, 'contact.restore');
    await handoffContacts([contactId], w.handoff);
    expect(reads()).toBe(before + 1);
    // The e-mail match adopts the same Lead: no duplicate.
    expect(w.leadsFor(contactId)).toHaveLength(1);
    expect((await linksForContacts(w.fresh.db, [contactId])).get(contactId)?.salesforceId).toBe(leadId);
    // Restored and handed off afresh: the poll follows its Lead again.
    await pollLeadChanges(w.poll);
    expect(await heldOnLead()).toEqual({ memories: 1, parked: 0 });
  });
});
