import type { Queryable } from './database.ts';

/** Reads one named value; undefined when never written. */
export async function readSyncState<T>(db: Queryable, key: string): Promise<T | undefined> {
  const result = await db.query<{ value: T }>('SELECT value FROM sync_state WHERE key = $1', [key]);
  return result.rows[0]?.value;
}

export async function writeSyncState(db: Queryable, key: string, value: unknown): Promise<void> {
  await db.query(
    `INSERT INTO sync_state (key, value) VALUES ($1, $2::jsonb)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [key, JSON.stringify(value)],
  );
}
