import { describe, expect, it } from '@jest/globals';
import type { PgBoss } from 'pg-boss';
import type { HubSpotPort } from '../../src/adapters/hubspot/hubspot-port.ts';
import { waitingHandoffs } from '../../src/jobs/handoff/batch-window.ts';
import { createHandoffQueue, enqueueContacts, HANDOFF_QUEUE } from '../../src/jobs/handoff-queue.ts';
import { startHandoffWorker, type HandoffWorker } from '../../src/jobs/handoff-worker.ts';
import { silentLogger } from '../../src/log.ts';
import { countPending } from '../../src/store/inbox.ts';
import { createJobQueue } from '../../src/store/jobQueue.ts';
import { eventually } from '../e2e/support/service-process.ts';
import { type ReplayWorld, useReplayWorld } from './support/replay-world.ts';

const READ = 'POST /crm/v3/objects/contacts/batch/read';
const UPDATE = 'POST /crm/v3/objects/contacts/batch/update';
const LIST_ADD = 'PUT /crm/v3/lists/{listId}/memberships/add';

/**
 * The handoff worker with pg-boss on a fresh database of each engine, against the simulators: how many batches a
 * batch window makes of a trickle of handoffs, counted on the simulated HubSpot and Salesforce. No assertion
 * depends on the machine being fast: windows are long against the trickle, and bounds are generous.
 */
