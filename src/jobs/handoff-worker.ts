import type { PgBoss } from 'pg-boss';
import type { Logger } from '../log.ts';
import { pendingContactIds } from '../store/inbox.ts';
import { handoffContacts, type HandoffDeps } from './handoff/handoff-contacts.ts';
import { createTurnstile } from './handoff/turnstile.ts';
import { enqueueContacts, HANDOFF_QUEUE, type HandoffJobData } from './handoff-queue.ts';

/** HubSpot's batch read takes 100 ids, so a batch of 100 contact jobs costs one read. */
export const HANDOFF_BATCH_SIZE = 100;

export interface HandoffWorker {
  workerId: string;
  /** Fetch at once instead of waiting for the next poll. */
  wake(): void;
  stop(): void;
}

/**
 * Three lanes of batches, one stage each at steady load: while one batch writes to Salesforce (the turnstile
 * keeps those sections one at a time), the next reads HubSpot and decides, and the one before writes back to
 * HubSpot and records its results. With two, a batch that had decided waited for a lane to finish its
 * bookkeeping before the contacts behind it could even be fetched.
 */
const HANDOFF_LANES = 3;

export async function startHandoffWorker(boss: PgBoss, deps: HandoffDeps, options: { sweepEveryMs?: number; sweepAfterMs?: number } = {}): Promise<HandoffWorker> {
  const log = deps.logger.child({ module: 'handoff-worker' });
  const laneDeps: HandoffDeps = { ...deps, salesforceTurn: deps.salesforceTurn ?? createTurnstile() };
  const lanes: { id: string; busy: boolean }[] = [];
  for (let i = 0; i < HANDOFF_LANES; i++) {
    const lane = { id: '', busy: false };
    lane.id = await boss.work<HandoffJobData>(
      HANDOFF_QUEUE,
      // A full batch means more are waiting (an import): fetch the next at once instead of at the next poll.
      { batchSize: HANDOFF_BATCH_SIZE, pollingIntervalSeconds: 1, burstWhenBatchFull: true },
      async (jobs) => {
        lane.busy = true;
        try {
          const summary = await handoffContacts(jobs.map((job) => job.data.contactId), laneDeps);
          log.debug('handoff jobs done', { jobs: jobs.length, ...summary });
        } finally {
          lane.busy = false;
        }
      },
    );
    lanes.push(lane);
  }
  const sweeper = startInboxSweeper(boss, deps, log, options);
  return {
    workerId: lanes[0]!.id,
    // An idle lane fetches at once; with both busy, both fetch again as soon as they finish.
    wake: () => {
      const idle = lanes.find((lane) => !lane.busy);
      for (const lane of idle ? [idle] : lanes) boss.notifyWorker(lane.id);
    },
    stop: () => clearInterval(sweeper),
  };
}

/**
 * The inbox is the source of truth: events stored but never queued (a crash between commit and
 * queueing, a lost job) are queued again here. Queued contacts are coalesced, so repeats cost nothing.
 */
function startInboxSweeper(boss: PgBoss, deps: HandoffDeps, log: Logger, options: { sweepEveryMs?: number; sweepAfterMs?: number }): NodeJS.Timeout {
  const sweepAfterMs = options.sweepAfterMs ?? 5_000;
  const sweep = async (receivedBefore: Date) => {
    try {
      const ids = await pendingContactIds(deps.db, { receivedBefore, limit: 1_000 });
      if (ids.length > 0) {
        await enqueueContacts(boss, ids);
        log.info('requeued contacts with pending webhook events', { contacts: ids.length });
      }
    } catch (error) {
      log.warn('inbox sweep failed', { error });
    }
  };
  // At start, everything left by a previous process is due now.
  void sweep(new Date());
  const timer = setInterval(() => void sweep(new Date(deps.now().getTime() - sweepAfterMs)), options.sweepEveryMs ?? 10_000);
  timer.unref();
  return timer;
}
