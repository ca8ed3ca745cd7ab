import type { Queryable } from './database.ts';

/** The lease's name: one change-event subscriber per deployment. */
export const CHANGE_EVENT_LEASE = 'salesforce-cdc';

/** The right to run the one Change Data Capture subscriber: who holds it, and the epoch its writes are fenced by. */
export interface LeaseClaim {
  name: string;
  holder: string;
  epoch: number;
}

/** Which path carries Salesforce changes, as the subscriber last said (cdc_lease.status). */
export type CdcStatus = 'starting' | 'live' | 'catching-up' | 'reconnecting' | 'unavailable' | 'stopped';

export interface CdcState {
  status: CdcStatus;
  detail: string | null;
  since: Date;
  /** Whether a holder's lease is current (a lapsed one means no replica runs the subscriber). */
  held: boolean;
}

/** A write of a subscriber whose lease another replica has taken since: it must not land. */
export class LeaseLostError extends Error {
  constructor(claim: LeaseClaim) {
    super(`the ${claim.name} lease (epoch ${claim.epoch}) is no longer held by this replica`);
    this.name = 'LeaseLostError';
  }
}

/**
 * Takes the lease when nobody holds it or the holder's lapsed, with the next epoch; undefined while another replica
 * holds it. Times are the database's, so replicas with skewed clocks agree on who holds it.
 */
export async function claimLease(db: Queryable, name: string, holder: string, ttlMs: number): Promise<LeaseClaim | undefined> {
  const result = await db.query<{ epoch: string }>(
    `INSERT INTO cdc_lease (name, holder, epoch, expires_at, status, status_since)
       VALUES ($1, $2, 1, now() + $3 * interval '1 millisecond', 'starting', now())
     ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, epoch = cdc_lease.epoch + 1,
       expires_at = EXCLUDED.expires_at, status = 'starting', detail = NULL, status_since = now()
       WHERE cdc_lease.expires_at <= now()
     RETURNING epoch`,
    [name, holder, ttlMs],
  );
  const epoch = result.rows[0]?.epoch;
  return epoch === undefined ? undefined : { name, holder, epoch: Number(epoch) };
}

/** Extends the lease; false when another replica has taken it (then this one must stop at once). */
export async function renewLease(db: Queryable, claim: LeaseClaim, ttlMs: number): Promise<boolean> {
  const result = await db.query(
    `UPDATE cdc_lease SET expires_at = now() + $4 * interval '1 millisecond'
      WHERE name = $1 AND holder = $2 AND epoch = $3`,
    [claim.name, claim.holder, claim.epoch, ttlMs],
  );
  return result.rowCount === 1;
}

/** Gives the lease up on a clean stop, so a standby takes over at its next try instead of after the lease lapses. */
export async function releaseLease(db: Queryable, claim: LeaseClaim): Promise<void> {
  await db.query(
    `UPDATE cdc_lease SET expires_at = now(), status = 'stopped', status_since = now()
      WHERE name = $1 AND holder = $2 AND epoch = $3`,
    [claim.name, claim.holder, claim.epoch],
  );
}

/**
 * The fence: inside a transaction, holds a share lock on the lease row (a takeover waits for this commit) and throws
 * LeaseLostError when the row names another holder or epoch, which rolls the whole transaction back.
 */
export async function assertLeaseHeld(tx: Queryable, claim: LeaseClaim): Promise<void> {
  const result = await tx.query<{ holder: string; epoch: string }>('SELECT holder, epoch FROM cdc_lease WHERE name = $1 FOR SHARE', [
    claim.name,
  ]);
  const row = result.rows[0];
  if (!row || row.holder !== claim.holder || Number(row.epoch) !== claim.epoch) throw new LeaseLostError(claim);
}

/** Says which path is live; a status change restarts `since`, the same status with a new detail keeps it. */
export async function setCdcStatus(db: Queryable, claim: LeaseClaim, status: CdcStatus, detail?: string): Promise<boolean> {
  const result = await db.query(
    `UPDATE cdc_lease SET detail = $5,
       status_since = CASE WHEN status = $4 THEN status_since ELSE now() END, status = $4
      WHERE name = $1 AND holder = $2 AND epoch = $3`,
    [claim.name, claim.holder, claim.epoch, status, detail ?? null],
  );
  return result.rowCount === 1;
}

export async function readCdcState(db: Queryable, name: string): Promise<CdcState | undefined> {
  const result = await db.query<{ status: CdcStatus; detail: string | null; status_since: Date; held: boolean }>(
    'SELECT status, detail, status_since, expires_at > now() AS held FROM cdc_lease WHERE name = $1',
    [name],
  );
  const row = result.rows[0];
  return row && { status: row.status, detail: row.detail, since: new Date(row.status_since), held: row.held };
}

/** The replay id a topic's stream resumes after; undefined before the first event was recorded. */
export async function readReplayId(db: Queryable, topic: string): Promise<Buffer | undefined> {
  const result = await db.query<{ replay_id: Buffer }>('SELECT replay_id FROM cdc_replay WHERE topic = $1', [topic]);
  return result.rows[0]?.replay_id;
}

/** Records where a topic resumes, fenced: call it inside the transaction that records the events' effects. */
export async function writeReplayId(tx: Queryable, claim: LeaseClaim, topic: string, replayId: Buffer): Promise<void> {
  await assertLeaseHeld(tx, claim);
  await tx.query(
    `INSERT INTO cdc_replay (topic, replay_id, epoch) VALUES ($1, $2, $3)
     ON CONFLICT (topic) DO UPDATE SET replay_id = EXCLUDED.replay_id, epoch = EXCLUDED.epoch, updated_at = now()`,
    [topic, replayId, claim.epoch],
  );
}

/** Forgets where a topic resumes (a replay id Salesforce refused): the next stream starts at the tip. */
export async function clearReplayId(tx: Queryable, claim: LeaseClaim, topic: string): Promise<void> {
  await assertLeaseHeld(tx, claim);
  await tx.query('DELETE FROM cdc_replay WHERE topic = $1', [topic]);
}
