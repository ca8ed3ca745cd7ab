import { describe, expect, it } from '@jest/globals';
import { type Bucket, bucketQuantile, bucketsBetween, histogramBuckets } from '../../../bench/support/histogram-quantile.ts';

const INF = Number.POSITIVE_INFINITY;
const buckets = (...pairs: [number, number][]): Bucket[] => pairs.map(([le, count]) => ({ le, count }));

describe('bucketQuantile', () => {
  // Cumulative counts: 10 observations ≤ 0.05, 30 ≤ 0.1, 40 ≤ 0.2, all 40 ≤ +Inf.
  const spread = buckets([0.05, 10], [0.1, 30], [0.2, 40], [INF, 40]);
  it.each([
    ['the median, halfway into the second bucket', spread, 0.5, 0.075],
    ['p25, at the top of the first bucket', spread, 0.25, 0.05],
    ['p95, inside the third bucket', spread, 0.95, 0.1 + (0.1 * (38 - 30)) / 10],
    ['p100, the top of the last bucket that holds one', spread, 1, 0.2],
    ['p0, the bottom (0) of the first bucket', spread, 0, 0],
    ['the first bucket interpolated from 0', buckets([0.01, 4], [INF, 4]), 0.5, 0.005],
    ['empty leading buckets are passed over', buckets([0.01, 0], [0.02, 0], [0.05, 2], [INF, 2]), 0.5, 0.035],
    ['a rank in +Inf answers the highest finite bound', buckets([0.1, 1], [0.5, 2], [INF, 10]), 0.95, 0.5],
    ['nothing observed', buckets([0.1, 0], [INF, 0]), 0.5, Number.NaN],
    ['no buckets', [], 0.5, Number.NaN],
    ['q out of range', spread, 1.5, Number.NaN],
  ])('%s', (_case, input, q, expected) => {
    if (Number.isNaN(expected)) expect(bucketQuantile(input, q)).toBeNaN();
    else expect(bucketQuantile(input, q)).toBeCloseTo(expected, 10);
  });
});

describe('histogramBuckets and bucketsBetween', () => {
  const scrape = (readCounts: number[], decideCounts?: number[]) =>
    [
      '# HELP handoff_stage_seconds Time per stage',
      '# TYPE handoff_stage_seconds histogram',
      ...['0.05', '0.1', '+Inf'].map((le, i) => `handoff_stage_seconds_bucket{le="${le}",stage="read"} ${readCounts[i]}`),
      ...(decideCounts ?? []).map((count, i) => `handoff_stage_seconds_bucket{le="${['0.05', '0.1', '+Inf'][i]}",stage="decide"} ${count}`),
      'handoff_stage_seconds_sum{stage="read"} 1.5',
      'handoff_stage_seconds_count{stage="read"} 9',
      'handoff_other_bucket{le="0.1",stage="read"} 99',
    ].join('\n');

  it('reads the bucket series of one histogram by label, and what two scrapes differ by', () => {
    const before = histogramBuckets(scrape([1, 2, 2]), 'handoff_stage_seconds', 'stage');
    const after = histogramBuckets(scrape([3, 8, 9], [4, 4, 4]), 'handoff_stage_seconds', 'stage');
    expect(before).toEqual(new Map([['read', buckets([0.05, 1], [0.1, 2], [INF, 2])]]));
    expect(bucketsBetween(before.get('read'), after.get('read')!)).toEqual(buckets([0.05, 2], [0.1, 6], [INF, 7]));
    // A stage first seen after the first scrape is counted whole.
    expect(bucketsBetween(before.get('decide'), after.get('decide')!)).toEqual(buckets([0.05, 4], [0.1, 4], [INF, 4]));
  });
});
