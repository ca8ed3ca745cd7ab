/** One cumulative bucket of a Prometheus histogram: observations ≤ `le` (Infinity for +Inf). */
export interface Bucket {
  le: number;
  count: number;
}

/**
 * The `<name>_bucket` series of a histogram in Prometheus text, by the value of `label`, buckets in order of `le`.
 * Only what the bench needs: one label besides `le`, label values without quotes or commas inside.
 */
export function histogramBuckets(text: string, name: string, label: string): Map<string, Bucket[]> {
  const series = new Map<string, Bucket[]>();
  const line = new RegExp(`^${name}_bucket\\{([^}]*)\\} (\\S+)$`, 'gm');
  for (const [, labels, value] of text.matchAll(line)) {
    const pairs = new Map([...labels!.matchAll(/(\w+)="([^"]*)"/g)].map(([, key, v]) => [key!, v!]));
    const key = pairs.get(label);
    const le = pairs.get('le');
    if (key === undefined || le === undefined) continue;
    const buckets = series.get(key) ?? [];
    buckets.push({ le: le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le), count: Number(value) });
    series.set(key, buckets);
  }
  for (const buckets of series.values()) buckets.sort((a, b) => a.le - b.le);
  return series;
}

/** What was observed between two scrapes: `after` less `before`, bucket by bucket (a series new in `after` is kept whole). */
export function bucketsBetween(before: Bucket[] | undefined, after: Bucket[]): Bucket[] {
  const earlier = new Map((before ?? []).map((bucket) => [bucket.le, bucket.count]));
  return after.map((bucket) => ({ le: bucket.le, count: bucket.count - (earlier.get(bucket.le) ?? 0) }));
}

/**
 * The q-quantile (0..1) of cumulative buckets, as Prometheus's histogram_quantile estimates it: find the bucket the
 * rank falls in and interpolate linearly between its bounds (the first bucket's lower bound is 0). A rank in the
 * +Inf bucket answers the highest finite bound. NaN when nothing was observed. (Prometheus documentation, "Query
 * functions", histogram_quantile(): linear interpolation within the bucket, 0 as the lowest bucket's lower bound.)
 */
export function bucketQuantile(buckets: readonly Bucket[], q: number): number {
  const total = buckets.at(-1)?.count ?? 0;
  if (total <= 0 || q < 0 || q > 1) return Number.NaN;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const bucket of buckets) {
    if (bucket.count >= rank && bucket.count > below) {
      if (bucket.le === Number.POSITIVE_INFINITY) return lower;
      return lower + ((bucket.le - lower) * (rank - below)) / (bucket.count - below);
    }
    lower = bucket.le;
    below = bucket.count;
  }
  return lower;
}
