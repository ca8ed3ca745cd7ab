import { describe, expect, it } from '@jest/globals';
import { addCounts, countsFrom, emptyCounts } from '../../../src/core/backfill/counts.ts';
import { backfillFilterSchema, isEmptyFilter } from '../../../src/core/backfill/filter.ts';
import { formatDuration, progressOf } from '../../../src/core/backfill/progress.ts';
import { addToSample } from '../../../src/core/backfill/sample.ts';

const T0 = new Date('2026-11-20T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe('progressOf: count, rate and ETA', () => {
  it.each([
    [
      'unknown total: no share, no ETA, the rate still shows',
      { read: 500, total: null, resumedAt: T0, readAtResume: 0, now: at(10) },
      { percent: null, ratePerSecond: 50, etaSeconds: null },
    ],
    [
      'half way at 50/s: 100 s left',
      { read: 5_000, total: 10_000, resumedAt: T0, readAtResume: 0, now: at(100) },
      { percent: 50, ratePerSecond: 50, etaSeconds: 100 },
    ],
    [
      'the rate counts only what this worker read since it took the run up',
      { read: 6_000, total: 10_000, resumedAt: T0, readAtResume: 4_000, now: at(20) },
      { percent: 60, ratePerSecond: 100, etaSeconds: 40 },
    ],
    [
      'under a second: no rate yet, so no ETA',
      { read: 10, total: 1_000, resumedAt: T0, readAtResume: 0, now: at(0.5) },
      { percent: 1, ratePerSecond: null, etaSeconds: null },
    ],
    [
      'contacts created during the run: never past 100 %, nothing left',
      { read: 1_050, total: 1_000, resumedAt: T0, readAtResume: 0, now: at(30) },
      { percent: 100, ratePerSecond: 35, etaSeconds: 0 },
    ],
    [
      'an empty portal is done at once',
      { read: 0, total: 0, resumedAt: T0, readAtResume: 0, now: at(0) },
      { percent: 100, ratePerSecond: null, etaSeconds: 0 },
    ],
    [
      'a stalled run has no ETA',
      { read: 100, total: 1_000, resumedAt: T0, readAtResume: 100, now: at(60) },
      { percent: 10, ratePerSecond: 0, etaSeconds: null },
    ],
    [
      'not started',
      { read: 0, total: 1_000, resumedAt: null, readAtResume: 0, now: at(60) },
      { percent: 0, ratePerSecond: null, etaSeconds: null },
    ],
    [
      'a rate with a remainder rounds the ETA up',
      { read: 100, total: 1_000, resumedAt: T0, readAtResume: 0, now: at(30) },
      { ratePerSecond: 3.3, etaSeconds: 273 },
    ],
  ])('%s', (_name, input, expected) => {
    expect(progressOf(input)).toMatchObject(expected);
  });

  it.each([
    [null, 'unknown'],
    [0, '0 s'],
    [59.4, '59 s'],
    [75, '1 min 15 s'],
    [3_600 * 3 + 20 * 60 + 5, '3 h 20 min'],
  ])('formats %p as %p', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('counts', () => {
  it('adds per key and reads stored counts leniently (unknown keys dropped, missing ones zero)', () => {
    const counts = addCounts(emptyCounts(), { read: 200, handedOff: 40, qualified: 41 });
    addCounts(counts, { read: 100, notQualified: 60 });
    expect(counts).toMatchObject({ read: 300, handedOff: 40, qualified: 41, notQualified: 60, errors: 0 });
    expect(countsFrom({ read: '12', bogus: 3, parked: 'x' })).toEqual({ ...emptyCounts(), read: 12 });
  });
});

describe('addToSample', () => {
  it('keeps the first few of every verdict and shortens long reasons', () => {
    const entries = Array.from({ length: 15 }, (_, i) => ({
      contactId: String(i),
      verdict: i % 5 === 0 ? 'handed_off' : 'not_qualified',
      reasons: ['x'.repeat(500)],
    }));
    const sample = addToSample([], entries, 3);
    expect(sample.map((entry) => entry.contactId)).toEqual(['0', '1', '2', '3', '5', '10']);
    expect(sample[0]!.reasons[0]).toHaveLength(300);
    expect(
      addToSample(
        sample,
        [
          { contactId: '99', verdict: 'handed_off', reasons: [] },
          { contactId: '98', verdict: 'parked', reasons: [] },
        ],
        3,
      )
        .map((e) => e.contactId)
        .slice(-1),
    ).toEqual(['98']);
  });
});

describe('backfill filter', () => {
  it('takes days and instants with offsets, kept as ISO instants', () => {
    const parsed = backfillFilterSchema.parse({
      createdAfter: '2026-01-01',
      modifiedBefore: '2026-02-01T10:00:00+01:00',
      lifecycleStages: ['lead', 'other'],
    });
    expect(parsed).toEqual({
      createdAfter: '2026-01-01T00:00:00.000Z',
      modifiedBefore: '2026-02-01T09:00:00.000Z',
      lifecycleStages: ['lead', 'other'],
    });
    expect(isEmptyFilter(parsed)).toBe(false);
    expect(isEmptyFilter(backfillFilterSchema.parse({}))).toBe(true);
  });

  it.each([
    [{ createdAfter: '2026-02-01', createdBefore: '2026-01-01' }, 'createdBefore'],
    [{ modifiedAfter: '2026-02-01', modifiedBefore: '2026-02-01' }, 'modifiedBefore'],
    [{ createdAfter: '2026-13-01' }, 'createdAfter'],
    [{ lifecycleStages: ['prospect'] }, 'lifecycleStages.0'],
    [{ lifecycleStages: [] }, 'lifecycleStages'],
    [{ owner: 'x' }, ''],
  ])('refuses %j at path %p', (filter, path) => {
    const result = backfillFilterSchema.safeParse(filter);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });
});
