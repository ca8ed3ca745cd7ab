import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  assertLeaseHeld,
  claimLease,
  LeaseLostError,
  readCdcState,
  readReplayId,
  releaseLease,
  renewLease,
  setCdcStatus,
  writeReplayId,
} from '../../src/store/cdc-lease.ts';
import type { Database } from '../../src/store/database.ts';
import { useFreshDatabase } from '../support/databases.ts';

const NAME = 'salesforce-cdc';
const TOPIC = '/data/LeadChangeEvent';
/** Makes a lease lapse now, as a crashed holder's does once its time runs out: no waiting in a test. */
const lapse = (db: Database) => db.query("UPDATE cdc_lease SET expires_at = now() - interval '1 second'");

describe('the change-event subscriber lease', () => {
  let db: Database;
  useFreshDatabase((opened) => {
    db = opened;
  });
  beforeEach(async () => {
    await db.query('DELETE FROM cdc_lease');
    await db.query('DELETE FROM cdc_replay');
  });

  it('one replica holds it; another takes it over only once it lapses, with the next epoch', async () => {
    const a = await claimLease(db, NAME, 'replica-a', 10_000);
    expect(a).toEqual({ name: NAME, holder: 'replica-a', epoch: 1 });
    expect(await claimLease(db, NAME, 'replica-b', 10_000)).toBeUndefined();
    await lapse(db);
    const b = await claimLease(db, NAME, 'replica-b', 10_000);
    expect(b).toEqual({ name: NAME, holder: 'replica-b', epoch: 2 });
    expect(await renewLease(db, a!, 10_000)).toBe(false);
    expect(await renewLease(db, b!, 10_000)).toBe(true);
  });

  it('fences the old holder: its replay id write rolls its whole transaction back', async () => {
    const a = (await claimLease(db, NAME, 'replica-a', 10_000))!;
    await db.transaction((tx) => writeReplayId(tx, a, TOPIC, Buffer.from([0, 0, 0, 1])));
    await lapse(db);
    const b = (await claimLease(db, NAME, 'replica-b', 10_000))!;
    const late = db.transaction(async (tx) => {
      await tx.query("INSERT INTO sync_state (key, value) VALUES ('effect-of-a', '1'::jsonb)");
      await writeReplayId(tx, a, TOPIC, Buffer.from([0, 0, 0, 9]));
    });
    await expect(late).rejects.toBeInstanceOf(LeaseLostError);
    expect((await db.query("SELECT 1 FROM sync_state WHERE key = 'effect-of-a'")).rows).toEqual([]);
    expect(await readReplayId(db, TOPIC)).toEqual(Buffer.from([0, 0, 0, 1]));
    await db.transaction((tx) => writeReplayId(tx, b, TOPIC, Buffer.from([0, 0, 0, 2])));
    expect(await readReplayId(db, TOPIC)).toEqual(Buffer.from([0, 0, 0, 2]));
  });

  it('a takeover waits for the holder’s open transaction to commit (share lock on the lease row)', async () => {
    const a = (await claimLease(db, NAME, 'replica-a', 10_000))!;
    await lapse(db);
    let committed = false;
    let releaseTx!: () => void;
    const held = new Promise<void>((resolve) => {
      releaseTx = resolve;
    });
    let fenced!: () => void;
    const fencePassed = new Promise<void>((resolve) => {
      fenced = resolve;
    });
    const holder = db.transaction(async (tx) => {
      await assertLeaseHeld(tx, a);
      fenced();
      await held;
      committed = true;
    });
    await fencePassed;
    let settled = false;
    const takeover = claimLease(db, NAME, 'replica-b', 10_000).then((claim) => {
      settled = true;
      return { claim, sawCommit: committed };
    });
    // The takeover's UPDATE is seen queued behind the share lock (the database says so), not assumed after a sleep.
    let waiting = 0;
    for (let tries = 0; tries < 500 && waiting === 0; tries += 1) {
      const result = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
      );
      waiting = result.rows[0]!.n;
    }
    const seenBeforeCommit = { waiting, settled };
    releaseTx();
    await holder;
    expect(seenBeforeCommit).toEqual({ waiting: 1, settled: false });
    expect(await takeover).toEqual({ claim: { name: NAME, holder: 'replica-b', epoch: 2 }, sawCommit: true });
  });

  it('a clean stop gives the lease up at once and says so', async () => {
    const a = (await claimLease(db, NAME, 'replica-a', 60_000))!;
    await setCdcStatus(db, a, 'live');
    expect(await readCdcState(db, NAME)).toMatchObject({ status: 'live', held: true });
    await releaseLease(db, a);
    expect(await readCdcState(db, NAME)).toMatchObject({ status: 'stopped', held: false });
    expect(await claimLease(db, NAME, 'replica-b', 60_000)).toMatchObject({ epoch: 2 });
  });

  it('a status keeps its since while only the detail changes', async () => {
    const a = (await claimLease(db, NAME, 'replica-a', 60_000))!;
    await setCdcStatus(db, a, 'reconnecting', 'first');
    const first = (await readCdcState(db, NAME))!;
    await setCdcStatus(db, a, 'reconnecting', 'second');
    const second = (await readCdcState(db, NAME))!;
    expect(second).toMatchObject({ status: 'reconnecting', detail: 'second' });
    expect(second.since).toEqual(first.since);
  });
});
