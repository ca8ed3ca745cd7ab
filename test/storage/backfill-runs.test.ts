import { describe, expect, it } from '@jest/globals';
import { emptyCounts } from '../../src/core/backfill/counts.ts';
import {
  activeRun,
  claimRun,
  commitProgress,
  createRun,
  getRun,
  listRuns,
  type NewBackfillRun,
  releaseRun,
  reopenRun,
  requestCancel,
} from '../../src/store/backfill-runs.ts';
import type { Database } from '../../src/store/database.ts';
import { appendHistory, historyForContact } from '../../src/store/history.ts';
import { useFreshDatabase } from '../support/databases.ts';

const NEW: NewBackfillRun = {
  mode: 'handoff',
  filter: { createdAfter: '2026-01-01T00:00:00.000Z' },
  dryRun: false,
  source: 'search',
  requestedBy: 'ada',
};
const counts = (read: number, handedOff = 0) => ({ ...emptyCounts(), read, handedOff, qualified: handedOff });

describe('backfill runs', () => {
  let db: Database;
  useFreshDatabase((opened) => {
    db = opened;
  });

  it('keeps one active run: a second start is refused and names the active one', async () => {
    const first = await createRun(db, NEW);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.run).toMatchObject({
      mode: 'handoff',
      status: 'queued',
      dryRun: false,
      source: 'search',
      requestedBy: 'ada',
      checkpoint: { after: null, pages: 0 },
      total: null,
      attempts: 0,
    });
    expect(first.run.filter).toEqual({ createdAfter: '2026-01-01T00:00:00.000Z' });
    const second = await createRun(db, { ...NEW, mode: 'resync' });
    expect(second).toEqual({ ok: false, active: expect.objectContaining({ id: first.run.id }) });
    expect((await requestCancel(db, first.run.id))?.kind).toBe('cancelled');
    expect(await activeRun(db)).toBeUndefined();
  });

  it('commits progress only under the token of the worker that holds the run; a takeover starts from the checkpoint', async () => {
    const created = await createRun(db, NEW);
    if (!created.ok) throw new Error('not created');
    const id = created.run.id;
    const claimed = await claimRun(db, id, 'worker-a');
    expect(claimed).toMatchObject({ status: 'running', attempts: 1, readAtResume: 0 });
    expect(claimed?.startedAt).toBeInstanceOf(Date);
    expect(
      await commitProgress(db, id, 'worker-a', {
        checkpoint: { after: '301', pages: 2 },
        counts: counts(200, 40),
        sample: [{ contactId: '7', verdict: 'handed off', reasons: ['demo request'] }],
        total: 1000,
      }),
    ).toBe(true);
    expect(await commitProgress(db, id, 'worker-x', { checkpoint: { after: '999', pages: 9 }, counts: counts(900), sample: [] })).toBe(
      false,
    );

    // The first worker died; another takes over from the committed checkpoint.
    const taken = await claimRun(db, id, 'worker-b');
    expect(taken).toMatchObject({ attempts: 2, readAtResume: 200, checkpoint: { after: '301', pages: 2 }, total: 1000 });
    expect(taken?.counts).toMatchObject({ read: 200, handedOff: 40 });
    expect(await commitProgress(db, id, 'worker-a', { checkpoint: { after: '401', pages: 3 }, counts: counts(300), sample: [] })).toBe(
      false,
    );
    expect(await commitProgress(db, id, 'worker-b', { checkpoint: { after: '401', pages: 3 }, counts: counts(300, 60), sample: [] })).toBe(
      true,
    );
    expect(await releaseRun(db, id, 'worker-a', 'done')).toBe(false);
    expect(await releaseRun(db, id, 'worker-b', 'done')).toBe(true);
    const done = await getRun(db, id);
    expect(done).toMatchObject({
      status: 'done',
      counts: expect.objectContaining({ read: 300, handedOff: 60 }),
      checkpoint: { after: '401', pages: 3 },
    });
    expect(done?.finishedAt).toBeInstanceOf(Date);
    expect(await reopenRun(db, id)).toMatchObject({ kind: 'done' });
  });

  it('rolls the checkpoint back with the page effects it was committed with', async () => {
    const created = await createRun(db, NEW);
    if (!created.ok) throw new Error('not created');
    await claimRun(db, created.run.id, 'w');
    await expect(
      db.transaction(async (tx) => {
        await appendHistory(tx, [{ hubspotContactId: 'rollback-1', action: 'handed_off' }]);
        await commitProgress(tx, created.run.id, 'w', { checkpoint: { after: '101', pages: 1 }, counts: counts(100), sample: [] });
        throw new Error('crash before commit');
      }),
    ).rejects.toThrow('crash before commit');
    expect(await historyForContact(db, 'rollback-1')).toEqual([]);
    expect(await getRun(db, created.run.id)).toMatchObject({
      checkpoint: { after: null, pages: 0 },
      counts: expect.objectContaining({ read: 0 }),
    });
    await releaseRun(db, created.run.id, 'w', 'failed', 'HubSpot refused the token');
  });

  it('cancels a running run through its worker, and resumes a cancelled or failed one from its checkpoint', async () => {
    const failed = (await listRuns(db)).find((run) => run.status === 'failed')!;
    expect(failed.error).toBe('HubSpot refused the token');
    const created = await createRun(db, { ...NEW, mode: 'resync', dryRun: true, source: 'links' });
    if (!created.ok) throw new Error('not created');
    const id = created.run.id;
    await claimRun(db, id, 'w1');
    await commitProgress(db, id, 'w1', { checkpoint: { after: 'c-50', pages: 1 }, counts: counts(50), sample: [] });
    expect(await reopenRun(db, failed.id)).toMatchObject({ kind: 'conflict', active: { id } });
    const asked = await requestCancel(db, id);
    expect(asked).toMatchObject({ kind: 'requested', run: { status: 'running', cancelRequested: true } });
    expect(await releaseRun(db, id, 'w1', 'cancelled')).toBe(true);
    expect(await requestCancel(db, id)).toMatchObject({ kind: 'over', run: { status: 'cancelled' } });

    const reopened = await reopenRun(db, id);
    expect(reopened).toMatchObject({
      kind: 'reopened',
      run: { status: 'queued', cancelRequested: false, checkpoint: { after: 'c-50', pages: 1 }, error: null },
    });
    expect(await reopenRun(db, id)).toMatchObject({ kind: 'active' });
    expect(await requestCancel(db, '999999')).toBeUndefined();
    expect((await listRuns(db, 2)).map((run) => run.id)).toEqual([id, failed.id]);
  });
});
