import type { Queryable } from './database-types.ts';

/** A stored admin session: the MAC tying it to the admin token, when it ends (epoch ms), and who signed in. */
export interface AdminSessionRow {
  tokenMac: Buffer;
  expiresAtMs: number;
  /** The name given at sign-in: the author of every change made in the session. */
  name: string;
}

export async function insertAdminSession(db: Queryable, idHash: Buffer, row: AdminSessionRow): Promise<void> {
  await db.query('INSERT INTO admin_sessions (id_hash, token_mac, expires_at, name) VALUES ($1, $2, $3, $4)', [
    idHash,
    row.tokenMac,
    new Date(row.expiresAtMs),
    row.name,
  ]);
}

export async function findAdminSession(db: Queryable, idHash: Buffer): Promise<AdminSessionRow | undefined> {
  const result = await db.query<{ token_mac: Buffer; expires_at: Date; name: string }>(
    'SELECT token_mac, expires_at, name FROM admin_sessions WHERE id_hash = $1',
    [idHash],
  );
  const row = result.rows[0];
  return row ? { tokenMac: row.token_mac, expiresAtMs: row.expires_at.getTime(), name: row.name } : undefined;
}

export async function deleteAdminSession(db: Queryable, idHash: Buffer): Promise<void> {
  await db.query('DELETE FROM admin_sessions WHERE id_hash = $1', [idHash]);
}

/** Removes the sessions that ended at or before `nowMs`; returns how many. */
export async function deleteExpiredAdminSessions(db: Queryable, nowMs: number): Promise<number> {
  return (await db.query('DELETE FROM admin_sessions WHERE expires_at <= $1', [new Date(nowMs)])).rowCount;
}
