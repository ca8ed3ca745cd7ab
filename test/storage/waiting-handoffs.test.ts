import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PgBoss } from 'pg-boss';
import { waitingHandoffs } from '../../src/jobs/handoff/batch-window.ts';
import { createHandoffQueue, enqueueContacts, HANDOFF_QUEUE, type HandoffJobData } from '../../src/jobs/handoff-queue.ts';
import { silentLogger } from '../../src/log.ts';
import { createJobQueue } from '../../src/store/job-queue.ts';
import { type FreshDatabase, freshDatabase } from '../support/databases.ts';

/** The fetch decision's read of the handoff queue: what a lane's fetch could claim now, counted up to a limit. */
describe('waiting handoffs, as pg-boss would fetch them', () => {
  let fresh: FreshDatabase;
  let boss: PgBoss;
  beforeAll(async () => {
    fresh = await freshDatabase();
    boss = await createJobQueue(fresh.db, { logger: silentLogger() });
    await createHandoffQueue(boss);
  });
  afterAll(async () => {
    await boss.stop({ graceful: true, timeout: 5000 });
    await fresh.cleanup();
  });

  it('leaves out a contact whose job is active (a fetch cannot claim its next), and counts no further than the limit', async () => {
    await enqueueContacts(boss, ['c1', 'c2', 'c3']);
    const [active] = await boss.fetch<HandoffJobData>(HANDOFF_QUEUE, { batchSize: 1 });
    // A stately queue takes one more job for a contact with an active one; it waits behind it.
    await enqueueContacts(boss, [active!.data.contactId, 'c4']);
    const db = boss.getDb();
    expect((await waitingHandoffs(db, HANDOFF_QUEUE, 100)).ready).toBe(3);
    expect((await waitingHandoffs(db, HANDOFF_QUEUE, 2)).ready).toBe(2);
    const claimed = await boss.fetch(HANDOFF_QUEUE, { batchSize: 100 });
    expect(claimed).toHaveLength(3);
    expect(await waitingHandoffs(db, HANDOFF_QUEUE, 100)).toEqual({ ready: 0, oldestAgeMs: 0 });
  });
});
