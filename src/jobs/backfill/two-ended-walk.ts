import { z } from 'zod';
import type { HubSpotPort, SearchContactsResult, SearchFilter } from '../../adapters/hubspot/hubspot-port.ts';
import type { HubSpotContact } from '../../core/contact.ts';
import type { ContactPage } from './contact-page.ts';
import { type ChainPage, keysetChain, listChain } from './page-chains.ts';
import { PAGE_SIZES } from './tuning.ts';

/**
 * Every contact, read from both ends at once. The list endpoint's pages come one after another (each cursor is
 * in the page before), so one chain of pages bounds the run by its round trips, not by HubSpot's window. A
 * second chain, CRM search sorted by hs_object_id descending (200 a page, its own limit of a few a second),
 * walks down from the highest id while the list walks up; where they meet, each has taken every id on its side.
 * Contacts created after the walk began (ids above where the search started) are swept last, by a keyset search.
 *
 * It relies on the list endpoint answering in ascending id order (HubSpot's, and the simulator's, order): a list
 * page that reaches an id the search already took means the ids between are all in hand.
 */

const id = z.string().regex(/^\d+$/);
/** Where the walk is, as the run's checkpoint cursor: every id at or below `listedTo` and in [searchedFrom, top] is taken. */
const walkState = z.discriminatedUnion('phase', [
  z.object({
    phase: z.literal('ends'),
    /** The list endpoint's cursor after the last list page taken (null: from the start). */
    listAfter: z.string().nullable(),
    listedTo: id.nullable(),
    searchedFrom: id.nullable(),
    top: id.nullable(),
  }),
  /** The ends have met: ids above `after` (created during the walk) are still to sweep. */
  z.object({ phase: z.literal('tail'), after: id }),
]);
type WalkState = z.infer<typeof walkState>;
type EndsState = Extract<WalkState, { phase: 'ends' }>;

const START: EndsState = { phase: 'ends', listAfter: null, listedTo: null, searchedFrom: null, top: null };

/** The run's cursor for this walk: our own JSON, so it can never be taken for one of HubSpot's cursors. */
export const encodeWalk = (state: WalkState): string => JSON.stringify(state);

