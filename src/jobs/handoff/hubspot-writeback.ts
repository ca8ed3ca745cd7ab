import type { HubSpotPort } from '../../adapters/hubspot/hubspot-port.ts';
import type { ListIdResolver } from '../../adapters/hubspot/list-ids.ts';
import type { HubSpotContact } from '../../core/contact.ts';
import { isForwardLifecycleMove } from '../../core/lifecycle.ts';
import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import { type ContactResult, parkResult } from './contact-result.ts';
import { parkableOrThrow } from './failure.ts';
import type { ListAddGroup } from './list-add-group.ts';

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

export async function writeBackToHubSpot(
  work: { result: ContactResult; contact: HubSpotContact }[],
  hubspot: HubSpotPort,
  lists: ListIdResolver,
  bundle: MappingsBundle,
  /** Given (batch window on), the sales-ready list add joins other batches' in one call. */
  listAdds?: ListAddGroup,
): Promise<void> {
  // The property update and the list membership are independent requests: sent together, the batch (and
  // every contact queued behind it) waits for one round trip instead of two.
  const handedOff = work.map((w) => w.result).filter((result) => result.outcome === 'handed_off');
  const settled = await Promise.allSettled([
    writeProperties(work, hubspot, bundle),
    addToSalesReadyList(handedOff, hubspot, lists, bundle, listAdds),
  ]);
  const failed = settled.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Parks a failed write-back step; a second failed step of the same contact joins the first one's message. */
function parkWriteBack(result: ContactResult, message: string, context: Record<string, unknown>): void {
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

/** A fresh MQL joins the sales-ready list; a rejection later takes it out again (and into a nurture list). */
async function addToSalesReadyList(
  results: ContactResult[],
  hubspot: HubSpotPort,
  lists: ListIdResolver,
  bundle: MappingsBundle,
  listAdds?: ListAddGroup,
): Promise<void> {
  if (results.length === 0) return;
  const listName = bundle.rejection.salesReadyList;
  try {
    const listId = (await lists.resolve([listName])).get(listName)!;
    const contactIds = results.map((result) => result.contactId);
    await (listAdds ? listAdds.add(listId, contactIds) : hubspot.addToList(listId, contactIds));
  } catch (error) {
    const refused = parkableOrThrow(error, { salesforceDone: true });
    for (const result of results) parkWriteBack(result, `sales-ready list: ${refused.message}`, { list: listName, ...refused.waiting });
  }
}

async function writeProperties(
  work: { result: ContactResult; contact: HubSpotContact }[],
  hubspot: HubSpotPort,
  bundle: MappingsBundle,
): Promise<void> {
  const updates = work
    .map(({ result, contact }) => ({ result, properties: hubspotPropertiesFor(result, contact, bundle) }))
    .filter((update) => Object.keys(update.properties).length > 0);
  for (const update of updates) update.result.hubspotUpdate = update.properties;
  for (const { result } of work) if (!updates.some((u) => u.result === result)) delete result.hubspotUpdate;
  if (updates.length === 0) return;
  try {
    const outcome = await hubspot.updateContacts(updates.map((u) => ({ id: u.result.contactId, properties: u.properties })));
    for (const failure of outcome.failed) {
      const update = updates.find((u) => u.result.contactId === failure.id);
      if (update) {
        // The Salesforce side is done; only the write-back is parked, for replay.
        delete update.result.hubspotUpdate;
        parkWriteBack(update.result, failure.message, { properties: update.properties, status: failure.status });
      }
    }
  } catch (error) {
    // Salesforce already holds the handoff, so a failed write-back (even after the adapter's retries)
    // is parked for replay rather than failing the job and repeating the Salesforce writes.
    const refused = parkableOrThrow(error, { salesforceDone: true });
    for (const update of updates) {
      delete update.result.hubspotUpdate;
      parkWriteBack(update.result, refused.message, { properties: update.properties, ...refused.waiting });
    }
  }
}
