import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRateLimiter, type NamedWindow, type RateLimiter } from '../../src/budgets/rate-limiter.ts';
import { silentLogger } from '../../src/log.ts';
import { type Database, openDatabase } from '../../src/store/database.ts';
import { slotsInUse } from '../../src/store/rate-slots.ts';
import { type FreshDatabase, freshDatabase } from '../support/databases.ts';

const WINDOW_MS = 500;
const MAX = 5;
const MARGIN_MS = 20;
const CALLS = 30;

/** The most grants any rolling window of `windowMs` holds. */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j < sorted.length && sorted[j]! < sorted[i]! + windowMs) j++;
    most = Math.max(most, j - i);
  }
  return most;
}

describe('the shared rolling-window limiter', () => {
  let fresh: FreshDatabase;
  let second: Database;
  beforeAll(async () => {
    fresh = await freshDatabase();
    // Two replicas: each with a pool of its own on the same database.
    second = await openDatabase({ databaseUrl: fresh.databaseUrl, logger: silentLogger(), migrate: false });
  });
  afterAll(async () => {
    await second.close();
    await fresh.cleanup();
  });

  it(`never lets a ${WINDOW_MS} ms window hold more than ${MAX} calls from two replicas, yet keeps close to that pace`, async () => {
    const window: NamedWindow = { bucket: 'test:burst', max: MAX, windowMs: WINDOW_MS };
    const replicas = [fresh.db, second].map((db) => createRateLimiter({ db, minMarginMs: MARGIN_MS, marginFraction: 0 }));
    const started = Date.now();
    const grants = await Promise.all(Array.from({ length: CALLS }, (_, i) => replicas[i % 2]!.acquire([window])));
    const elapsed = Date.now() - started;
    const times = grants.map((grant) => grant.at);

    expect(busiestWindow(times, WINDOW_MS)).toBe(MAX);
    // Not under-used: a call waits for the call MAX places before it by one window plus the margin, no more.
    // (The median: the first round starts whenever each caller got its turn, which a loaded machine spreads.)
    const sorted = [...times].sort((a, b) => a - b);
    const gaps = sorted
      .slice(MAX)
      .map((at, i) => at - sorted[i]!)
      .sort((a, b) => a - b);
    expect(gaps[0]).toBeGreaterThanOrEqual(WINDOW_MS);
    expect(gaps[Math.floor(gaps.length / 2)]).toBeLessThanOrEqual(WINDOW_MS + MARGIN_MS + 5);
    const rounds = Math.ceil(CALLS / MAX) - 1;
    expect(elapsed).toBeLessThan(rounds * (WINDOW_MS + MARGIN_MS) + 3_000);
  }, 20_000);

  /** One call on a one-slot window that ends `callMs` after it starts, then the next: the gap between their grants. */
  async function gapToNextCall(limiter: RateLimiter, bucket: string, callMs: number): Promise<number> {
    const window: NamedWindow = { bucket, max: 1, windowMs: WINDOW_MS };
    const call = await limiter.acquire([window]);
    if (callMs > 0) await new Promise((resolve) => setTimeout(resolve, callMs));
    await call.ended();
    return (await limiter.acquire([window])).at - call.at;
  }

  it('a call that starts late (its process was busy when the wait ended) keeps the next call on its slot a full window from its end', async () => {
    const LATE_MS = 300;
    let oversleep = 0;
    // One wait ends LATE_MS late, as a timer does on a blocked event loop; the others are on time.
    const sleep = async (ms: number) => {
      await new Promise((resolve) => setTimeout(resolve, ms + oversleep));
      oversleep = 0;
    };
    const limiter = createRateLimiter({ db: fresh.db, minMarginMs: MARGIN_MS, marginFraction: 0, sleep });
    await (await limiter.acquire([{ bucket: 'test:late-start', max: 1, windowMs: WINDOW_MS }])).ended();
    // The slot is busy for a window: the next grant waits, and that wait is the late one; its call ends at once.
    oversleep = LATE_MS;
    expect(await gapToNextCall(limiter, 'test:late-start', 0)).toBeGreaterThanOrEqual(WINDOW_MS + MARGIN_MS + LATE_MS - 20);
  }, 20_000);

  it('a call answered late (the provider may count it any time before its answer) keeps the next call on its slot a full window from the answer', async () => {
    const ANSWER_MS = 300;
    const limiter = createRateLimiter({ db: fresh.db, minMarginMs: MARGIN_MS, marginFraction: 0 });
    expect(await gapToNextCall(limiter, 'test:late-answer', ANSWER_MS)).toBeGreaterThanOrEqual(WINDOW_MS + MARGIN_MS + ANSWER_MS - 20);
  }, 20_000);

  it('a call answered within half the margin keeps its grant: the next call on its slot comes exactly one spacing later', async () => {
    // A wide margin, so a loaded machine's delay between the grant and ended() stays well inside half of it.
    const margin = 200;
    const limiter = createRateLimiter({ db: fresh.db, minMarginMs: margin, marginFraction: 0 });
    expect(await gapToNextCall(limiter, 'test:prompt', 0)).toBeCloseTo(WINDOW_MS + margin, 3);
  }, 20_000);

  it('a pause (a 429 told us to wait) holds back every replica, and the window use is readable', async () => {
    const window: NamedWindow = { bucket: 'test:paused', max: MAX, windowMs: WINDOW_MS };
    const [one, two] = [fresh.db, second].map((db) => createRateLimiter({ db, minMarginMs: MARGIN_MS, marginFraction: 0 }));
    await one!.acquire([window]);
    const first = await one!.acquire([window]);
    expect(await slotsInUse(fresh.db, 'test:paused', WINDOW_MS)).toBe(2);
    const until = first.at + 800;
    await one!.pause('test:paused', WINDOW_MS, until);
    const after = await two!.acquire([window]);
    expect(after.at).toBeGreaterThanOrEqual(until);
    expect(after.waitedMs).toBeGreaterThan(0);
  }, 20_000);

  it('a call that must respect two windows takes one start time that fits both', async () => {
    const wide: NamedWindow = { bucket: 'test:wide', max: 4, windowMs: 1_000 };
    const narrow: NamedWindow = { bucket: 'test:narrow', max: 2, windowMs: 200 };
    const limiter = createRateLimiter({ db: second, minMarginMs: MARGIN_MS, marginFraction: 0 });
    const times: number[] = [];
    for (let i = 0; i < 6; i++) times.push((await limiter.acquire([wide, narrow])).at);
    expect(busiestWindow(times, 1_000)).toBeLessThanOrEqual(4);
    expect(busiestWindow(times, 200)).toBeLessThanOrEqual(2);
  }, 20_000);
});
