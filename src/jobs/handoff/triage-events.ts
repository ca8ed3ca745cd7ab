import type { Queryable } from '../../store/database.ts';
import type { InboxEvent } from '../../store/inbox.ts';
import { isEcho } from '../../store/lastWritten.ts';
import { REPLAY_EVENT_TYPE } from './replay-event.ts';

/** Event types that can change whether or how a contact is handed off. */
const RELEVANT = /^(contact|object)\.(creation|propertyChange|restore|merge)$/;
const isRelevant = (eventType: string) => RELEVANT.test(eventType) || eventType === REPLAY_EVENT_TYPE;

export interface Triage {
  /** Contacts to read from HubSpot, with the inbox ids their processing settles. */
  toRead: Map<string, string[]>;
  /** Events settled without reading anything, grouped by outcome. */
  settled: Map<string, string[]>;
}

/**
 * Groups pending events per contact and drops those that need no work: echoes of values we wrote
 * ourselves (no ping-pong), deletions and event types the handoff does not act on. A replay of parked
 * work always needs a fresh read.
 */
export async function triageEvents(db: Queryable, events: InboxEvent[]): Promise<Triage> {
  const toRead = new Map<string, string[]>();
  const settled = new Map<string, string[]>();
  const settle = (outcome: string, id: string) => settled.set(outcome, [...(settled.get(outcome) ?? []), id]);
  const byContact = new Map<string, InboxEvent[]>();
  for (const event of events) byContact.set(event.objectId, [...(byContact.get(event.objectId) ?? []), event]);

  for (const [contactId, contactEvents] of byContact) {
    let needsRead = false;
    for (const event of contactEvents) {
      if (event.objectType !== 'contact') settle('ignored: not a contact event', event.id);
      else if (!isRelevant(event.eventType)) settle(`ignored: ${event.eventType}`, event.id);
      else if (event.eventType.endsWith('propertyChange') && event.propertyName &&
        (await isEcho(db, 'hubspot', contactId, event.propertyName, event.propertyValue))) {
        settle('echo of our own write', event.id);
      } else needsRead = true;
    }
    if (needsRead) {
      // Once the contact is read, every pending event for it is settled by that one fresh read.
      const ids = contactEvents.map((event) => event.id).filter((id) => ![...settled.values()].some((list) => list.includes(id)));
      toRead.set(contactId, ids);
    }
  }
  return { toRead, settled };
}
