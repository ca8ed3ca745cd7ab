import { describe, expect, it } from '@jest/globals';
import { groupCommitter } from '../../../src/jobs/group-commit.ts';

/** A commit that records each group it is given and finishes when told to. */
function recorder() {
  const groups: number[][] = [];
  const gates: Array<() => void> = [];
  const commit = async (items: number[]) => {
    groups.push(items);
    await new Promise<void>((resolve) => gates.push(resolve));
    if (items.includes(13)) throw new Error('bad item 13');
    return items.map((item) => item * 10);
  };
  const release = async () => {
    while (gates.length === 0) await new Promise((resolve) => setImmediate(resolve));
    gates.shift()!();
  };
  return { groups, commit, release };
}

describe('groupCommitter', () => {
  it('commits a lone item at once and groups the items that arrive while a commit runs', async () => {
    const { groups, commit, release } = recorder();
    const submit = groupCommitter(commit, { maxWeight: 100, weightOf: () => 1 });
    const first = submit(1);
    while (groups.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const later = [submit(2), submit(3)];
    await release();
    await expect(first).resolves.toBe(10);
    await release();
    await expect(Promise.all(later)).resolves.toEqual([20, 30]);
    expect(groups).toEqual([[1], [2, 3]]);
  });

  it('caps a group by weight and never leaves an item behind', async () => {
    const { groups, commit, release } = recorder();
    const submit = groupCommitter(commit, { maxWeight: 5, weightOf: (item) => item });
    const all = Promise.all([submit(4), submit(3), submit(2), submit(9)]);
    for (let i = 0; i < 3; i++) await release();
    await expect(all).resolves.toEqual([40, 30, 20, 90]);
    expect(groups).toEqual([[4], [3, 2], [9]]);
  });

  it('retries a failed group one item at a time, so only the bad item fails', async () => {
    const { groups, commit, release } = recorder();
    const submit = groupCommitter(commit, { maxWeight: 10, weightOf: () => 1 });
    const outcomes = Promise.allSettled([submit(12), submit(13), submit(14)]);
    for (let i = 0; i < 4; i++) await release();
    const settled = await outcomes;
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(groups).toEqual([[12, 13, 14], [12], [13], [14]]);
  });

  it('while a hold is asked for, a lone item waits for company and shares its commit', async () => {
    const { groups, commit, release } = recorder();
    const submit = groupCommitter(commit, { maxWeight: 100, weightOf: () => 1, holdMs: () => 40 });
    const first = submit(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(groups).toEqual([]);
    const second = submit(2);
    await release();
    await expect(Promise.all([first, second])).resolves.toEqual([10, 20]);
    expect(groups).toEqual([[1, 2]]);
  });

  it('commits a held group as soon as it reaches maxWeight, without waiting out the hold', async () => {
    const { groups, commit, release } = recorder();
    // An hour's hold: the test can only finish if a full group cuts it short.
    const submit = groupCommitter(commit, { maxWeight: 3, weightOf: () => 1, holdMs: () => 3_600_000 });
    const first = submit(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const all = Promise.all([first, submit(2), submit(3)]);
    await release();
    await expect(all).resolves.toEqual([10, 20, 30]);
    expect(groups).toEqual([[1, 2, 3]]);
  });
});
