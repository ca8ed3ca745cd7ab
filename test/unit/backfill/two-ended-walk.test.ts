import { describe, expect, it } from '@jest/globals';
import type { HubSpotPort, SearchContactsRequest, SearchFilter } from '../../../src/adapters/hubspot/hubspot-port.ts';
import type { HubSpotContact } from '../../../src/core/contact.ts';
import { type ContactPage, contactSource } from '../../../src/jobs/backfill/contact-source.ts';
import { decodeWalk, encodeWalk, twoEndedPages } from '../../../src/jobs/backfill/two-ended-walk.ts';
import type { Database } from '../../../src/store/database.ts';

/** Event-loop turns, so a lane's page can be made to take longer than the other's, the same way every run. */
const turns = async (n: number) => {
  for (let i = 0; i < n; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

interface FakeOptions {
  /** Turns a list page and a search page take; more turns is a slower lane. */
  listTurns?: number;
  searchTurns?: number;
  /** Called before each request is answered, with how many were asked so far (e.g. to create contacts mid-walk). */
  onRequest?: (asked: number) => void;
}

/**
 * HubSpot's list endpoint (ascending ids, cursor = the next id) and CRM search with hs_object_id keyset filters,
 * sorts and HubSpot's 200-a-page limit, over an array that may grow while the walk runs.
 */
function fakeHubSpot(ids: number[], options: FakeOptions = {}) {
  const portal = [...ids].sort((a, b) => a - b);
  const contact = (id: number): HubSpotContact => ({ id: String(id), properties: { hs_object_id: String(id) } });
  const calls = { list: 0, search: 0 };
  let asked = 0;
  const port = {
    async listContactsPage({ after, limit }: { after?: string; limit: number }) {
      calls.list += 1;
      asked += 1;
      options.onRequest?.(asked);
      await turns(options.listTurns ?? 1);
      const from = after === undefined ? Number.NEGATIVE_INFINITY : Number(after);
      const rest = portal.filter((id) => id >= from);
      const next = rest[limit];
      return { contacts: rest.slice(0, limit).map(contact), ...(next === undefined ? {} : { after: String(next) }) };
    },
    async searchContacts(request: SearchContactsRequest) {
      calls.search += 1;
      asked += 1;
      options.onRequest?.(asked);
      await turns(options.searchTurns ?? 1);
      const filters: SearchFilter[] = (request.filterGroups ?? []).flatMap((group) => group.filters);
      const matches = portal.filter((id) => filters.every((f) => (f.operator === 'GT' ? id > Number(f.value) : id < Number(f.value))));
      const sorted = request.sorts?.[0]?.direction === 'DESCENDING' ? matches.reverse() : matches;
      const page = sorted.slice(0, Math.min(request.limit, 200));
      return { contacts: page.map(contact), ...(sorted.length > page.length ? { after: String(page.length) } : {}) };
    },
    countContacts: async () => portal.length,
  };
  const add = (id: number) => {
    portal.push(id);
    portal.sort((a, b) => a - b);
  };
  return { port: port as unknown as HubSpotPort, calls, add };
}

async function collect(pages: AsyncIterable<ContactPage>): Promise<ContactPage[]> {
  const all: ContactPage[] = [];
  for await (const page of pages) all.push(page);
  return all;
}
const idsOf = (pages: ContactPage[]) => pages.flatMap((page) => page.contacts.map((c) => Number(c.id)));
const range = (from: number, count: number, step = 1) => Array.from({ length: count }, (_, i) => from + i * step);
const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
const start = () => decodeWalk(null)!;

describe('the two-ended walk over every contact', () => {
  it.each([
    ['both ends as fast', 1, 1],
    ['the list far faster', 1, 12],
    ['the search far faster', 12, 1],
  ])('takes every id exactly once with %s, the ends meeting in between', async (_case, listTurns, searchTurns) => {
    const ids = range(101, 2_345, 3);
    const hubspot = fakeHubSpot(ids, { listTurns, searchTurns });
    const pages = await collect(twoEndedPages(hubspot.port, ['email'], start()));
    expect(idsOf(pages)).toHaveLength(ids.length);
    expect(sorted(idsOf(pages))).toEqual(ids);
    expect(pages.at(-1)!.after).toBeNull();
    expect(pages.slice(0, -1).every((page) => page.after !== null)).toBe(true);
    expect(hubspot.calls.list).toBeGreaterThan(0);
    expect(hubspot.calls.search).toBeGreaterThan(1);
  });

  it.each([[0], [1], [99], [100], [200], [201]])('covers a portal of %i contacts exactly once', async (size) => {
    const ids = range(5_000, size);
    const pages = await collect(twoEndedPages(fakeHubSpot(ids).port, [], start()));
    expect(sorted(idsOf(pages))).toEqual(ids);
    expect(pages.at(-1)!.after).toBeNull();
  });

  it('sweeps contacts created while the walk runs, above where the search began, exactly once', async () => {
    const ids = range(101, 1_500);
    let next = 10_000;
    const created: number[] = [];
    const hubspot = fakeHubSpot(ids, {
      searchTurns: 3,
      onRequest: (asked) => {
        if (asked % 4 !== 0) return;
        next += 7;
        created.push(next);
        hubspot.add(next);
      },
    });
    const pages = await collect(twoEndedPages(hubspot.port, [], start()));
    expect(created.length).toBeGreaterThan(2);
    expect(sorted(idsOf(pages))).toEqual(sorted([...ids, ...created]));
  });

  it('resumed from the cursor of any page, reads every id after it once and none before it again', async () => {
    const ids = range(101, 1_234, 2);
    const whole = await collect(twoEndedPages(fakeHubSpot(ids, { searchTurns: 2 }).port, [], start()));
    expect(whole.length).toBeGreaterThan(8);
    for (let k = 0; k < whole.length - 1; k += 1) {
      const before = idsOf(whole.slice(0, k + 1));
      const from = decodeWalk(whole[k]!.after)!;
      // Another timing on the resumed turn: the ends need not meet where they met the first time.
      const after = idsOf(
        await collect(twoEndedPages(fakeHubSpot(ids, { listTurns: 1 + (k % 3), searchTurns: 1 + ((k + 1) % 4) }).port, [], from)),
      );
      expect(sorted([...before, ...after])).toEqual(ids);
    }
  });

  it('stops with a reason, rather than skip contacts, if the list endpoint ever answers out of id order', async () => {
    const hubspot = fakeHubSpot(range(101, 600));
    const port = hubspot.port as unknown as {
      listContactsPage: (r: { after?: string; limit: number }) => Promise<{ contacts: HubSpotContact[] }>;
    };
    const list = port.listContactsPage.bind(port);
    port.listContactsPage = async (request) => {
      const page = await list(request);
      return { ...page, contacts: [...page.contacts].reverse() };
    };
    await expect(collect(twoEndedPages(hubspot.port, [], start()))).rejects.toThrow(/not in ascending id order/);
  });

  it("a run checkpointed with one of HubSpot's own list cursors carries on with the list endpoint alone", async () => {
    const ids = range(101, 450);
    const hubspot = fakeHubSpot(ids);
    const source = contactSource('list', {}, [], { hubspot: hubspot.port, db: undefined as unknown as Database });
    const pages = await collect(source.pages('301'));
    expect(sorted(idsOf(pages))).toEqual(range(301, 250));
    expect(hubspot.calls.search).toBe(0);
    expect(pages.at(-1)!.after).toBeNull();
  });

  it('refuses a checkpoint that looks like a walk position but is not one, naming what is wrong', () => {
    expect(decodeWalk(encodeWalk({ phase: 'tail', after: '42' }))).toEqual({ phase: 'tail', after: '42' });
    expect(() => decodeWalk('{"phase":"ends","listAfter":null,"listedTo":"x","searchedFrom":null,"top":null}')).toThrow(/listedTo/);
  });
});
