import { describe, expect, it } from '@jest/globals';
import { type PgBoss, TestClock } from 'pg-boss';
import type { PacingDecision } from '../../src/core/budget/handoff-pacing.ts';
import { waitingHandoffs } from '../../src/jobs/handoff/batch-window.ts';
import { HANDOFF_QUEUE } from '../../src/jobs/handoff-queue.ts';
import { HANDOFF_WAITING_LIMIT, type HandoffWorkerOptions } from '../../src/jobs/handoff-worker.ts';
import { eventually } from '../e2e/support/service-process.ts';
import { qualifyingContacts, type WorkerQueue, withHandoffWorker } from './support/handoff-worker-queue.ts';
import { type ReplayWorld, useReplayWorld } from './support/replay-world.ts';

const READ = 'POST /crm/v3/objects/contacts/batch/read';
/** A small window so the share is a handful of calls: 10 per 10 s, half of it (5) for real-time handoffs. */
const WINDOW = { bucket: 'hubspot:burst', max: 10, windowMs: 10_000 };

/**
 * Budget-aware batching (the default mode, HANDOFF_REALTIME_SHARE) in the handoff worker, with pg-boss on a fresh
 * database against the simulators. pg-boss and the fetch loop run on a TestClock only the test moves; the handoff
 * calls in the window are the test's (other work and replicas, as the slot ring would report them) plus the worker's
 * own batch reads, on that clock. Only the handoff's own work (Leads) is waited for in real time.
 */
describe('handoff pacing by the real-time share', () => {
  let w: ReplayWorld;
  useReplayWorld((world) => (w = world));

  const qualifying = qualifyingContacts(() => w, 'pace', 5);
  const batchReads = () => w.hubspot.calls.byEndpoint[READ] ?? 0;
  const leadsDone = (ids: string[]) =>
    eventually(async () => (ids.every((id) => w.leadsFor(id).length === 1) ? true : undefined), 30_000, 'every Lead');
  const waiting = (boss: PgBoss) => waitingHandoffs(boss.getDb(), HANDOFF_QUEUE, HANDOFF_WAITING_LIMIT);

  /** A paced worker on `clock`; `otherCalls` are handoff calls already in the window besides the worker's own reads. */
  async function withPacedWorker(
    clock: TestClock,
    otherCalls: number[],
    use: (queue: WorkerQueue & { decisions: Pick<PacingDecision, 'holdMs' | 'shareInUse' | 'reason'>[] }) => Promise<void>,
  ): Promise<void> {
    const decisions: Pick<PacingDecision, 'holdMs' | 'shareInUse' | 'reason'>[] = [];
    let reads: number[] = [];
    const options: HandoffWorkerOptions = {
      realtimeShare: 0.5,
      // The whole share may go back to back: these cases are about the window count (the even pace has its own table in core).
      pacingBurstFraction: 1,
      pacingWindow: () => WINDOW,
      readHandoffCalls: async (bucket, windowMs) => {
        expect([bucket, windowMs]).toEqual([WINDOW.bucket, WINDOW.windowMs]);
        return { now: clock.now(), starts: [...otherCalls, ...reads] };
      },
      metrics: { handoffPacing: (decision) => decisions.push(decision) },
    };
    await withHandoffWorker(
      w,
      options,
      async (queue) => {
        reads = queue.reads;
        await use({ ...queue, decisions });
      },
      clock,
    );
  }

  it('below the share, fetches each arrival at once', async () => {
    const clock = new TestClock();
    await withPacedWorker(clock, [], async ({ arrive, reads, decisions }) => {
      const before = batchReads();
      for (const id of qualifying(2)) {
        const arrivedAt = clock.now();
        await arrive([id]);
        // The wake reads the queue at once (a zero-delay timer): no time passes before the batch read.
        await clock.tick(0);
        await leadsDone([id]);
        expect(reads.at(-1)).toBe(arrivedAt);
        await clock.tick(1_000);
      }
      expect(batchReads() - before).toBe(2);
      expect(decisions.filter((d) => d.reason !== 'idle').map((d) => d.reason)).toEqual(['within_share', 'within_share']);
    });
  });

  it('with the share spent, holds waiting handoffs until calls leave the window, then fetches them together', async () => {
    const clock = new TestClock();
    const start = clock.now();
    // Five handoff calls (the whole share) made 9 s, 8.9 s, … ago: the first leaves the window 1 s from now.
    const otherCalls = Array.from({ length: 5 }, (_, i) => start - 9_000 + i * 100);
    await withPacedWorker(clock, otherCalls, async ({ arrive, reads, boss, decisions }) => {
      const ids = qualifying(3);
      const before = batchReads();
      for (const id of ids) {
        await arrive([id]);
        await clock.tick(100);
      }
      // Held, and seen held, until the oldest of the window's calls leaves it.
      await clock.tick(1_000 - 300 - 1);
      expect(await waiting(boss)).toMatchObject({ ready: 3 });
      expect(reads).toEqual([]);
      // The last look (at the third arrival) planned the next for the moment the oldest call leaves: no polling between.
      expect(decisions.at(-1)).toEqual({ fetchBatches: 0, reason: 'grouping', holdMs: 200, nextCheckMs: 800, shareInUse: 1 });
      // Then all three go in one batch, at the moment the batch fits.
      await clock.tick(1);
      await leadsDone(ids);
      expect(reads).toEqual([start + 1_000]);
      expect(batchReads() - before).toBe(1);
      expect(decisions.at(-1)).toMatchObject({ reason: 'within_share', holdMs: 0 });
    });
  });

  it('the share spent again by its own read, holds the next arrival until the next call leaves', async () => {
    const clock = new TestClock();
    const start = clock.now();
    const otherCalls = Array.from({ length: 4 }, (_, i) => start - 9_500 + i * 1_000);
    await withPacedWorker(clock, otherCalls, async ({ arrive, reads }) => {
      const [first, second] = qualifying(2);
      // One call of room: the first goes at once and its read fills the share.
      await arrive([first!]);
      await clock.tick(0);
      await leadsDone([first!]);
      expect(reads).toEqual([start]);
      // The next waits for the oldest call to leave (500 ms from the start), not a fixed gap.
      await clock.tick(100);
      await arrive([second!]);
      await clock.tick(399);
      expect(reads).toEqual([start]);
      await clock.tick(1);
      await leadsDone([second!]);
      expect(reads).toEqual([start, start + 500]);
    });
  });
});
