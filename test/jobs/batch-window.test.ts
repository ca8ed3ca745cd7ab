import { describe, expect, it } from '@jest/globals';
import { type PgBoss, TestClock } from 'pg-boss';
import { waitingHandoffs, windowTiming } from '../../src/jobs/handoff/batch-window.ts';
import { HANDOFF_QUEUE } from '../../src/jobs/handoff-queue.ts';
import { HANDOFF_BATCH_SIZE, HANDOFF_WAITING_LIMIT } from '../../src/jobs/handoff-worker.ts';
import { countPending } from '../../src/store/inbox.ts';
import { eventually } from '../e2e/support/service-process.ts';
import { qualifyingContacts, type WorkerQueue, withHandoffWorker } from './support/handoff-worker-queue.ts';
import { type ReplayWorld, useReplayWorld } from './support/replay-world.ts';

const READ = 'POST /crm/v3/objects/contacts/batch/read';
const UPDATE = 'POST /crm/v3/objects/contacts/batch/update';
const LIST_ADD = 'PUT /crm/v3/lists/{listId}/memberships/add';

/**
 * The handoff worker with pg-boss on a fresh database, against the simulators: how many batches a
 * batch window makes of a trickle of handoffs, counted on the simulated HubSpot and Salesforce. No assertion
 * depends on the machine being fast: with the window on, pg-boss and the window run on a TestClock that only
 * the test moves (job ages in job_now(), the window's reads on its timers), and each tick returns once every
 * read and fetch it set off has finished. Only waiting for the handoff's own work (Leads, inbox) is in real time.
 */
