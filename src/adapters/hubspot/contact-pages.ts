import type { Client } from '@hubspot/api-client';
import { unique } from './batch.ts';
import type { HubSpotCall } from './call.ts';
import { type SdkContactRecord, toContact } from './contact-record.ts';
import type { ListContactsRequest, SearchContactsResult, SearchFilterGroup } from './hubspot-port.ts';
import { HUBSPOT_LIMITS } from './limits.ts';

/** What the list and search endpoints answer (the v14 client parses dates). */
interface SdkPage {
  results: SdkContactRecord[];
  paging?: { next?: { after?: string } };
  total?: number;
}

/**
 * Read-only walks over every contact, for backfills: the list endpoint pages without search's 10,000-result
 * cap, and a one-record search tells how many contacts a filter matches (the list endpoint gives no total).
 * The count's operation name ends in `.search` so budgets that treat search apart recognise it.
 */
export function contactPageMethods(client: Client, call: HubSpotCall) {
  return {
    async listContactsPage(request: ListContactsRequest): Promise<SearchContactsResult> {
      const limit = Math.min(Math.max(1, request.limit), HUBSPOT_LIMITS.listMaxPageSize);
      const answer = (await call('contacts.list', () =>
        client.crm.contacts.basicApi.getPage(limit, request.after, unique(request.properties), undefined, undefined, false),
      )) as unknown as SdkPage;
      const page: SearchContactsResult = { contacts: answer.results.map(toContact) };
      const after = answer.paging?.next?.after;
      if (after) page.after = after;
      return page;
    },

    async countContacts(filterGroups: SearchFilterGroup[]): Promise<number> {
      const body = { filterGroups, properties: ['hs_object_id'], limit: 1, sorts: [] as string[] };
      const answer = (await call('contacts.count.search', () =>
        client.crm.contacts.searchApi.doSearch(body as Parameters<typeof client.crm.contacts.searchApi.doSearch>[0]),
      )) as unknown as SdkPage;
      return Number(answer.total ?? 0);
    },
  };
}