describe('handoff batch window', () => {
  let w: ReplayWorld;
  let n = 0;
  useReplayWorld((world) => (w = world));

  const qualifying = (count: number) =>
    Array.from({ length: count }, () => w.hubspot.createContact({ email: `window-${++n}@window${n % 7}.example`, lastname: `Window ${n}`, company: 'Window Co', jobtitle: 'VP Engineering', demo_requested: 'true' }));
  const hubspotCalls = () => w.hubspot.calls.byEndpoint;
  /** Data calls only (a first token refresh is not part of a batch). */
  const salesforceData = () => ['query', 'composite', 'create', 'update', 'upsert'].reduce((sum, kind) => sum + (w.salesforce.calls[kind] ?? 0), 0);
  const delta = (before: Record<string, number>, key: string) => (hubspotCalls()[key] ?? 0) - (before[key] ?? 0);
  const leadsDone = (ids: string[]) => eventually(async () => (ids.every((id) => w.leadsFor(id).length === 1) ? true : undefined), 30_000, 'every Lead');
  const inboxSettled = () => eventually(async () => ((await countPending(w.fresh.db)) === 0 ? true : undefined), 15_000, 'inbox settled');
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** A worker with its own job queue; the batch reads it makes are timed through the HubSpot port. */
  async function withWorker<T>(batchWindowMs: number, use: (queue: { boss: PgBoss; worker: HandoffWorker; reads: number[]; arrive: (ids: string[]) => Promise<void> }) => Promise<T>): Promise<T> {
    const boss = await createJobQueue(w.fresh.db, { logger: silentLogger() });
    await createHandoffQueue(boss);
    const reads: number[] = [];
    const hubspot = new Proxy(w.handoff.hubspot, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (property !== 'readContacts' || typeof value !== 'function') return value;
        return (...args: Parameters<HubSpotPort['readContacts']>) => {
          reads.push(Date.now());
          return (value as HubSpotPort['readContacts']).apply(target, args);
        };
      },
    });
    const worker = await startHandoffWorker(boss, { ...w.handoff, hubspot }, { batchWindowMs, sweepEveryMs: 600_000 });
    // What the webhook intake does: store the event, queue the contact, wake the worker.
    const arrive = async (ids: string[]) => {
      for (const id of ids) await w.webhook(id);
      await enqueueContacts(boss, ids);
      worker.wake();
    };
    try {
      return await use({ boss, worker, reads, arrive });
    } finally {
      worker.stop();
      await boss.stop({ graceful: true, timeout: 10_000 });
    }
  }

  it('takes handoffs arriving spread over less than the window as one batch: one call of each kind', async () => {
    await withWorker(3_000, async ({ arrive }) => {
      const ids = qualifying(5);
      const before = hubspotCalls();
      const salesforceBefore = salesforceData();
      for (const id of ids) {
        await arrive([id]);
        await sleep(100);
      }
      await leadsDone(ids);
      await inboxSettled();
      expect([delta(before, READ), delta(before, UPDATE), delta(before, LIST_ADD)]).toEqual([1, 1, 1]);
      // The composite e-mail match and the collections upsert.
      expect(salesforceData() - salesforceBefore).toBe(2);
    });
  });

  it('holds a lone handoff for the window, and not much longer', async () => {
    const windowMs = 1_000;
    await withWorker(windowMs, async ({ arrive, reads }) => {
      const [id] = qualifying(1);
      const arrivedAt = Date.now();
      await arrive([id!]);
      await leadsDone([id!]);
      expect(reads).toHaveLength(1);
      const heldMs = reads[0]! - arrivedAt;
      expect(heldMs).toBeGreaterThanOrEqual(windowMs - 50);
      // One read of the queue (≤ 250 ms for this window) plus a lane's fetch; 5 s is room for a loaded machine.
      expect(heldMs).toBeLessThan(windowMs + 5_000);
    });
  });

  it('sends a full batch at once, without waiting the window', async () => {
    await withWorker(60_000, async ({ arrive, reads }) => {
      const ids = qualifying(100);
      const before = hubspotCalls();
      const arrivedAt = Date.now();
      await arrive(ids);
      // Far inside the one-minute window.
      await leadsDone(ids);
      expect(Date.now() - arrivedAt).toBeLessThan(30_000);
      expect(reads).toHaveLength(1);
      expect(delta(before, READ)).toBe(1);
    });
  });

  it('keeps held handoffs in the shared queue and the inbox, not in memory', async () => {
    await withWorker(60_000, async ({ arrive }) => {
      const ids = qualifying(3);
      const pendingBefore = await countPending(w.fresh.db);
      await arrive(ids);
      await sleep(300);
      // A crash now loses nothing: the jobs wait in pg-boss (any replica may take them) and the events in the inbox.
      expect(await waitingHandoffs(w.fresh.db, HANDOFF_QUEUE)).toMatchObject({ ready: 3 });
      expect((await countPending(w.fresh.db)) - pendingBefore).toBe(3);
      for (const id of ids) expect(w.leadsFor(id)).toHaveLength(0);
    });
    // Handed off by a latency-first worker afterwards, as another replica or a restart would.
    const ids = await withWorker(0, async ({ worker }) => {
      worker.wake();
      const held = (await w.fresh.db.query<{ object_id: string }>(`SELECT DISTINCT object_id FROM webhook_inbox WHERE processed_at IS NULL`)).rows.map((row) => row.object_id);
      await leadsDone(held);
      return held;
    });
    expect(ids).toHaveLength(3);
  });

  it('works across replicas: each decides on the shared queue, every lead is handed off once, in at most one batch each', async () => {
    const ids = qualifying(6);
    const before = hubspotCalls();
    await withWorker(3_000, async (first) => {
      await withWorker(3_000, async (second) => {
        // Each replica receives every second webhook, and is woken only by its own.
        for (const [i, id] of ids.entries()) {
          await (i % 2 === 0 ? first : second).arrive([id]);
          await sleep(100);
        }
        await leadsDone(ids);
        await inboxSettled();
      });
    });
    for (const id of ids) expect(w.leadsFor(id)).toHaveLength(1);
    // One batch when one replica takes them all, two when the other catches some; never one per webhook.
    expect(delta(before, READ)).toBeLessThanOrEqual(2);
  });

  it('with window 0 hands each arrival off as it comes, as before', async () => {
    await withWorker(0, async ({ arrive }) => {
      const ids = qualifying(5);
      const before = hubspotCalls();
      for (const id of ids) {
        await arrive([id]);
        await leadsDone([id]);
      }
      await inboxSettled();
      expect(delta(before, READ)).toBe(5);
      expect(delta(before, LIST_ADD)).toBe(5);
    });
  });
});