/** The walk a cursor continues; undefined for a cursor this walk did not write (a run started before it existed). */
export function decodeWalk(cursor: string | null): WalkState | undefined {
  if (cursor === null) return START;
  if (!cursor.startsWith('{')) return undefined;
  const parsed = walkState.safeParse(JSON.parse(cursor));
  if (!parsed.success)
    throw new Error(
      `backfill checkpoint is not a walk position: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

const big = (value: string) => BigInt(value);
const maxId = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : big(a) >= big(b) ? a : b);

interface ListPage extends ChainPage {
  lane: 'list';
}
interface SearchPage {
  lane: 'search';
  contacts: HubSpotContact[];
  more: boolean;
}
type LanePage = ListPage | SearchPage;

/** Pages of the whole walk from `state`, each with the cursor that is true once it and every page before are committed. */
export async function* twoEndedPages(hubspot: HubSpotPort, properties: string[], from: WalkState): AsyncGenerator<ContactPage> {
  let state = from;
  if (state.phase === 'ends') {
    const ends = { ...state };
    for await (const page of meetInTheMiddle(hubspot, properties, ends)) {
      const met = page.met;
      // Everything at or below the higher of the two ends is taken; newer ids are above it.
      state = met ? { phase: 'tail', after: maxId(ends.top, ends.listedTo) ?? '0' } : { ...ends };
      yield { contacts: page.contacts, missing: [], after: encodeWalk(state) };
      if (met) break;
    }
  }
  if (state.phase !== 'tail') return;
  for await (const page of keysetChain(hubspot, [], state.after, properties)) {
    yield { contacts: page.contacts, missing: [], after: page.next === null ? null : encodeWalk({ phase: 'tail', after: page.next }) };
  }
}

/**
 * Both chains at once, one request in flight on each; pages are taken in the order they arrive. Taking a page
 * moves its end (`ends`, updated in place) and drops the ids the other end already took; `met` says the ends
 * have met (or one ran out), after which nothing more is read.
 */
async function* meetInTheMiddle(
  hubspot: HubSpotPort,
  properties: string[],
  ends: EndsState,
): AsyncGenerator<{ contacts: HubSpotContact[]; met: boolean }> {
  const lanes: AsyncGenerator<LanePage>[] = [listLane(hubspot, properties, ends.listAfter), searchLane(hubspot, properties, ends)];
  const ask = (lane: AsyncGenerator<LanePage>) => {
    const next = lane.next().then((result) => ({ lane, result }));
    next.catch(() => undefined); // awaited in the race below; this only keeps a late failure from counting as unhandled
    return next;
  };
  const pending = new Map(lanes.map((lane) => [lane, ask(lane)]));
  try {
    while (pending.size > 0) {
      const { lane, result } = await Promise.race(pending.values());
      pending.delete(lane);
      if (result.done) continue;
      const taken = result.value.lane === 'list' ? takeListPage(ends, result.value) : takeSearchPage(ends, result.value);
      if (!taken.met) pending.set(lane, ask(lane));
      yield taken;
      if (taken.met) return;
    }
  } finally {
    // Requests still in flight are dropped; the chains end once they settle.
    for (const lane of lanes) void lane.return(undefined).catch(() => undefined);
  }
}

/** A list page, ascending: ids from where the search took on are not ours; reaching one (or the end) means the ends met. */
function takeListPage(ends: EndsState, page: ListPage): { contacts: HubSpotContact[]; met: boolean } {
  assertAscending(page.contacts, ends.listedTo);
  const bound = ends.searchedFrom === null ? null : big(ends.searchedFrom);
  const contacts = bound === null ? page.contacts : page.contacts.filter((contact) => big(contact.id) < bound);
  ends.listAfter = page.next;
  ends.listedTo = maxId(ends.listedTo, contacts.at(-1)?.id ?? null);
  return { contacts, met: contacts.length < page.contacts.length || page.next === null };
}

/** A search page, descending: ids the list already took are not ours; reaching one (or the end) means the ends met. */
function takeSearchPage(ends: EndsState, page: SearchPage): { contacts: HubSpotContact[]; met: boolean } {
  const floor = ends.listedTo === null ? null : big(ends.listedTo);
  const contacts = floor === null ? page.contacts : page.contacts.filter((contact) => big(contact.id) > floor);
  if (ends.top === null) ends.top = page.contacts[0]?.id ?? null;
  if (contacts.length > 0) ends.searchedFrom = contacts.at(-1)!.id;
  return { contacts, met: contacts.length < page.contacts.length || !page.more };
}

/** The walk is exact only if list pages come in ascending id order: anything else stops the run, never skips contacts. */
function assertAscending(contacts: HubSpotContact[], after: string | null): void {
  let previous = after === null ? null : big(after);
  for (const contact of contacts) {
    const current = big(contact.id);
    if (previous !== null && current <= previous) {
      throw new Error(
        `HubSpot's list endpoint answered id ${contact.id} after ${previous}: not in ascending id order, which the two-ended walk needs to be exact`,
      );
    }
    previous = current;
  }
}

async function* listLane(hubspot: HubSpotPort, properties: string[], from: string | null): AsyncGenerator<ListPage> {
  for await (const page of listChain(hubspot, properties, from)) yield { lane: 'list', ...page };
}

/** Down from the highest id, each query a fresh keyset (below the last id seen, above what the list has taken). */
async function* searchLane(hubspot: HubSpotPort, properties: string[], ends: Readonly<EndsState>): AsyncGenerator<SearchPage> {
  let below = ends.searchedFrom;
  for (;;) {
    const filters: SearchFilter[] = [];
    if (below !== null) filters.push({ propertyName: 'hs_object_id', operator: 'LT', value: below });
    if (ends.listedTo !== null) filters.push({ propertyName: 'hs_object_id', operator: 'GT', value: ends.listedTo });
    const page: SearchContactsResult = await hubspot.searchContacts(descendingIdSearch(filters, properties));
    const more = Boolean(page.after) && page.contacts.length > 0;
    yield { lane: 'search', contacts: page.contacts, more };
    if (!more) return;
    below = page.contacts.at(-1)!.id;
  }
}

function descendingIdSearch(filters: SearchFilter[], properties: string[]) {
  return {
    filterGroups: filters.length > 0 ? [{ filters }] : [],
    sorts: [{ propertyName: 'hs_object_id', direction: 'DESCENDING' as const }],
    properties,
    limit: PAGE_SIZES.search,
  };
}
