import type { HubSpotPort, SearchFilter } from '../../adapters/hubspot/hubspot-port.ts';
import type { HubSpotContact } from '../../core/contact.ts';
import { keysetSearchRequest } from './search-query.ts';
import { PAGE_SIZES } from './tuning.ts';

/** One page of a chain and where the chain goes on after it (null: it was the last). */
export interface ChainPage {
  contacts: HubSpotContact[];
  next: string | null;
}

/** The list endpoint's pages, one after another from its cursor `from` (null: the start). */
export async function* listChain(hubspot: HubSpotPort, properties: string[], from: string | null): AsyncGenerator<ChainPage> {
  let after = from;
  do {
    const page = await hubspot.listContactsPage({ properties, limit: PAGE_SIZES.list, ...(after ? { after } : {}) });
    after = page.after ?? null;
    yield { contacts: page.contacts, next: after };
  } while (after);
}

/** Search pages of `filters`, ascending by id after `afterId` (null: the lowest), each a fresh keyset query. */
export async function* keysetChain(
  hubspot: HubSpotPort,
  filters: SearchFilter[],
  afterId: string | null,
  properties: string[],
): AsyncGenerator<ChainPage> {
  let after = afterId;
  do {
    const page = await hubspot.searchContacts(keysetSearchRequest(filters, after, properties, PAGE_SIZES.search));
    const last = page.contacts.at(-1)?.id;
    after = page.after && last ? last : null;
    yield { contacts: page.contacts, next: after };
  } while (after);
}
