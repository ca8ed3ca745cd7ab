import { describe, expect, it } from '@jest/globals';
import type { PgBoss } from 'pg-boss';
import { type ResumeParkedDeps, resumeParked } from '../../src/jobs/parked/resume-parked.ts';
import { startParkedResumeWorker } from '../../src/jobs/parked-resume-worker.ts';
import { silentLogger } from '../../src/log.ts';
import { createJobQueue } from '../../src/store/job-queue.ts';
import { getParked, park } from '../../src/store/parked.ts';
import { eventually } from '../e2e/support/service-process.ts';
import { MAX_AUTO_REPLAYS, type ReplayWorld, useReplayWorld } from './support/replay-world.ts';

describe('automatic resume of parked work', () => {
  let w: ReplayWorld;
  let n = 0;
  useReplayWorld((world) => (w = world));

  /** A controllable stand-in for the budget and login checks another part of the service provides. */
  function conditions() {
    const available = new Set<string>();
    const asked: string[] = [];
    const isAvailable = async (waitingFor: string) => {
      asked.push(waitingFor);
      if (waitingFor === 'broken_check') throw new Error('check unavailable');
      return available.has(waitingFor);
    };
    return { available, asked, isAvailable };
  }
  const deps = (isAvailable: ResumeParkedDeps['isAvailable']): ResumeParkedDeps => ({
    db: w.fresh.db,
    replay: w.replay,
    isAvailable,
    maxAutoReplays: MAX_AUTO_REPLAYS,
    logger: silentLogger(),
  });
  async function parkedFor(waitingFor: string | undefined, options: { attempts?: number } = {}) {
    const contactId = w.hubspot.createContact({
      email: `resume-${++n}@resume.example`,
      lastname: `Resume ${n}`,
      company: 'Resume Co',
      demo_requested: 'true',
    });
    const context = { code: 'REQUEST_LIMIT_EXCEEDED', ...(waitingFor ? { waitingFor } : {}) };
    const continues = options.attempts ? { chainId: '1', attempts: options.attempts - 1 } : undefined;
    const item = await park(w.fresh.db, {
      kind: 'handoff',
      recordKey: contactId,
      provider: 'salesforce',
      message: 'REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.',
      context,
      ...(continues ? { continues } : {}),
    });
    return { contactId, item };
  }

  it('replays items whose condition holds again, asks each condition once per pass, and leaves the rest', async () => {
    const budgetA = await parkedFor('salesforce_budget');
    const budgetB = await parkedFor('salesforce_budget');
    const auth = await parkedFor('salesforce_auth');
    const broken = await parkedFor('broken_check');
    const byHand = await parkedFor(undefined);
    const tooOften = await parkedFor('salesforce_budget', { attempts: MAX_AUTO_REPLAYS + 1 });
    const check = conditions();

    expect(await resumeParked(deps(check.isAvailable))).toEqual({
      conditions: { salesforce_budget: false, salesforce_auth: false, broken_check: false },
      replayed: 0,
      failed: 0,
    });
    expect(check.asked.sort()).toEqual(['broken_check', 'salesforce_auth', 'salesforce_budget']);

    check.available.add('salesforce_budget');
    expect(await resumeParked(deps(check.isAvailable))).toMatchObject({
      conditions: { salesforce_budget: true, salesforce_auth: false },
      replayed: 2,
      failed: 0,
    });
    expect(w.queued).toEqual([budgetA.contactId, budgetB.contactId]);
    expect(await w.runQueued()).toEqual({ handed_off: 2 });
    expect(w.leadsFor(budgetA.contactId)).toHaveLength(1);
    expect(w.leadsFor(budgetB.contactId)).toHaveLength(1);
    for (const { item } of [auth, broken, byHand, tooOften]) expect((await getParked(w.fresh.db, item.id))?.resolvedAt).toBeNull();
    const [view] = (await w.parked.list({ open: false, kind: 'handoff' })).filter((i) => i.id === budgetA.item.id);
    expect(view!.replays).toEqual([expect.objectContaining({ actor: 'auto-resume', outcome: 'handed_off' })]);
    expect((await w.parked.list({ open: true, waitingFor: 'salesforce_budget' })).map((i) => [i.id, i.needsPerson])).toEqual([
      [tooOften.item.id, true],
    ]);

    // The next pass has nothing left for the budget; a person can still replay the one that needs them.
    expect((await resumeParked(deps(check.isAvailable))).replayed).toBe(0);
    expect(await w.parked.retry(tooOften.item.id, 'admin')).toMatchObject({ status: 'replayed' });
    w.queued.splice(0);
  });

  it('runs as a periodic job on the queue and resumes what waits once the condition holds', async () => {
    const waiting = await parkedFor('hubspot_budget');
    const boss: PgBoss = await createJobQueue(w.fresh.db, { logger: silentLogger() });
    const check = conditions();
    check.available.add('hubspot_budget');
    const job = await startParkedResumeWorker(boss, deps(check.isAvailable), 60_000);
    try {
      await eventually(
        async () => ((await getParked(w.fresh.db, waiting.item.id))?.resolvedAt ? true : undefined),
        20_000,
        'the waiting item resumed',
      );
      expect(w.queued).toEqual([waiting.contactId]);
    } finally {
      job.stop();
      await boss.stop({ graceful: true, timeout: 5_000 });
    }
  });
});
