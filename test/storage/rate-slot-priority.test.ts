import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRateLimiter, type NamedWindow } from '../../src/budgets/rate-limiter.ts';
import { writeBackRoom } from '../../src/jobs/hubspot-writeback/share-room.ts';
import { silentLogger } from '../../src/log.ts';
import { type Database, openDatabase } from '../../src/store/database.ts';
import { ensureSlots, priorityCallStarts, takeSlots } from '../../src/store/rate-slots.ts';
import { type FreshDatabase, freshDatabase } from '../support/databases.ts';

const WINDOW_MS = 10_000;

/**
 * The handoff worker paces by the handoff calls in HubSpot's rolling window, read from the slot ring every replica
 * takes a slot of for each call (migration 018 keeps the caller's priority on the slot).
 */
describe('priorityCallStarts: a priority’s calls in the last window, across replicas', () => {
  let fresh: FreshDatabase;
  let second: Database;
  beforeAll(async () => {
    fresh = await freshDatabase();
    second = await openDatabase({ databaseUrl: fresh.databaseUrl, logger: silentLogger(), migrate: false });
  });
  afterAll(async () => {
    await second.close();
    await fresh.cleanup();
  });

  const window = (bucket: string, priority?: NamedWindow['priority'], max = 10): NamedWindow => ({
    bucket,
    max,
    windowMs: WINDOW_MS,
    ...(priority ? { priority } : {}),
  });

  it('returns the start of every handoff call either replica granted within the window, and no other priority’s', async () => {
    const [one, two] = [fresh.db, second].map((db) => createRateLimiter({ db }));
    const grants = [
      await one!.acquire([window('pace:a', 'handoff')]),
      await two!.acquire([window('pace:a', 'handoff')]),
      await one!.acquire([window('pace:a', 'bulk')]),
      await two!.acquire([window('pace:a', 'sync')]),
      await one!.acquire([window('pace:a')]),
      await one!.acquire([window('pace:other', 'handoff')]),
    ];
    const seen = await priorityCallStarts(fresh.db, 'pace:a', 'handoff', WINDOW_MS);
    expect(seen.starts).toEqual([grants[0]!.at, grants[1]!.at]);
    // Read on the database clock the grants were stamped on.
    expect(seen.now).toBeGreaterThanOrEqual(grants[1]!.at);
    expect((await priorityCallStarts(second, 'pace:a', 'bulk', WINDOW_MS)).starts).toEqual([grants[2]!.at]);
  });

  it('leaves out calls older than the window, and a slot whose last call was another priority’s', async () => {
    const limiter = createRateLimiter({ db: fresh.db });
    // Two slots only, so the next call must reuse one of them.
    const first = await limiter.acquire([window('pace:b', 'handoff', 2)]);
    await limiter.acquire([window('pace:b', 'handoff', 2)]);
    // The first call's slot as if it were taken a window and a millisecond ago (no sleeping through a window).
    await fresh.db.query(`UPDATE api_rate_slots SET granted_at = granted_at - $2 WHERE bucket = 'pace:b' AND granted_at = $1`, [
      first.at,
      WINDOW_MS + 1,
    ]);
    const handoffs = (await priorityCallStarts(fresh.db, 'pace:b', 'handoff', WINDOW_MS)).starts;
    expect(handoffs).toHaveLength(1);
    // A bulk call reusing that old slot (least recently used first) makes it a bulk slot: no handoff call is added.
    const bulk = await limiter.acquire([window('pace:b', 'bulk', 2)]);
    expect((await priorityCallStarts(fresh.db, 'pace:b', 'handoff', WINDOW_MS)).starts).toEqual(handoffs);
    expect((await priorityCallStarts(fresh.db, 'pace:b', 'bulk', WINDOW_MS)).starts).toEqual([bulk.at]);
  });

  it('keeps the priority on every bucket of a multi-window take, and reads an empty window as no calls', async () => {
    expect(await priorityCallStarts(fresh.db, 'pace:none', 'handoff', WINDOW_MS)).toEqual({ now: expect.any(Number), starts: [] });
    for (const bucket of ['pace:c1', 'pace:c2']) await ensureSlots(fresh.db, bucket, 3);
    const grant = await takeSlots(fresh.db, [
      { bucket: 'pace:c1', max: 3, spacingMs: WINDOW_MS, priority: 'handoff' },
      { bucket: 'pace:c2', max: 3, spacingMs: WINDOW_MS, priority: 'handoff' },
    ]);
    for (const bucket of ['pace:c1', 'pace:c2'])
      expect((await priorityCallStarts(fresh.db, bucket, 'handoff', WINDOW_MS)).starts).toEqual([grant!.at]);
  });
  it('gives the write-back room in the share only while the window leaves room for its two calls and a read beside them', async () => {
    const limiter = createRateLimiter({ db: fresh.db });
    // 10 per window, a 50 % share: 5 handoff calls. A bulk call does not count.
    const room = writeBackRoom(fresh.db, () => ({ bucket: 'pace:w', max: 10, windowMs: WINDOW_MS }), 0.5);
    for (let i = 0; i < 2; i++) await limiter.acquire([window('pace:w', 'handoff')]);
    await limiter.acquire([window('pace:w', 'bulk')]);
    expect(await room(0)).toBe(0);
    // A third: 3 + 2 + 1 > 5.
    await limiter.acquire([window('pace:w', 'handoff')]);
    const waitMs = await room(0);
    // Until the oldest handoff call (made a few milliseconds ago) leaves the window: nearly a window from now.
    expect(waitMs).toBeGreaterThan(WINDOW_MS / 2);
    expect(waitMs).toBeLessThanOrEqual(WINDOW_MS);
    // Held a window already: no more.
    expect(await room(WINDOW_MS)).toBe(0);
  });
});
