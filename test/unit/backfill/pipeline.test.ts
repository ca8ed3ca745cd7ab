import { describe, expect, it } from '@jest/globals';
import type { ContactPage } from '../../../src/jobs/backfill/contact-source.ts';
import { prefetch, runInOrder, unitsOf } from '../../../src/jobs/backfill/pipeline.ts';
import { keysetSearchRequest, searchFiltersFor } from '../../../src/jobs/backfill/search-query.ts';

const page = (from: number, count: number, after: string | null): ContactPage => ({
  contacts: Array.from({ length: count }, (_, i) => ({ id: String(from + i), properties: {} })),
  missing: [],
  after,
});
async function* fromArray<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('prefetch', () => {
  it('asks for the next items while the consumer is still busy with the current one', async () => {
    const asked: number[] = [];
    async function* source() {
      for (let i = 1; i <= 5; i += 1) {
        asked.push(i);
        yield i;
      }
    }
    const reader = prefetch(source(), 3);
    expect((await reader.next()).value).toBe(1);
    await tick();
    expect(asked).toEqual([1, 2, 3]);
    const rest = [];
    for await (const item of reader) rest.push(item);
    expect(rest).toEqual([2, 3, 4, 5]);
  });

  it('surfaces a failed read when the consumer reaches it, and not as an unhandled rejection before', async () => {
    async function* source() {
      yield 1;
      throw new Error('HubSpot said 401');
    }
    const reader = prefetch(source(), 4);
    expect((await reader.next()).value).toBe(1);
    await tick();
    await expect(reader.next()).rejects.toThrow('HubSpot said 401');
  });
});

describe('unitsOf', () => {
  it('makes units of whole pages (two list pages of 100 = one collection of 200) with the checkpoint after each', async () => {
    const pages = [page(1, 100, '101'), page(101, 100, '201'), page(201, 100, '301'), page(301, 50, null)];
    const units = [];
    for await (const unit of unitsOf(fromArray(pages), { after: null, pages: 0 }, 200)) units.push(unit);
    expect(units.map((unit) => [unit.contacts.length, unit.checkpoint])).toEqual([
      [200, { after: '201', pages: 2 }],
      [150, { after: null, pages: 4 }],
    ]);
  });

  it('counts on from a resumed checkpoint, and still commits a trailing empty page', async () => {
    const units = [];
    for await (const unit of unitsOf(fromArray([page(501, 200, '700'), page(0, 0, null)]), { after: '500', pages: 5 }, 200))
      units.push(unit);
    expect(units.map((unit) => [unit.contacts.length, unit.checkpoint])).toEqual([
      [200, { after: '700', pages: 6 }],
      [0, { after: null, pages: 7 }],
    ]);
  });
});

describe('runInOrder', () => {
  const units = (n: number) => fromArray(Array.from({ length: n }, (_, i) => i));

  it('works on several units at once but commits them strictly in order', async () => {
    let running = 0;
    let most = 0;
    const committed: number[] = [];
    const end = await runInOrder(units(7), {
      concurrency: 3,
      async work(unit) {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, (7 - unit) * 3)); // later units finish first
        running -= 1;
        return unit * 10;
      },
      commit: async (unit, result) => {
        expect(result).toBe(unit * 10);
        committed.push(unit);
      },
      shouldStop: async () => false,
    });
    expect(end).toBe('finished');
    expect(committed).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(most).toBe(3);
  });

  it('asks a concurrency function before each start: one unit at a time while it answers 1', async () => {
    let running = 0;
    const mostPerUnit: number[] = [];
    const end = await runInOrder(units(8), {
      // Units 3 to 5 start while something more urgent waits.
      concurrency: () => (mostPerUnit.length >= 3 && mostPerUnit.length < 6 ? 1 : 3),
      async work() {
        running += 1;
        mostPerUnit.push(running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running -= 1;
      },
      commit: async () => undefined,
      shouldStop: async () => false,
    });
    expect(end).toBe('finished');
    expect(mostPerUnit.slice(3, 6)).toEqual([1, 1, 1]);
    expect(Math.max(...mostPerUnit.slice(0, 3))).toBe(3);
  });

  it('keeps working on later units while an earlier one commits', async () => {
    const events: string[] = [];
    await runInOrder(units(4), {
      concurrency: 2,
      work: async (unit) => {
        events.push(`work ${unit}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return unit;
      },
      commit: async (unit) => {
        events.push(`commit ${unit} starts`);
        await new Promise((resolve) => setTimeout(resolve, 40));
        events.push(`commit ${unit} ends`);
      },
      shouldStop: async () => false,
    });
    expect(events.indexOf('work 2')).toBeLessThan(events.indexOf('commit 0 ends'));
    expect(events.filter((event) => event.startsWith('commit')).join(', ')).toBe(
      'commit 0 starts, commit 0 ends, commit 1 starts, commit 1 ends, commit 2 starts, commit 2 ends, commit 3 starts, commit 3 ends',
    );
  });

  it('stops starting units when asked and commits those in flight', async () => {
    const committed: number[] = [];
    let asked = 0;
    const end = await runInOrder(units(10), {
      concurrency: 2,
      work: async (unit) => unit,
      commit: async (unit) => {
        committed.push(unit);
      },
      shouldStop: async () => ++asked > 4,
    });
    expect(end).toBe('stopped');
    expect(committed).toEqual([0, 1, 2, 3]);
  });

  it('commits the units before a failed one, drops those after it, and throws the failure', async () => {
    const committed: number[] = [];
    const run = runInOrder(units(6), {
      concurrency: 3,
      work: async (unit) => {
        if (unit === 2) throw new Error('Salesforce down');
        return unit;
      },
      commit: async (unit) => {
        committed.push(unit);
      },
      shouldStop: async () => false,
    });
    await expect(run).rejects.toThrow('Salesforce down');
    expect(committed).toEqual([0, 1]);
  });
});

describe('filtered walks through HubSpot search', () => {
  it('turns the filter into one group of ANDed search filters, dates in epoch milliseconds', () => {
    expect(
      searchFiltersFor({
        createdAfter: '2026-01-01T00:00:00.000Z',
        createdBefore: '2026-02-01T00:00:00.000Z',
        modifiedAfter: '2026-01-15T00:00:00.000Z',
        lifecycleStages: ['lead', 'subscriber'],
      }),
    ).toEqual([
      { propertyName: 'createdate', operator: 'GTE', value: '1767225600000' },
      { propertyName: 'createdate', operator: 'LT', value: '1769904000000' },
      { propertyName: 'lastmodifieddate', operator: 'GTE', value: '1768435200000' },
      { propertyName: 'lifecyclestage', operator: 'IN', values: ['lead', 'subscriber'] },
    ]);
    expect(searchFiltersFor({})).toEqual([]);
  });

  it('asks each page afresh for the ids after the last one seen, so no query pages past 10,000', () => {
    const filters = searchFiltersFor({ lifecycleStages: ['lead'] });
    expect(keysetSearchRequest(filters, null, ['email'], 200)).toEqual({
      filterGroups: [{ filters }],
      sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
      properties: ['email'],
      limit: 200,
    });
    expect(keysetSearchRequest(filters, '10450', ['email'], 200).filterGroups).toEqual([
      { filters: [...filters, { propertyName: 'hs_object_id', operator: 'GT', value: '10450' }] },
    ]);
    expect(keysetSearchRequest(filters, '1', [], 200)).not.toHaveProperty('after');
  });
});
