import type { PgBoss, TestClock } from 'pg-boss';
import type { HubSpotPort } from '../../../src/adapters/hubspot/hubspot-port.ts';
import { createHandoffQueue, enqueueContacts } from '../../../src/jobs/handoff-queue.ts';
import { type HandoffWorker, type HandoffWorkerOptions, startHandoffWorker } from '../../../src/jobs/handoff-worker.ts';
import { silentLogger } from '../../../src/log.ts';
import { createJobQueue } from '../../../src/store/job-queue.ts';
import type { ReplayWorld } from './replay-world.ts';

/** A running handoff worker on its own job queue, the times of its batch reads, and the webhook intake's three steps. */
export interface WorkerQueue {
  boss: PgBoss;
  worker: HandoffWorker;
  /** When each batch read of HubSpot began (on the clock the worker was given, else real time). */
  reads: number[];
  arrive(ids: string[]): Promise<void>;
}

/**
 * A handoff worker over the world's simulators with its own job queue, on `clock` if given (pg-boss and the fetch
 * loop both), else on real time; the batch reads it makes are timed through the HubSpot port, on that clock.
 */
export async function withHandoffWorker<T>(
  w: ReplayWorld,
  options: HandoffWorkerOptions,
  use: (queue: WorkerQueue) => Promise<T>,
  clock?: TestClock,
): Promise<T> {
  const boss = await createJobQueue(w.fresh.db, { logger: silentLogger(), ...(clock ? { boss: { clock } } : {}) });
  await createHandoffQueue(boss);
  const reads: number[] = [];
  const hubspot = new Proxy(w.handoff.hubspot, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (property !== 'readContacts' || typeof value !== 'function') return value;
      return (...args: Parameters<HubSpotPort['readContacts']>) => {
        reads.push(clock ? clock.now() : Date.now());
        return (value as HubSpotPort['readContacts']).apply(target, args);
      };
    },
  });
  const worker = await startHandoffWorker(
    boss,
    { ...w.handoff, hubspot },
    { sweepEveryMs: 600_000, ...options, ...(clock ? { clock } : {}) },
  );
  // Settled before anything arrives: the lanes' first (empty) fetch and the loop's first read.
  await clock?.tick(0);
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

/** Contacts that qualify (demo request fast track), `prefix`-named and numbered across a file's tests, over `domains` e-mail domains. */
export function qualifyingContacts(world: () => ReplayWorld, prefix: string, domains: number): (count: number) => string[] {
  let n = 0;
  const title = prefix.charAt(0).toUpperCase() + prefix.slice(1);
  return (count) =>
    Array.from({ length: count }, () => {
      n += 1;
      return world().hubspot.createContact({
        email: `${prefix}-${n}@${prefix}${n % domains}.example`,
        lastname: `${title} ${n}`,
        company: `${title} Co`,
        jobtitle: 'VP Engineering',
        demo_requested: 'true',
      });
    });
}
