import { writeContactChanges } from '../../adapters/hubspot/contact-writes.ts';
import type { HubSpotPort } from '../../adapters/hubspot/hubspot-port.ts';
import type { ListIdResolver } from '../../adapters/hubspot/list-ids.ts';
import { waitingForOf } from '../../budgets/budget-errors.ts';
import { isForwardLifecycleMove } from '../../core/lifecycle.ts';
import type { HubSpotFeedback } from '../../core/sales/lead-change-types.ts';
import { ProviderError } from '../../errors.ts';

export interface FeedbackItem {
  contactId: string;
  feedback: HubSpotFeedback;
}

export type FeedbackResult =
  | { ok: true; written: Record<string, string>; listsAdded: string[]; listsRemoved: string[] }
  | { ok: false; message: string };

/** A history row's detail with what HubSpot took: the properties written and the lists joined and left. */
export function withFeedbackResult(
  detail: Record<string, unknown>,
  result: Extract<FeedbackResult, { ok: true }>,
): Record<string, unknown> {
  return { ...detail, hubspotWritten: result.written, listsAdded: result.listsAdded, listsRemoved: result.listsRemoved };
}

/**
 * Applies sales feedback to HubSpot with the fewest writes: values HubSpot already holds are not sent,
 * a backward lifecycle move is cleared and set in separate requests, and list memberships are grouped
 * per list so each list costs one call however many contacts move. With `backwardLifecycle: false` an
 * earlier lifecycle stage is left out instead of forced.
 */
export async function applyHubSpotFeedback(
  items: FeedbackItem[],
  hubspot: HubSpotPort,
  lists: ListIdResolver,
  options: {
    backwardLifecycle?: boolean;
    /** Handoff write-backs still in the outbox, by contact: HubSpot is about to hold them, so they count as held. */
    queued?: ReadonlyMap<string, Record<string, string>>;
  } = {},
): Promise<Map<string, FeedbackResult>> {
  const results = new Map<string, FeedbackResult>();
  if (items.length === 0) return results;
  const names = new Set(['lifecyclestage', ...items.flatMap((item) => Object.keys(item.feedback.properties))]);
  const read = await hubspot.readContacts(
    items.map((item) => item.contactId),
    [...names],
  );
  const current = new Map(read.contacts.map((contact) => [contact.id, { ...contact.properties, ...options.queued?.get(contact.id) }]));
  for (const id of read.missing) results.set(id, { ok: false, message: 'HubSpot no longer has this contact (deleted or merged)' });

  const changes = [];
  const written = new Map<string, Record<string, string>>();
  for (const { contactId, feedback } of items) {
    const now = current.get(contactId);
    if (!now) continue;
    const properties: Record<string, string> = {};
    for (const [key, value] of Object.entries(feedback.properties)) if ((now[key] ?? '') !== value) properties[key] = value;
    const target = feedback.lifecyclestage;
    const backward = target !== undefined && !isForwardLifecycleMove(now.lifecyclestage, target);
    // Sales feedback may move a contact back (a recycle); a handoff's write-back only ever moves it forward.
    const lifecycle =
      target && now.lifecyclestage !== target && (!backward || options.backwardLifecycle !== false)
        ? { value: target, backward }
        : undefined;
    written.set(contactId, lifecycle ? { ...properties, lifecyclestage: lifecycle.value } : properties);
    if (Object.keys(properties).length > 0 || lifecycle)
      changes.push({ id: contactId, properties, ...(lifecycle ? { lifecyclestage: lifecycle } : {}) });
  }
  const outcome = changes.length > 0 ? await writeContactChanges(hubspot, changes) : { updated: [], failed: [] };
  const failed = new Map(outcome.failed.map((failure) => [failure.id, failure.message]));

  const membership = await applyListChanges(
    items.filter((item) => written.has(item.contactId) && !failed.has(item.contactId)),
    hubspot,
    lists,
  );
  for (const { contactId, feedback } of items) {
    if (results.has(contactId) || !written.has(contactId)) continue;
    const failure = failed.get(contactId) ?? membership.failed.get(contactId);
    results.set(
      contactId,
      failure
        ? { ok: false, message: failure }
        : { ok: true, written: written.get(contactId) ?? {}, listsAdded: feedback.lists.add, listsRemoved: feedback.lists.remove },
    );
  }
  return results;
}

export async function applyListChanges(
  items: FeedbackItem[],
  hubspot: HubSpotPort,
  lists: ListIdResolver,
): Promise<{ failed: Map<string, string> }> {
  const failed = new Map<string, string>();
  const adds = new Map<string, string[]>();
  const removes = new Map<string, string[]>();
  for (const { contactId, feedback } of items) {
    for (const name of feedback.lists.add) adds.set(name, [...(adds.get(name) ?? []), contactId]);
    for (const name of feedback.lists.remove) removes.set(name, [...(removes.get(name) ?? []), contactId]);
  }
  if (adds.size === 0 && removes.size === 0) return { failed };
  try {
    const ids = await lists.resolve([...new Set([...adds.keys(), ...removes.keys()])]);
    for (const [name, contactIds] of removes) await hubspot.removeFromList(ids.get(name)!, contactIds);
    for (const [name, contactIds] of adds) await hubspot.addToList(ids.get(name)!, contactIds);
  } catch (error) {
    // Transient trouble fails the poll, which re-reads the same Leads next time; anything else (a list
    // nobody created, a refused membership) is parked per contact with the message.
    // A budget refusal skips the whole poll round (re-read next time); it is not the contact's fault.
    if (error instanceof ProviderError && (error.retryable || waitingForOf(error))) throw error;
    for (const item of items) failed.set(item.contactId, `list membership: ${(error as Error).message}`);
  }
  return { failed };
}
