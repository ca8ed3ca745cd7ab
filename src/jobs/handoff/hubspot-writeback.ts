import type { HubSpotContact } from '../../core/contact.ts';
import { isForwardLifecycleMove } from '../../core/lifecycle.ts';
import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import type { Queryable } from '../../store/database.ts';
import { queuedWriteBackProperties, type WriteBackPriority } from '../../store/hubspot-writebacks.ts';
import { type ContactResult, parkResult } from './contact-result.ts';

/**
 * What HubSpot learns from a handoff: the MQL lifecycle stage and lead status (never a backward
 * lifecycle move), the Salesforce id, and the score and definition version that qualified it.
 * Values HubSpot already holds are not sent again.
 */
function hubspotPropertiesFor(result: ContactResult, contact: HubSpotContact, bundle: MappingsBundle): Record<string, string> {
  if (!result.hubspotUpdate || !result.link) return {};
  const names = bundle.fieldMapping.hubspot;
  const wanted: Record<string, string> = { ...result.hubspotUpdate, [names.salesforceIdProperty]: result.link.salesforceId };
  // Only a handoff tells HubSpot its score (a contact linked to an existing Contact carries one too, not sent).
  const handedOff = result.outcome === 'handed_off';
  if (handedOff && result.score !== undefined && names.mqlScoreProperty) wanted[names.mqlScoreProperty] = String(result.score);
  if (handedOff && result.definitionVersion && names.definitionVersionProperty)
    wanted[names.definitionVersionProperty] = result.definitionVersion;
  if (wanted.lifecyclestage && !isForwardLifecycleMove(contact.properties.lifecyclestage, wanted.lifecyclestage))
    delete wanted.lifecyclestage;
  for (const [key, value] of Object.entries(wanted)) if (contact.properties[key] === value) delete wanted[key];
  return wanted;
}

/**
 * Decides each contact's HubSpot write-back (the final properties, and the sales-ready list for a fresh MQL) and
 * puts it on the result, for persistResults to queue in the hubspot_writebacks outbox with the batch's other rows.
 * The flusher (jobs/hubspot-writeback/) sends it later, grouped with other batches': the Lead's path does not wait.
 * `hubspotUpdate` becomes the final properties, which persistResults records as last written (echo detection)
 * in the same transaction, before any flusher can send them.
 */
export function prepareWriteBack(
  work: { result: ContactResult; contact: HubSpotContact }[],
  bundle: MappingsBundle,
  priority: WriteBackPriority,
): number {
  let queued = 0;
  for (const { result, contact } of work) {
    const properties = hubspotPropertiesFor(result, contact, bundle);
    if (Object.keys(properties).length > 0) result.hubspotUpdate = properties;
    else delete result.hubspotUpdate;
    // A fresh MQL joins the sales-ready list; a rejection later takes it out again (and into a nurture list).
    const listName = result.outcome === 'handed_off' ? bundle.rejection.salesReadyList : undefined;
    if (!result.hubspotUpdate && !listName) continue;
    result.writeBack = { contactId: result.contactId, properties, ...(listName ? { listName } : {}), priority };
    queued += 1;
  }
  return queued;
}

/**
 * Parks a failed write-back step as `hubspot_writeback` parked work (the parked-work replay redoes it from the
 * context: `properties` and/or `list`); a second failed step of the same contact joins the first one's message.
 */
export function parkWriteBack(result: ContactResult, message: string, context: Record<string, unknown>): void {
  const outcomeBefore = result.outcome;
  const earlier = result.park?.kind === 'hubspot_writeback' ? result.park : undefined;
  parkResult(result, 'hubspot_writeback', 'hubspot', earlier ? `${earlier.message}; ${message}` : message, {
    ...earlier?.context,
    ...context,
  });
  // What happened before the write-back stays the outcome; the parking is a flag beside it.
  result.outcome = outcomeBefore;
  result.writeBackParked = true;
}

/**
 * Contacts as HubSpot will hold them once the outbox is sent: a batch decided while an earlier batch's write-back
 * still waits (up to HUBSPOT_WRITEBACK_WINDOW_MS) must see it, or it would act on what that write-back replaces
 * (a recycled contact's cleared recycle date, a lifecycle already moved) and, for one, hand the contact off twice.
 */
export async function asAfterQueuedWriteBacks(db: Queryable, contacts: HubSpotContact[]): Promise<HubSpotContact[]> {
  const queued = await queuedWriteBackProperties(
    db,
    contacts.map((contact) => contact.id),
  );
  if (queued.size === 0) return contacts;
  return contacts.map((contact) => {
    const pending = queued.get(contact.id);
    return pending ? { ...contact, properties: { ...contact.properties, ...pending } } : contact;
  });
}
