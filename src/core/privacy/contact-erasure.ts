/**
 * What HubSpot's deletion webhooks ask of us. HubSpot's webhooks docs (developers.hubspot.com/docs/api/webhooks,
 * "Privacy compliant contact deletions") and its changelog "Webhooks now support privacy-compliant contact
 * deletions": `contact.deletion` is sent when a contact is deleted (it can be restored, `contact.restore`);
 * `contact.privacyDeletion` when a user permanently deletes it to comply with privacy law (GDPR), and the
 * integration is expected to delete the contact and all associated data. A privacy deletion also sends the normal
 * `contact.deletion`, so both arrive. Both carry the envelope only (eventId, subscriptionId, portalId, appId,
 * occurredAt, subscriptionType, attemptNumber, objectId, changeSource), no property name or value. Generic
 * subscriptions send `object.deletion` / `object.restore` (objectTypeId 0-1) and have no privacy deletion.
 */
export const PRIVACY_DELETION = 'contact.privacyDeletion';
const DELETIONS = new Set(['contact.deletion', 'object.deletion', PRIVACY_DELETION]);
const RESTORES = new Set(['contact.restore', 'object.restore']);

const isDeletionEvent = (eventType: string): boolean => DELETIONS.has(eventType);

export interface ContactEvents {
  contactId: string;
  /** The contact's pending event types, oldest first. */
  eventTypes: string[];
  /**
   * How the contact was erased before, if it was: `privacy` for good (its id never comes back in HubSpot),
   * `deletion` when its latest audit entry is a plain deletion's erasure (until a restore).
   */
  erasedBefore?: 'privacy' | 'deletion' | undefined;
}

export interface ErasurePlan {
  contactId: string;
  /** The event type recorded in the audit entry: the privacy deletion whenever one is among the events. */
  eventType: string;
}

/**
 * Whether what HubSpot told us about a contact means erasing what we hold on it, instead of reading it.
 *
 * A deletion (plain or privacy) erases: the handoff has no further use for a deleted contact's data, and a plain
 * deletion's restore sends `contact.restore`, which reads the contact afresh from HubSpot. A restore after the last
 * plain deletion cancels it (read as usual). A privacy deletion is permanent: no later event undoes it, and events
 * that arrive for an id erased that way (a late redelivery) are erased too rather than read.
 */
export function decideErasure(contact: ContactEvents): ErasurePlan | undefined {
  const types = contact.eventTypes;
  const erase = (eventType: string): ErasurePlan => ({ contactId: contact.contactId, eventType });
  if (types.includes(PRIVACY_DELETION) || contact.erasedBefore === 'privacy') return erase(PRIVACY_DELETION);
  const lastDeletion = findLastIndex(types, isDeletionEvent);
  const restored = types.slice(lastDeletion + 1).some((type) => RESTORES.has(type));
  if (restored) return undefined;
  if (lastDeletion >= 0) return erase(types[lastDeletion]!);
  // A late event (an echo, a redelivery) for a contact still deleted: its values are erased too, nothing is read.
  return contact.erasedBefore === 'deletion' ? erase('contact.deletion') : undefined;
}

function findLastIndex<T>(items: T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i]!)) return i;
  return -1;
}
