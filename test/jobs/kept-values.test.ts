import { describe, expect, it } from '@jest/globals';
import type { HubSpotPort } from '../../src/adapters/hubspot/hubspot-port.ts';
import { type HandoffDeps, handoffContacts } from '../../src/jobs/handoff/handoff-contacts.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';
import { insertEvents } from '../../src/store/inbox.ts';
import { readKeptValues } from '../../src/store/kept-values.ts';
import { type ReplayWorld, useReplayWorld } from './support/replay-world.ts';

const QUALIFIED = { lastname: 'Kept', company: 'Kept Co', jobtitle: 'Engineer', demo_requested: 'true' };

/** The port with every contact it reads recorded: proof that a contact was, or was not, read from HubSpot. */
function watchReads(port: HubSpotPort): { port: HubSpotPort; read: string[] } {
  const read: string[] = [];
  const watched: HubSpotPort = Object.create(port);
  watched.readContacts = (ids, properties) => {
    read.push(...ids);
    return port.readContacts(ids, properties);
  };
  return { port: watched, read };
}

describe('kept values: a known contact’s later change is decided without a HubSpot read', () => {
  let w: ReplayWorld;
  useReplayWorld((world) => (w = world));
  let nextKey = 1;

  /** HubSpot's propertyChange webhooks (HubSpot webhooks v3 guide, "Webhook payloads": one property per event, with occurredAt). */
  async function propertyChanges(contactId: string, properties: Record<string, string>, changeSource: string, occurredAt: Date) {
    await insertEvents(
      w.fresh.db,
      Object.entries(properties).map(([propertyName, propertyValue]) => ({
        dedupeKey: `kept-test:${nextKey++}`,
        source: 'hubspot',
        eventType: 'contact.propertyChange',
        objectType: 'contact',
        objectId: contactId,
        propertyName,
        propertyValue,
        changeSource,
        occurredAt,
        payload: {},
      })),
    );
  }

  /** The webhooks HubSpot sends for our own write-back (the echoes), for each value it holds as we wrote it. */
  async function echoOurWrites(contactId: string) {
    const held = w.hubspot.contacts.get(contactId)?.properties ?? {};
    for (const write of w.hubspot.contacts.writes(contactId).filter((each) => each.changeSource === 'INTEGRATION')) {
      const applied = Object.fromEntries(Object.entries(write.properties).filter(([name, value]) => held[name] === value));
      await propertyChanges(contactId, applied, 'INTEGRATION', new Date(write.at));
    }
  }

  /** A contact created in the UI and handed off with the given deps (its creation webhook read it). */
  async function handedOff(email: string, deps: HandoffDeps): Promise<string> {
    const id = w.hubspot.createContact({ ...QUALIFIED, email });
    await w.webhook(id);
    expect((await handoffContacts([id], deps)).outcomes).toEqual({ handed_off: 1 });
    // The write-back leaves through the outbox; HubSpot echoes it once the flusher has sent it.
    await w.flushWriteBacks();
    await echoOurWrites(id);
    return id;
  }

  it('a second propertyChange for a handed-off contact is decided from kept values, with the outcome a read gives', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const watched = watchReads(w.handoff.hubspot);
    const keeping: HandoffDeps = { ...w.handoff, hubspot: watched.port, keptValues: { maxAgeMs: 600_000 }, metrics };
    const kept = await handedOff('kept-on@kept.example', keeping);
    const reading = await handedOff('kept-off@kept.example', w.handoff);
    expect(watched.read).toEqual([kept]);
    expect((await readKeptValues(w.fresh.db, [kept, reading])).has(reading)).toBe(false);

    for (const id of [kept, reading]) {
      w.hubspot.updateContact(id, { jobtitle: 'Head of Engineering' });
      await propertyChanges(id, { jobtitle: 'Head of Engineering' }, 'CRM_UI', new Date());
    }
    const fromKept = await handoffContacts([kept], keeping);
    const fromRead = await handoffContacts([reading], w.handoff);

    expect(watched.read).toEqual([kept]);
    const saved = await metrics.registry.getSingleMetric('handoff_reads_saved_total')?.get();
    expect(saved?.values.map((value) => value.value)).toEqual([1]);
    expect(fromKept.outcomes).toEqual({ lead_updated: 1 });
    expect(fromKept.outcomes).toEqual(fromRead.outcomes);
    const [keptLead] = w.leadsFor(kept);
    const [readLead] = w.leadsFor(reading);
    expect(keptLead?.Title).toBe('Head of Engineering');
    expect(keptLead?.Title).toBe(readLead?.Title);
    expect((await readKeptValues(w.fresh.db, [kept])).get(kept)?.jobtitle?.value).toBe('Head of Engineering');
  });

  it('a contact never read is read, and its values are kept from then on', async () => {
    const watched = watchReads(w.handoff.hubspot);
    const keeping: HandoffDeps = { ...w.handoff, hubspot: watched.port, keptValues: { maxAgeMs: 600_000 } };
    const id = w.hubspot.createContact({ ...QUALIFIED, email: 'never-read@kept.example' });
    // Only a property change reaches us (no creation event): with nothing kept for the contact, it must be read.
    await propertyChanges(id, { jobtitle: 'Engineer' }, 'CRM_UI', new Date());
    expect((await readKeptValues(w.fresh.db, [id])).has(id)).toBe(false);

    expect((await handoffContacts([id], keeping)).outcomes).toEqual({ handed_off: 1 });
    expect(watched.read).toEqual([id]);
    expect((await readKeptValues(w.fresh.db, [id])).get(id)?.email?.value).toBe('never-read@kept.example');
  });

  it('a creation event for a known contact is read even with fresh kept values', async () => {
    const watched = watchReads(w.handoff.hubspot);
    const keeping: HandoffDeps = { ...w.handoff, hubspot: watched.port, keptValues: { maxAgeMs: 600_000 } };
    const id = await handedOff('created-again@kept.example', keeping);
    await w.webhook(id);
    await handoffContacts([id], keeping);
    expect(watched.read).toEqual([id, id]);
  });
});
