import type { HubSpotContact } from '../contact.ts';

/**
 * Deciding a known contact's later change from the property values we keep for it, instead of reading it again.
 *
 * HubSpot's webhooks v3 guide (developers.hubspot.com/docs/api/webhooks, "Webhook payloads"): a
 * `contact.propertyChange` event carries one property's `propertyName` and new `propertyValue`, and `occurredAt`
 * (when the change happened); "Retries": a delivery that fails is sent again later, so an event can arrive after
 * later ones, and more than once. So a value is replaced only by a strictly newer one (by the time it is known as
 * of), and duplicates change nothing.
 *
 * What webhooks cannot tell us: a change to the primary company's properties (`company.<name>`: there is no contact
 * event for them) and a change to any contact property the app does not subscribe to. Such a value is trusted only
 * up to the max age, like every other value: the bound is the one promise we make for all of them, so a value (or
 * its last event) older than the bound is read again. A change of the primary company itself must read.
 */

/** One kept value and the time it is known as of (the read's start, or the event's occurredAt). */
export interface KeptValue {
  value: string | null;
  at: Date;
}

/** What we keep for a contact, per property name (`company.<name>` included). Absent: the contact was never read. */
export type KeptValues = Record<string, KeptValue>;

/** A pending webhook event of the contact, as much of it as the decision needs. */
export interface KeptEvent {
  eventType: string;
  propertyName?: string | null;
  propertyValue?: string | null;
  occurredAt: Date;
}

/** What we last wrote to the contact in HubSpot (last_written), if anything. */
export interface WrittenSince {
  values: Record<string, string | null>;
  writtenAt: Date;
}

export interface KeptInput {
  contactId: string;
  kept: KeptValues | undefined;
  events: KeptEvent[];
  /** Every property the definition and mapping read (the HubSpot read's list). */
  needed: readonly string[];
  maxAgeMs: number;
  now: Date;
  /** Properties whose change means the kept values may describe another record (the primary company id). */
  readOnChangeOf?: readonly string[];
  written?: WrittenSince | undefined;
}

export type KeptReadReason =
  | 'kept_values_off'
  | 'never_read'
  | 'not_a_property_change'
  | 'primary_company_changed'
  | 'value_missing'
  | 'value_stale'
  | 'written_since_kept';

export type KeptDecision =
  | { kind: 'kept'; contact: HubSpotContact }
  | { kind: 'read'; reason: KeptReadReason; property?: string; eventType?: string };

const PROPERTY_CHANGE = /^(contact|object)\.propertyChange$/;

/** True for an event that carries one property's new value (the only kind kept values can follow). */
export function isPropertyChange(event: Pick<KeptEvent, 'eventType' | 'propertyName'>): boolean {
  return PROPERTY_CHANGE.test(event.eventType) && Boolean(event.propertyName);
}

/** `kept` with `event`'s value applied if it is newer than what is kept for its property (newest wins). */
export function applyEvent(kept: KeptValues, event: KeptEvent): KeptValues {
  if (!isPropertyChange(event) || !event.propertyName) return kept;
  const known = kept[event.propertyName];
  if (known && known.at.getTime() >= event.occurredAt.getTime()) return kept;
  return { ...kept, [event.propertyName]: { value: event.propertyValue ?? null, at: event.occurredAt } };
}

/**
 * The contact built from kept values plus its pending events, or why it must be read. Any event that is not a
 * property change with a name (creation, merge, restore, a replay of parked work) reads: it may mean a different
 * record or work whose inputs must be fresh.
 */
export function decideFromKept(input: KeptInput): KeptDecision {
  if (input.maxAgeMs <= 0) return { kind: 'read', reason: 'kept_values_off' };
  if (!input.kept) return { kind: 'read', reason: 'never_read' };
  const other = input.events.find((event) => !isPropertyChange(event));
  if (other) return { kind: 'read', reason: 'not_a_property_change', eventType: other.eventType };
  const relinked = input.events.find((event) => input.readOnChangeOf?.includes(event.propertyName ?? ''));
  if (relinked) return { kind: 'read', reason: 'primary_company_changed', property: relinked.propertyName ?? '' };
  const values = input.events.reduce(applyEvent, input.kept);
  const oldest = input.now.getTime() - input.maxAgeMs;
  const properties: Record<string, string | null> = {};
  for (const name of input.needed) {
    const known = values[name];
    if (!known) return { kind: 'read', reason: 'value_missing', property: name };
    if (known.at.getTime() < oldest) return { kind: 'read', reason: 'value_stale', property: name };
    // Our own write-back changed it after we knew it, and no event has told us since: what HubSpot holds is not
    // known (a write that failed leaves the old value). HubSpot shows a cleared value as empty or null alike.
    const written = input.written;
    if (written && name in written.values && written.writtenAt > known.at && (written.values[name] ?? '') !== (known.value ?? ''))
      return { kind: 'read', reason: 'written_since_kept', property: name };
    properties[name] = known.value;
  }
  return { kind: 'kept', contact: { id: input.contactId, properties } };
}

/** The values a HubSpot read gives for the needed properties, known as of `at` (a property the read lacks is kept empty). */
export function keptFromRead(contact: HubSpotContact, needed: readonly string[], at: Date): KeptValues {
  const kept: KeptValues = {};
  for (const name of needed) kept[name] = { value: contact.properties[name] ?? null, at };
  return kept;
}
