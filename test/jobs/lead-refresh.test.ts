import { describe, expect, it } from '@jest/globals';
import { handoffContacts } from '../../src/jobs/handoff/handoff-contacts.ts';
import { type ReplayWorld, useReplayWorld } from './support/replay-world.ts';

/**
 * A handed-off contact changes in HubSpot while a rep has just edited another field of its Lead, before the
 * poll has carried that edit back: the refresh must write what changed in HubSpot, not every mapped field,
 * or the rep's edit is silently overwritten with the older HubSpot value.
 */
describe('refreshing a handed-off Lead', () => {
  let w: ReplayWorld;
  useReplayWorld((world) => (w = world));

  it("writes only the fields that changed in HubSpot since our last write, keeping a rep's edit of another", async () => {
    const contactId = w.hubspot.createContact({
      email: 'refresh@refresh.example',
      lastname: 'Refresh',
      company: 'Old Co',
      jobtitle: 'Engineer',
      demo_requested: 'true',
    });
    await w.webhook(contactId);
    expect((await handoffContacts([contactId], w.handoff)).outcomes).toEqual({ handed_off: 1 });
    const [lead] = w.leadsFor(contactId);
    w.salesforce.updateRecord('Lead', String(lead!.Id), { Company: 'Renamed By Rep Inc' });

    w.hubspot.updateContact(contactId, { jobtitle: 'Head of Engineering' });
    await w.webhook(contactId);
    await handoffContacts([contactId], w.handoff);

    expect(w.leadsFor(contactId)).toEqual([
      expect.objectContaining({ Title: 'Head of Engineering', Company: 'Renamed By Rep Inc', LastName: 'Refresh' }),
    ]);
  });

  it("still writes a field that changed in HubSpot even when the rep edited it too (HubSpot's newer value wins)", async () => {
    const contactId = w.hubspot.createContact({
      email: 'both@refresh.example',
      lastname: 'Both',
      company: 'Both Co',
      jobtitle: 'Analyst',
      demo_requested: 'true',
    });
    await w.webhook(contactId);
    await handoffContacts([contactId], w.handoff);
    const [lead] = w.leadsFor(contactId);
    w.salesforce.updateRecord('Lead', String(lead!.Id), { Title: 'Rep Title' });

    w.hubspot.updateContact(contactId, { jobtitle: 'Senior Analyst' });
    await w.webhook(contactId);
    await handoffContacts([contactId], w.handoff);

    expect(w.leadsFor(contactId)).toEqual([expect.objectContaining({ Title: 'Senior Analyst', Company: 'Both Co' })]);
  });
});
