import type { HubSpotPort } from '../../adapters/hubspot/hubspot-port.ts';
import type { BackfillFilter } from '../../core/backfill/filter.ts';
import type { BackfillSource } from '../../store/backfill-runs.ts';
import type { Database } from '../../store/database.ts';
import { countLinks, linkedContactIdsAfter } from '../../store/links.ts';
import { addCompanyProperties, contactReadPlan } from '../handoff/read-contacts.ts';
import type { ContactPage } from './contact-page.ts';
import { keysetChain, listChain } from './page-chains.ts';
import { searchFiltersFor } from './search-query.ts';
import { PAGE_SIZES } from './tuning.ts';
import { decodeWalk, twoEndedPages } from './two-ended-walk.ts';

export type { ContactPage } from './contact-page.ts';

export interface ContactSource {
  /** How many contacts the walk covers, when that can be known up front. */
  total(): Promise<number | null>;
  /** Pages from the cursor on (null: from the start), each read with `properties`. */
  pages(from: string | null): AsyncGenerator<ContactPage>;
}

export interface SourceDeps {
  db: Database;
  hubspot: HubSpotPort;
}

/**
 * How a run walks its contacts: every contact (list and search from both ends), a filter (search by id keyset), or
 * our links (resync). Pages are read with the contact's own properties; `company.<name>` ones are then added from
 * each contact's primary company, as the real-time handoff reads them (read-contacts.ts).
 */
export function contactSource(kind: BackfillSource, filter: BackfillFilter, properties: string[], deps: SourceDeps): ContactSource {
  const names = contactReadPlan(properties);
  const source =
    kind === 'list'
      ? listSource(names.contact, deps.hubspot)
      : kind === 'search'
        ? searchSource(filter, names.contact, deps.hubspot)
        : linkSource(names.contact, deps);
  return names.company.length === 0 ? source : withCompanies(source, names.company, deps.hubspot);
}

function withCompanies(source: ContactSource, names: string[], hubspot: HubSpotPort): ContactSource {
  return {
    total: () => source.total(),
    async *pages(from) {
      for await (const page of source.pages(from)) yield { ...page, contacts: await addCompanyProperties(hubspot, page.contacts, names) };
    },
  };
}

/** The source a new run uses: a filter needs search; a resync of everything walks our own links. */
export function sourceFor(mode: 'handoff' | 'resync', hasFilter: boolean): BackfillSource {
  if (hasFilter) return 'search';
  return mode === 'resync' ? 'links' : 'list';
}

function listSource(properties: string[], hubspot: HubSpotPort): ContactSource {
  return {
    total: () => hubspot.countContacts([]),
    pages(from) {
      const walk = decodeWalk(from);
      return walk ? twoEndedPages(hubspot, properties, walk) : listPages(hubspot, properties, from);
    },
  };
}

/** The list endpoint alone, from one of its cursors: how a run checkpointed before the two-ended walk carries on. */
async function* listPages(hubspot: HubSpotPort, properties: string[], from: string | null): AsyncGenerator<ContactPage> {
  for await (const page of listChain(hubspot, properties, from)) yield { contacts: page.contacts, missing: [], after: page.next };
}

function searchSource(filter: BackfillFilter, properties: string[], hubspot: HubSpotPort): ContactSource {
  const filters = searchFiltersFor(filter);
  return {
    total: () => hubspot.countContacts([{ filters }]),
    async *pages(from) {
      for await (const page of keysetChain(hubspot, filters, from, properties))
        yield { contacts: page.contacts, missing: [], after: page.next };
    },
  };
}

function linkSource(properties: string[], deps: SourceDeps): ContactSource {
  return {
    total: () => countLinks(deps.db),
    async *pages(from) {
      let after = from;
      for (;;) {
        const ids = await linkedContactIdsAfter(deps.db, after, PAGE_SIZES.links);
        if (ids.length === 0) return;
        const read = await deps.hubspot.readContacts(ids, properties);
        after = ids.length < PAGE_SIZES.links ? null : ids.at(-1)!;
        yield { contacts: read.contacts, missing: read.missing, after };
        if (after === null) return;
      }
    },
  };
}
