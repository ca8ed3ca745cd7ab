import type { Database, Queryable } from './database.ts';

/** One rolling window to keep to: `max` slots, each reusable `spacingMs` (window + safety margin) after its last use. */
export interface SlotBucket {
  bucket: string;
  max: number;
  spacingMs: number;
  /** The priority of the call taking the slot, kept on it (see priorityCallStarts); default none. */
  priority?: string;
}

export interface SlotGrant {
  /** When the call may start (epoch ms, database clock). */
  at: number;
  /** The database clock when the slots were taken; `at - now` is the wait. */
  now: number;
  /** The slots taken, one per bucket (to re-stamp them if the call ends well after `at`). */
  slots: { bucket: string; slot: number }[];
}

const NOW_MS = `extract(epoch FROM clock_timestamp()) * 1000`;

/** Creates the slot rows of a bucket (idempotent; a raised `max` adds rows, a lowered one leaves extras unused). */
export async function ensureSlots(db: Queryable, bucket: string, max: number): Promise<void> {
  await db.query(`INSERT INTO api_rate_slots (bucket, slot) SELECT $1, generate_series(0, $2::int - 1) ON CONFLICT DO NOTHING`, [
    bucket,
    max,
  ]);
}

/**
 * Takes, in one transaction, the least recently used free slot of every bucket and stamps them all with the
 * one start time that respects each: greatest(now, slot time + spacing). Undefined when a bucket has no
 * unlocked slot this instant (every slot is being taken by a concurrent caller): try again shortly.
 */
export async function takeSlots(db: Database, buckets: readonly SlotBucket[]): Promise<SlotGrant | undefined> {
  if (buckets.length === 1) return takeOneSlot(db, buckets[0]!);
  return db.transaction(async (tx) => {
    const now = Number((await tx.query<{ now: number }>(`SELECT ${NOW_MS} AS now`)).rows[0]?.now);
    const picked: { bucket: string; slot: number; priority: string | null }[] = [];
    let at = now;
    for (const { bucket, max, spacingMs, priority } of buckets) {
      const row = (
        await tx.query<{ slot: number; granted_at: number }>(
          `SELECT slot, granted_at FROM api_rate_slots WHERE bucket = $1 AND slot < $2
         ORDER BY granted_at, slot LIMIT 1 FOR UPDATE SKIP LOCKED`,
          [bucket, max],
        )
      ).rows[0];
      if (!row) return undefined;
      picked.push({ bucket, slot: row.slot, priority: priority ?? null });
      at = Math.max(at, Number(row.granted_at) + spacingMs);
    }
    for (const { bucket, slot, priority } of picked) {
      await tx.query('UPDATE api_rate_slots SET granted_at = $3, priority = $4 WHERE bucket = $1 AND slot = $2', [
        bucket,
        slot,
        at,
        priority,
      ]);
    }
    return { at, now, slots: picked.map(({ bucket, slot }) => ({ bucket, slot })) };
  });
}

/**
 * The usual case, one window: the same pick and stamp in a single statement (one round trip, no explicit
 * transaction), since the start time depends on that one slot alone.
 */
async function takeOneSlot(db: Queryable, { bucket, max, spacingMs, priority }: SlotBucket): Promise<SlotGrant | undefined> {
  const row = (
    await db.query<{ at: number; now: number; slot: number }>(
      `WITH clock AS (SELECT ${NOW_MS} AS now),
     picked AS (
       SELECT slot, granted_at FROM api_rate_slots WHERE bucket = $1 AND slot < $2
       ORDER BY granted_at, slot LIMIT 1 FOR UPDATE SKIP LOCKED
     )
     UPDATE api_rate_slots SET granted_at = greatest(clock.now, picked.granted_at + $3::double precision), priority = $4
     FROM picked, clock WHERE api_rate_slots.bucket = $1 AND api_rate_slots.slot = picked.slot
     RETURNING api_rate_slots.granted_at AS at, clock.now AS now, api_rate_slots.slot AS slot`,
      [bucket, max, spacingMs, priority ?? null],
    )
  ).rows[0];
  return row ? { at: Number(row.at), now: Number(row.now), slots: [{ bucket, slot: Number(row.slot) }] } : undefined;
}

/**
 * A call that ended well after its grant (a busy process sent it late, or the provider counted it late) moves
 * its slots' time to its end, so the next call on those slots keeps a full window from it, not from the grant.
 */
export async function restampSlots(db: Queryable, slots: readonly { bucket: string; slot: number }[], endedAt: number): Promise<void> {
  for (const { bucket, slot } of slots) {
    await db.query('UPDATE api_rate_slots SET granted_at = greatest(granted_at, $3::double precision) WHERE bucket = $1 AND slot = $2', [
      bucket,
      slot,
      endedAt,
    ]);
  }
}

/** No slot of `bucket` starts a call before `untilMs` (a 429 told us to wait): every replica backs off. */
export async function pauseSlots(db: Queryable, bucket: string, untilMs: number, spacingMs: number): Promise<void> {
  await db.query('UPDATE api_rate_slots SET granted_at = greatest(granted_at, $2::double precision - $3) WHERE bucket = $1', [
    bucket,
    untilMs,
    spacingMs,
  ]);
}

/** Calls started, or booked to start, within the last `windowMs` (for the gauges and the admin API). */
export async function slotsInUse(db: Queryable, bucket: string, windowMs: number): Promise<number> {
  const result = await db.query<{ used: string }>(
    `SELECT count(*)::text AS used FROM api_rate_slots WHERE bucket = $1 AND granted_at > ${NOW_MS} - $2`,
    [bucket, windowMs],
  );
  return Number(result.rows[0]?.used ?? 0);
}

/** Start times of a priority's calls within the last window of a bucket, and the database clock they were read at. */
export interface PriorityCallStarts {
  now: number;
  starts: number[];
}

/**
 * The calls of `priority` started, or booked to start, within the last `windowMs` of `bucket`, on every replica:
 * a slot is reused only a window after its last start, so the slots stamped within the window are its calls, each
 * once. One statement on a ring of at most a few hundred rows (the primary key's bucket prefix).
 */
export async function priorityCallStarts(db: Queryable, bucket: string, priority: string, windowMs: number): Promise<PriorityCallStarts> {
  const result = await db.query<{ now: number; starts: number[] | null }>(
    `WITH clock AS (SELECT ${NOW_MS} AS now)
     SELECT clock.now AS now,
            (SELECT array_agg(granted_at ORDER BY granted_at) FROM api_rate_slots
              WHERE bucket = $1 AND priority = $2 AND granted_at > clock.now - $3::double precision) AS starts
       FROM clock`,
    [bucket, priority, windowMs],
  );
  const row = result.rows[0];
  return { now: Number(row?.now), starts: (row?.starts ?? []).map(Number) };
}
