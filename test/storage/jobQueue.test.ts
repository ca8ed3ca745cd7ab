import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Job, PgBoss } from 'pg-boss';
import { silentLogger } from '../../src/log.ts';
import { createJobQueue } from '../../src/store/job-queue.ts';
import { type FreshDatabase, freshDatabase } from '../support/databases.ts';

interface ContactJob {
  contactId: string;
}

/** A promise plus its resolver, so a test can wait for a handler to reach a point. */
function deferred<T = void>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

async function jobState(boss: PgBoss, queue: string, id: string): Promise<string | undefined> {
  return (await boss.getJobById(queue, id))?.state;
}

describe('pg-boss', () => {
  let fresh: FreshDatabase;
  let boss: PgBoss;
  beforeAll(async () => {
    fresh = await freshDatabase();
    boss = await createJobQueue(fresh.db, { logger: silentLogger() });
  });
  afterAll(async () => {
    await boss.stop({ graceful: true, timeout: 5000 });
    await fresh.cleanup();
  });

  it('coalesces a duplicate singletonKey while one is queued on a stately queue', async () => {
    await boss.createQueue('coalesce', { policy: 'stately' });
    const first = await boss.send('coalesce', { contactId: 'c1' }, { singletonKey: 'c1' });
    const duplicate = await boss.send('coalesce', { contactId: 'c1' }, { singletonKey: 'c1' });
    const other = await boss.send('coalesce', { contactId: 'c2' }, { singletonKey: 'c2' });
    expect(first).toEqual(expect.any(String));
    expect(duplicate).toBeNull();
    expect(other).toEqual(expect.any(String));
    expect(other).not.toBe(first);
  });

  it('delivers queued jobs to a batch worker, retries a thrown batch, then completes it', async () => {
    await boss.createQueue('handoff', { policy: 'stately', retryLimit: 2, retryDelay: 0 });
    const ids = await Promise.all(['c1', 'c2', 'c3'].map((id) => boss.send('handoff', { contactId: id }, { singletonKey: id })));
    const attempts: Array<Array<[string, number]>> = [];
    const delivered = new Set<string>();
    const allDone = deferred();
    const workerId = await boss.work<ContactJob>(
      'handoff',
      { batchSize: 100, pollingIntervalSeconds: 0.5 },
      async (jobs: Job<ContactJob>[]) => {
        attempts.push(jobs.map((job) => [job.data.contactId, job.retryCount]));
        const firstTry = jobs.some((job) => job.retryCount === 0);
        if (firstTry) throw new Error('provider unavailable');
        for (const job of jobs) delivered.add(job.data.contactId);
        if (delivered.size === 3) allDone.resolve();
      },
    );
    await allDone.promise;
    await boss.offWork('handoff', { id: workerId, wait: true });

    // Every job was first seen with retryCount 0, failed, and came back with retryCount 1.
    const seen = attempts.flat();
    for (const contactId of ['c1', 'c2', 'c3']) {
      expect(seen.filter(([id]) => id === contactId).map(([, retry]) => retry)).toEqual([0, 1]);
    }
    for (const id of ids) expect(await jobState(boss, 'handoff', id!)).toBe('completed');
  });

  it('keeps one queued job per key while another with the same key is active (stately)', async () => {
    await boss.createQueue('active-key', { policy: 'stately' });
    const started = deferred();
    const release = deferred();
    const first = await boss.send('active-key', { contactId: 'c9' }, { singletonKey: 'c9' });
    const workerId = await boss.work<ContactJob>('active-key', { batchSize: 100, pollingIntervalSeconds: 0.5 }, async () => {
      started.resolve();
      await release.promise;
    });
    await started.promise;
    const queuedBehind = await boss.send('active-key', { contactId: 'c9' }, { singletonKey: 'c9' });
    const coalesced = await boss.send('active-key', { contactId: 'c9' }, { singletonKey: 'c9' });
    expect(queuedBehind).toEqual(expect.any(String));
    expect(coalesced).toBeNull();
    release.resolve();
    await boss.offWork('active-key', { id: workerId, wait: true });
    expect(await jobState(boss, 'active-key', first!)).toBe('completed');
  });

  it('wakes an idle worker at once with notifyWorker instead of waiting out its polling interval', async () => {
    await boss.createQueue('wake');
    const got = deferred<string>();
    // A 60 s interval exceeds the test timeout: only notifyWorker can deliver in time.
    const workerId = await boss.work<ContactJob>('wake', { batchSize: 100, pollingIntervalSeconds: 60 }, async (jobs) => {
      got.resolve(jobs[0]!.data.contactId);
    });
    // Let the worker's first (empty) fetch finish, so the job can only arrive by a second one.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await boss.send('wake', { contactId: 'c-wake' });
    boss.notifyWorker(workerId);
    expect(await got.promise).toBe('c-wake');
    await boss.offWork('wake', { id: workerId });
  });
});

describe('graceful stop', () => {
  it('waits for the running handler to finish and records the job as completed', async () => {
    const fresh = await freshDatabase();
    try {
      const boss = await createJobQueue(fresh.db, { logger: silentLogger(), schema: 'jobs_stop' });
      await boss.createQueue('slow');
      const started = deferred();
      let finished = false;
      await boss.work('slow', { batchSize: 100, pollingIntervalSeconds: 0.5 }, async () => {
        started.resolve();
        await new Promise((resolve) => setTimeout(resolve, 300));
        finished = true;
      });
      const id = await boss.send('slow', { contactId: 'c-stop' });
      await started.promise;
      await boss.stop({ graceful: true, timeout: 10_000 });
      expect(finished).toBe(true);
      // pg-boss is stopped; read its table through our own connection.
      const state = await fresh.db.query<{ state: string }>('SELECT state::text AS state FROM jobs_stop.job WHERE id = $1', [id]);
      expect(state.rows).toEqual([{ state: 'completed' }]);
    } finally {
      await fresh.cleanup();
    }
  });
});
