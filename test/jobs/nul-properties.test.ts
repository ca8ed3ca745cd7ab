import { describe, expect, it } from '@jest/globals';
import { handoffContacts } from '../../src/jobs/handoff/handoff-contacts.ts';
import { pendingEvents } from '../../src/store/inbox.ts';
import { listParked } from '../../src/store/parked.ts';
import { type ReplayWorld, useReplayWorld } from './support/replay-world.ts';

/**
 * HubSpot stores whatever an import or a form put in a property, U+0000 included; PostgreSQL refuses that
 * character in text and jsonb. A contact carrying it must still be handed off, not fail its batch forever.
 */
describe('a HubSpot contact with U+0000 in its properties', () => {
  let w: ReplayWorld;
  useReplayWorld((world) => (w = world));

  it('is handed off with the character replaced, and its batch neighbour too', async () => {
    const nul = w.hubspot.createContact({
      email: 'nul-1@nul.example',
      lastname: 'Nul\u0000Name',
      company: 'Acme\u0000 Ltd',
      jobtitle: '\u0000',
      demo_requested: 'true',
    });
    const clean = w.hubspot.createContact({ email: 'nul-2@nul.example', lastname: 'Clean', company: 'Clean Co', demo_requested: 'true' });
    await w.webhook(nul);
    await w.webhook(clean);

    const summary = await handoffContacts([nul, clean], w.handoff);

    expect(summary.outcomes).toEqual({ handed_off: 2 });
    const [lead] = w.leadsFor(nul);
    expect(lead).toMatchObject({ LastName: 'Nul\uFFFDName', Company: 'Acme\uFFFD Ltd' });
    expect(w.leadsFor(clean)).toHaveLength(1);
    expect(await pendingEvents(w.fresh.db, [nul, clean])).toEqual([]);
    expect(await listParked(w.fresh.db, { open: true })).toEqual([]);
  });
});
