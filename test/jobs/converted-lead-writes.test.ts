import { describe, expect, it } from '@jest/globals';
import { handoffContacts } from '../../src/jobs/handoff/handoff-contacts.ts';
import { LEAD_CONVERTED } from '../../src/jobs/handoff/salesforce-outcomes.ts';
import { pollLeadChanges } from '../../src/jobs/salesforce-poll/poll-leads.ts';
import { slaTick } from '../../src/jobs/sla/sla-tick.ts';
import { historyForContact } from '../../src/store/history.ts';
import { linksForContacts } from '../../src/store/links.ts';
import { listParked } from '../../src/store/parked.ts';
import { type ReplayWorld, useReplayWorld } from './support/replay-world.ts';

/**
 * Salesforce Help 000384333, "CANNOT_UPDATE_CONVERTED_LEAD": a converted Lead is read-only; only its
 * ConvertedContactId (and account) can be referenced. No write of ours targets one, and the error never parks work:
 * a refresh that meets a Lead converted since the last poll is recorded as not due any more.
 */
describe('writes and converted Leads (Salesforce Help, CANNOT_UPDATE_CONVERTED_LEAD)', () => {
  let w: ReplayWorld;
  useReplayWorld((world) => (w = world));
  const poll = (): Promise<unknown> => pollLeadChanges(w.poll);
  const writesTo = (leadId: string) => w.salesforce.writeLog('Lead', leadId).length;

  async function handedOff(name: string): Promise<{ contactId: string; leadId: string }> {
    const contactId = w.hubspot.createContact({
      email: `${name}@converted.example`,
      lastname: name,
      company: `${name} Co`,
      jobtitle: 'Engineer',
      demo_requested: 'true',
    });
    await w.webhook(contactId);
    expect((await handoffContacts([contactId], w.handoff)).outcomes).toEqual({ handed_off: 1 });
    return { contactId, leadId: String(w.leadsFor(contactId)[0]!.Id) };
  }

  it('records a refresh that meets a Lead converted since the last poll as not due, parking nothing', async () => {
    const { contactId, leadId } = await handedOff('race');
    w.salesforce.convertLead(leadId);
    w.hubspot.updateContact(contactId, { jobtitle: 'Head of Engineering' });
    await w.webhook(contactId);
    expect((await handoffContacts([contactId], w.handoff)).outcomes).toEqual({ [LEAD_CONVERTED]: 1 });
    expect(await listParked(w.fresh.db, {})).toEqual([]);
    expect((await historyForContact(w.fresh.db, contactId)).at(-1)).toMatchObject({ action: 'write_not_due', salesforceId: leadId });
    expect(w.salesforce.getRecord('Lead', leadId)?.Title).toBe('Engineer');
  });

  it('sends nothing to a Lead the poll saw converted: the link follows ConvertedContactId, refreshes and SLA breaches skip it', async () => {
    const { contactId, leadId } = await handedOff('seen');
    const converted = w.salesforce.convertLead(leadId);
    await poll();
    expect((await linksForContacts(w.fresh.db, [contactId])).get(contactId)).toMatchObject({
      salesforceObject: 'Contact',
      salesforceId: converted.ConvertedContactId,
    });
    const before = writesTo(leadId);

    w.hubspot.updateContact(contactId, { jobtitle: 'Head of Engineering' });
    await w.webhook(contactId);
    expect((await handoffContacts([contactId], w.handoff)).outcomes).toEqual({ 'already linked to a Salesforce Contact': 1 });
    const later = new Date(Date.now() + 30 * 24 * 60 * 60 * 1000);
    const tick = await slaTick({
      db: w.fresh.db,
      salesforce: w.handoff.salesforce,
      alerts: { send: async () => {}, sendOps: async () => {} },
      mappings: () => w.bundle,
      logger: w.handoff.logger,
      now: () => later,
    });

    expect(tick.breached).toBe(0);
    expect(writesTo(leadId)).toBe(before);
    expect(await listParked(w.fresh.db, {})).toEqual([]);
  });

  it('moves the link to the Contact even when HubSpot refuses the conversion feedback (parked for later)', async () => {
    const { contactId, leadId } = await handedOff('refused');
    const converted = w.salesforce.convertLead(leadId);
    w.hubspot.injectFaults({ status: 400, count: 1, endpoint: 'POST /crm/v3/objects/contacts/batch/update' });
    await poll();
    expect(await listParked(w.fresh.db, {})).toEqual([expect.objectContaining({ kind: 'sales_feedback', recordKey: leadId })]);
    expect((await linksForContacts(w.fresh.db, [contactId])).get(contactId)).toMatchObject({
      salesforceObject: 'Contact',
      salesforceId: converted.ConvertedContactId,
    });
  });

  it("links a qualified contact whose own Lead was converted to that Lead's Contact, writing no Lead", async () => {
    const contactId = w.hubspot.createContact({
      email: 'unlinked@converted.example',
      lastname: 'Unlinked',
      company: 'Unlinked Co',
      demo_requested: 'true',
    });
    // Ours from an earlier life (e.g. a database restored without the link), converted by a rep since; the Contact's
    // e-mail was edited after, so only ConvertedContactId leads to it.
    const { Id } = w.salesforce.createRecord('Lead', {
      LastName: 'Unlinked',
      Company: 'Unlinked Co',
      Email: 'unlinked@converted.example',
      Handoff_HubSpot_Id__c: contactId,
    });
    const converted = w.salesforce.convertLead(String(Id));
    w.salesforce.updateRecord('Contact', String(converted.ConvertedContactId), { Email: 'elsewhere@converted.example' });
    const writes = (w.salesforce.calls.create ?? 0) + (w.salesforce.calls.update ?? 0) + (w.salesforce.calls.upsert ?? 0);

    await w.webhook(contactId);
    expect((await handoffContacts([contactId], w.handoff)).outcomes).toEqual({ linked_existing_contact: 1 });
    expect((await linksForContacts(w.fresh.db, [contactId])).get(contactId)).toMatchObject({
      salesforceObject: 'Contact',
      salesforceId: converted.ConvertedContactId,
    });
    expect((w.salesforce.calls.create ?? 0) + (w.salesforce.calls.update ?? 0) + (w.salesforce.calls.upsert ?? 0)).toBe(writes);
    expect((await historyForContact(w.fresh.db, contactId)).at(-1)).toMatchObject({
      action: 'linked_existing',
      detail: expect.objectContaining({ convertedLeadId: Id }),
    });
  });
});