describe('handoff batch window', () => {
  let w: ReplayWorld;
  useReplayWorld((world) => (w = world));

  const qualifying = qualifyingContacts(() => w, 'window', 7);
  const hubspotCalls = () => w.hubspot.calls.byEndpoint;
  /** Data calls only (a first token refresh is not part of a batch). */
  const salesforceData = () =>
    ['query', 'composite', 'create', 'update', 'upsert'].reduce((sum, kind) => sum + (w.salesforce.calls[kind] ?? 0), 0);
  const delta = (before: Record<string, number>, key: string) => (hubspotCalls()[key] ?? 0) - (before[key] ?? 0);
  const leadsDone = (ids: string[]) =>
    eventually(async () => (ids.every((id) => w.leadsFor(id).length === 1) ? true : undefined), 30_000, 'every Lead');
  const inboxSettled = () => eventually(async () => ((await countPending(w.fresh.db)) === 0 ? true : undefined), 15_000, 'inbox settled');
  /** What the window sees: the queue read on pg-boss's connection, so its age is on the queue's clock. */
  const waiting = (boss: PgBoss) => waitingHandoffs(boss.getDb(), HANDOFF_QUEUE, HANDOFF_WAITING_LIMIT);
  /** How often the window reads the queue while jobs wait. */
  const checkEveryMs = (windowMs: number) => windowTiming(windowMs, HANDOFF_BATCH_SIZE).checkEveryMs;

  /** A worker with the fixed window (HANDOFF_BATCH_WINDOW_MS; 0: the default pacing) on `clock` if given, else on real time. */
  const withWorker = <T>(batchWindowMs: number, use: (queue: WorkerQueue) => Promise<T>, clock?: TestClock) =>
    withHandoffWorker(w, { batchWindowMs }, use, clock);

  it('takes handoffs arriving spread over less than the window as one batch: one call of each kind', async () => {
    const clock = new TestClock();
    await withWorker(
      3_000,
      async ({ arrive, boss }) => {
        await w.fresh.db.query('DELETE FROM hubspot_writebacks');
        const ids = qualifying(5);
        const before = hubspotCalls();
        const salesforceBefore = salesforceData();
        // 100 ms apart on the queue's clock: the last arrives 400 ms after the first, however busy the machine.
        for (const id of ids) {
          await arrive([id]);
          await clock.tick(100);
        }
        // The window has read the queue all along (every 750 ms) and holds all five until the first has waited 3 s.
        await clock.tick(3_000 - 500 - 1);
        const all = await waiting(boss);
        expect(all).toMatchObject({ ready: 5 });
        // Counted up to a limit, in pg-boss's fetch order: the oldest is among the first counted.
        expect(await waitingHandoffs(boss.getDb(), HANDOFF_QUEUE, 3)).toEqual({ ready: 3, oldestAgeMs: all.oldestAgeMs });
        await clock.tick(1);
        expect(await waiting(boss)).toMatchObject({ ready: 0 });
        await leadsDone(ids);
        await inboxSettled();
        // The batch queued its HubSpot write-back in the outbox; one flusher pass sends it in one call of each kind.
        expect([delta(before, READ), delta(before, UPDATE), delta(before, LIST_ADD)]).toEqual([1, 0, 0]);
        expect(await w.flushWriteBacks()).toMatchObject({ sent: 5 });
        expect([delta(before, READ), delta(before, UPDATE), delta(before, LIST_ADD)]).toEqual([1, 1, 1]);
        // The composite e-mail match, with routing's query for the Accounts of the batch's domains (routing.yaml's
        // existing-account rule) inside it, and the composite create, with the query of the owners the org's rule gave.
        expect(salesforceData() - salesforceBefore).toBe(2);
      },
      clock,
    );
  });

  it('holds a lone handoff for the window, and not much longer', async () => {
    const windowMs = 1_000;
    const clock = new TestClock();
    await withWorker(
      windowMs,
      async ({ arrive, reads, boss }) => {
        const [id] = qualifying(1);
        const arrivedAt = clock.now();
        await arrive([id!]);
        // Read every 250 ms meanwhile, and held.
        await clock.tick(windowMs - 1);
        expect(await waiting(boss)).toMatchObject({ ready: 1 });
        await clock.tick(1);
        await leadsDone([id!]);
        // Fetched by the read at the moment it was due: held exactly the window.
        expect(reads).toEqual([arrivedAt + windowMs]);
      },
      clock,
    );
  });

  it('sends a full batch at once, without waiting the window', async () => {
    const windowMs = 60_000;
    const clock = new TestClock();
    await withWorker(
      windowMs,
      async ({ arrive, reads }) => {
        const ids = qualifying(100);
        const before = hubspotCalls();
        const arrivedAt = clock.now();
        await arrive(ids);
        // The wake brings the next read forward to one check (1 s), far inside the one-minute window.
        await clock.tick(checkEveryMs(windowMs));
        await leadsDone(ids);
        expect(reads).toEqual([arrivedAt + checkEveryMs(windowMs)]);
        expect(delta(before, READ)).toBe(1);
      },
      clock,
    );
  });

  it('keeps held handoffs in the shared queue and the inbox, not in memory', async () => {
    const windowMs = 60_000;
    const clock = new TestClock();
    await withWorker(
      windowMs,
      async ({ arrive, boss, reads }) => {
        const ids = qualifying(3);
        const pendingBefore = await countPending(w.fresh.db);
        await arrive(ids);
        // The read the wake brought forward has seen them, and held them.
        await clock.tick(checkEveryMs(windowMs));
        // A crash now loses nothing: the jobs wait in pg-boss (any replica may take them) and the events in the inbox.
        expect(await waiting(boss)).toMatchObject({ ready: 3 });
        expect((await countPending(w.fresh.db)) - pendingBefore).toBe(3);
        expect(reads).toHaveLength(0);
        for (const id of ids) expect(w.leadsFor(id)).toHaveLength(0);
      },
      clock,
    );
    // Handed off by a latency-first worker afterwards, as another replica or a restart would.
    const ids = await withWorker(0, async ({ worker }) => {
      worker.wake();
      const held = (
        await w.fresh.db.query<{ object_id: string }>(`SELECT DISTINCT object_id FROM webhook_inbox WHERE processed_at IS NULL`)
      ).rows.map((row) => row.object_id);
      await leadsDone(held);
      return held;
    });
    expect(ids).toHaveLength(3);
  });

  it('works across replicas: each decides on the shared queue, every lead is handed off once, in at most one batch each', async () => {
    const ids = qualifying(6);
    const before = hubspotCalls();
    // One clock for both replicas, as the database's clock is one for all of them.
    const clock = new TestClock();
    await withWorker(
      3_000,
      async (first) => {
        await withWorker(
          3_000,
          async (second) => {
            // Each replica receives every second webhook, 100 ms apart, and is woken only by its own.
            for (const [i, id] of ids.entries()) {
              await (i % 2 === 0 ? first : second).arrive([id]);
              await clock.tick(100);
            }
            // Neither replica's window has closed before the first arrival has waited 3 s.
            await clock.tick(3_000 - 600 - 1);
            expect(await waiting(first.boss)).toMatchObject({ ready: 6 });
            // The first replica to read the queue then takes all six; the other finds none left.
            await clock.tick(1);
            expect(await waiting(first.boss)).toMatchObject({ ready: 0 });
            await leadsDone(ids);
            await inboxSettled();
          },
          clock,
        );
      },
      clock,
    );
    for (const id of ids) expect(w.leadsFor(id)).toHaveLength(1);
    expect(delta(before, READ)).toBe(1);
  });

  it('with window 0 (pacing, nothing else calling HubSpot) hands each arrival off as it comes, as before', async () => {
    await withWorker(0, async ({ arrive }) => {
      // Write-backs the earlier tests left in the outbox would join this test's flush.
      await w.fresh.db.query('DELETE FROM hubspot_writebacks');
      const ids = qualifying(5);
      const before = hubspotCalls();
      for (const id of ids) {
        await arrive([id]);
        await leadsDone([id]);
      }
      await inboxSettled();
      expect(delta(before, READ)).toBe(5);
      // Each batch only queued its write-back; the outbox's flusher sends all five in one call of each kind.
      expect(delta(before, LIST_ADD)).toBe(0);
      expect(await w.flushWriteBacks()).toMatchObject({ sent: 5 });
      expect([delta(before, UPDATE), delta(before, LIST_ADD)]).toEqual([1, 1]);
    });
  });
});
