import { decideErasure, type ErasurePlan } from '../../core/privacy/contact-erasure.ts';
import type { Queryable } from '../../store/database.ts';
import type { PendingEvent } from '../../store/inbox.ts';
import { type LastWritten, lastWritten, matchesWritten } from '../../store/last-written.ts';
import { erasureStates } from '../../store/personal-data.ts';
import { REPLAY_EVENT_TYPE } from './replay-event.ts';

/** Event types that can change whether or how a contact is handed off. */
const RELEVANT = /^(contact|object)\.(creation|propertyChange|restore|merge)$/;
const isRelevant = (eventType: string) => RELEVANT.test(eventType) || eventType === REPLAY_EVENT_TYPE;

export interface Triage {
  /** Contacts to read from HubSpot, with the inbox ids their processing settles. */
  toRead: Map<string, string[]>;
  /** Events settled without reading anything, grouped by outcome. */
  settled: Map<string, string[]>;
  /** Contacts HubSpot deleted: what we hold on them is erased instead of read, settling these inbox ids. */
  erase: { plan: ErasurePlan; eventIds: string[] }[];
  /** What we last wrote to each contact with a named property change (the echo check's read, reused by kept values). */
  written: Map<string, LastWritten>;
}

/**
 * Groups pending events per contact and drops those that need no work: echoes of values we wrote
 * ourselves (no ping-pong) and event types the handoff does not act on. A replay of parked work always needs a
 * fresh read. A contact HubSpot deleted is not read at all: its contact events go to the erasure (see decideErasure).
 */
export async function triageEvents(db: Queryable, events: PendingEvent[]): Promise<Triage> {
  const toRead = new Map<string, string[]>();
  const settled = new Map<string, string[]>();
  const settledIds = new Set<string>();
  const settle = (outcome: string, id: string) => {
    settled.set(outcome, [...(settled.get(outcome) ?? []), id]);
    settledIds.add(id);
  };
  const byContact = new Map<string, PendingEvent[]>();
  for (const event of events) byContact.set(event.objectId, [...(byContact.get(event.objectId) ?? []), event]);
  // What we last wrote to these contacts, in one read for the whole batch.
  const changed = events.filter((event) => event.eventType.endsWith('propertyChange') && event.propertyName);
  const contactIds = [...byContact.keys()];
  const [written, erased] = await Promise.all([
    lastWritten(db, 'hubspot', [...new Set(changed.map((event) => event.objectId))]),
    erasureStates(db, contactIds),
  ]);
  const erasedBefore = (id: string) => erased.get(id);
  const erase: Triage['erase'] = [];

  for (const [contactId, contactEvents] of byContact) {
    const contactOnes = contactEvents.filter((event) => event.objectType === 'contact');
    const plan = decideErasure({
      contactId,
      eventTypes: contactOnes.map((event) => event.eventType),
      erasedBefore: erasedBefore(contactId),
    });
    if (plan) erase.push({ plan, eventIds: contactOnes.map((event) => event.id) });
    let needsRead = false;
    for (const event of contactEvents) {
      if (event.objectType !== 'contact') settle('ignored: not a contact event', event.id);
      else if (plan) continue;
      else if (!isRelevant(event.eventType)) settle(`ignored: ${event.eventType}`, event.id);
      else if (
        event.eventType.endsWith('propertyChange') &&
        event.propertyName &&
        matchesWritten(written.get(contactId), event.propertyName, event.propertyValue)
      ) {
        settle('echo of our own write', event.id);
      } else needsRead = true;
    }
    // Once the contact is read, every pending event for it is settled by that one fresh read.
    if (needsRead)
      toRead.set(
        contactId,
        contactEvents.map((event) => event.id).filter((id) => !settledIds.has(id)),
      );
  }
  return { toRead, settled, erase, written };
}
