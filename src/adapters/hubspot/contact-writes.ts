import type { ContactUpdate, HubSpotPort, UpdateContactsResult, UpdateFailure } from './hubspot-port.ts';

/** One contact's wanted changes; `backward` says the lifecycle stage goes to an earlier one. */
export interface ContactWrite {
  id: string;
  properties: Record<string, string>;
  lifecyclestage?: { value: string; backward: boolean };
}

/**
 * Writes contact changes with HubSpot's lifecycle rule in mind: through the API a stage only moves
 * forward, and an earlier stage is ignored unless the value was cleared first in an EARLIER request
 * (clearing and setting in one batch does not work). So:
 *   1. forward moves and plain properties: one batch update (the port chunks by 100);
 *   2. backward moves: a batch that clears `lifecyclestage`;
 *   3. then, only for contacts whose clear succeeded: a batch that sets the earlier stage and their other properties.
 * A write with nothing to send is skipped. Auth failures and exhausted retries throw (see updateContacts);
 * a contact left cleared by a failed step 3 is reported failed, and a re-run sets its stage directly.
 */
export async function writeContactChanges(
  port: Pick<HubSpotPort, 'updateContacts'>,
  changes: readonly ContactWrite[],
): Promise<UpdateContactsResult> {
  const merged = mergeWrites(changes);
  const forward = merged.filter((change) => !change.lifecyclestage?.backward);
  const backward = merged.filter((change) => change.lifecyclestage?.backward);
  const result: UpdateContactsResult = { updated: [], failed: [] };

  const forwardUpdates = forward.map(withStage).filter((update) => Object.keys(update.properties).length > 0);
  if (forwardUpdates.length > 0) collect(result, await port.updateContacts(forwardUpdates));
  if (backward.length === 0) return result;

  const cleared = await port.updateContacts(backward.map(({ id }) => ({ id, properties: { lifecyclestage: '' } })));
  result.failed.push(...cleared.failed.map((failure) => prefixed(failure, 'clearing the lifecycle stage failed')));
  const clearedIds = new Set(cleared.updated);
  const sets = backward.filter(({ id }) => clearedIds.has(id)).map(withStage);
  if (sets.length === 0) return result;
  const set = await port.updateContacts(sets);
  result.updated.push(...set.updated);
  result.failed.push(...set.failed.map((failure) => prefixed(failure, 'lifecycle stage cleared, but setting the earlier stage failed')));
  return result;
}

/** HubSpot refuses a batch naming one id twice: later writes for an id win, in first-seen order. */
function mergeWrites(changes: readonly ContactWrite[]): ContactWrite[] {
  const byId = new Map<string, ContactWrite>();
  for (const change of changes) {
    const before = byId.get(change.id);
    const lifecyclestage = change.lifecyclestage ?? before?.lifecyclestage;
    byId.set(change.id, {
      id: change.id,
      properties: { ...before?.properties, ...change.properties },
      ...(lifecyclestage ? { lifecyclestage } : {}),
    });
  }
  return [...byId.values()];
}

/** The structured stage wins over a `lifecyclestage` key a caller left in `properties`. */
function withStage(change: ContactWrite): ContactUpdate {
  const stage = change.lifecyclestage;
  return { id: change.id, properties: stage ? { ...change.properties, lifecyclestage: stage.value } : { ...change.properties } };
}

function collect(into: UpdateContactsResult, from: UpdateContactsResult): void {
  into.updated.push(...from.updated);
  into.failed.push(...from.failed);
}

function prefixed(failure: UpdateFailure, context: string): UpdateFailure {
  return { ...failure, message: `${context}: ${failure.message}` };
}
