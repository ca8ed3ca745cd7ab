import { describe, expect, it } from '@jest/globals';
import { ProviderError } from '../../src/errors.ts';
import { handoffContacts } from '../../src/jobs/handoff/handoff-contacts.ts';
import { type ReplayWorld, useReplayWorld } from './support/replay-world.ts';

/**
 * The HubSpot write-back runs after Salesforce holds the handoff. A provider's refusal there is parked for replay;
 * anything else is a bug in our code and fails the job loudly instead of turning into parked work.
 */
describe('failures in the HubSpot write-back', () => {
  let w: ReplayWorld;
  useReplayWorld((world) => (w = world));

  const parkedFor = async (contactId: string) =>
    (await w.fresh.db.query<{ kind: string; message: string }>('SELECT kind, message FROM parked_work WHERE record_key = $1', [contactId]))
      .rows;

  it('a bug in the property write-back fails the job; nothing is parked', async () => {
    const contactId = w.hubspot.createContact({
      email: 'bug@writeback.example',
      lastname: 'Bug',
      company: 'Bug Co',
      jobtitle: 'Engineer',
      demo_requested: 'true',
    });
    await w.webhook(contactId);
    const hubspot = Object.create(w.handoff.hubspot) as typeof w.handoff.hubspot;
    hubspot.updateContacts = async () => {
      throw new TypeError('cannot read properties of undefined');
    };
    await expect(handoffContacts([contactId], { ...w.handoff, hubspot })).rejects.toThrow(TypeError);
    expect(await parkedFor(contactId)).toEqual([]);
  });

  it('a bug in the sales-ready list add fails the job; nothing is parked', async () => {
    const contactId = w.hubspot.createContact({
      email: 'listbug@writeback.example',
      lastname: 'ListBug',
      company: 'Bug Co',
      jobtitle: 'Engineer',
      demo_requested: 'true',
    });
    await w.webhook(contactId);
    const hubspot = Object.create(w.handoff.hubspot) as typeof w.handoff.hubspot;
    hubspot.addToList = async () => {
      throw new RangeError('list id out of range');
    };
    await expect(handoffContacts([contactId], { ...w.handoff, hubspot })).rejects.toThrow(RangeError);
    expect(await parkedFor(contactId)).toEqual([]);
  });

  it('a provider refusal of the property write-back is parked with its message', async () => {
    const contactId = w.hubspot.createContact({
      email: 'refused@writeback.example',
      lastname: 'Refused',
      company: 'Refused Co',
      jobtitle: 'Engineer',
      demo_requested: 'true',
    });
    await w.webhook(contactId);
    const hubspot = Object.create(w.handoff.hubspot) as typeof w.handoff.hubspot;
    hubspot.updateContacts = async () => {
      throw new ProviderError('hubspot', 'HubSpot answered 400', { status: 400, retryable: false });
    };
    const summary = await handoffContacts([contactId], { ...w.handoff, hubspot });
    expect(summary.outcomes).toEqual({ 'handed_off; write-back parked': 1 });
    expect(await parkedFor(contactId)).toEqual([{ kind: 'hubspot_writeback', message: 'HubSpot answered 400' }]);
  });
});
