import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  type AdminSessionRow,
  deleteAdminSession,
  deleteExpiredAdminSessions,
  findAdminSession,
  insertAdminSession,
} from '../../store/admin-sessions.ts';
import type { Queryable } from '../../store/database-types.ts';

export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
const TOKEN_MAC_CONTEXT = 'handoff-admin-session-v2';
/** 32 random bytes, base64url: 43 characters. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** Where sessions are kept, keyed by the SHA-256 of the cookie's id. */
export interface AdminSessionStore {
  insert(idHash: Buffer, row: AdminSessionRow): Promise<void>;
  find(idHash: Buffer): Promise<AdminSessionRow | undefined>;
  delete(idHash: Buffer): Promise<void>;
  deleteExpired(nowMs: number): Promise<number>;
}

/** Server-side admin sessions: signing out ends one on every replica, rotating ADMIN_TOKEN ends them all. */
export interface AdminSessions {
  /** A new session for the holder of `adminToken`, signed in as `name`: the cookie value and when it ends. */
  open(adminToken: string, nowMs: number, name: string): Promise<{ value: string; expiresAt: number }>;
  /** The live session the cookie value names, opened with this token (an ended one is removed), or undefined. */
  find(value: string, adminToken: string, nowMs: number): Promise<{ name: string } | undefined>;
  /** Whether the cookie value names a live session opened with this token. */
  isValid(value: string, adminToken: string, nowMs: number): Promise<boolean>;
  close(value: string): Promise<void>;
}

/** Sessions in PostgreSQL, seen by every replica on the same database. */
export function postgresSessionStore(db: Queryable): AdminSessionStore {
  return {
    insert: (idHash, row) => insertAdminSession(db, idHash, row),
    find: (idHash) => findAdminSession(db, idHash),
    delete: (idHash) => deleteAdminSession(db, idHash),
    deleteExpired: (nowMs) => deleteExpiredAdminSessions(db, nowMs),
  };
}

/** Sessions in this process only: for tests and tools that run a single process without the service's database. */
export function memorySessionStore(): AdminSessionStore {
  const rows = new Map<string, AdminSessionRow>();
  return {
    insert: async (idHash, row) => void rows.set(idHash.toString('hex'), row),
    find: async (idHash) => rows.get(idHash.toString('hex')),
    delete: async (idHash) => void rows.delete(idHash.toString('hex')),
    deleteExpired: async (nowMs) => {
      let removed = 0;
      for (const [key, row] of rows) if (row.expiresAtMs <= nowMs && rows.delete(key)) removed += 1;
      return removed;
    },
  };
}

export function createAdminSessions(store: AdminSessionStore): AdminSessions {
  const find: AdminSessions['find'] = async (value, adminToken, nowMs) => {
    if (!SESSION_ID.test(value)) return undefined;
    const idHash = hashOf(value);
    const row = await store.find(idHash);
    if (!row) return undefined;
    const expected = tokenMac(adminToken, idHash);
    const sameToken = row.tokenMac.length === expected.length && timingSafeEqual(row.tokenMac, expected);
    if (sameToken && row.expiresAtMs > nowMs) return { name: row.name };
    await store.delete(idHash);
    return undefined;
  };
  return {
    async open(adminToken, nowMs, name) {
      // Sign-ins are rare, so each one sweeps the ended sessions instead of a timer doing it.
      await store.deleteExpired(nowMs);
      const value = randomBytes(32).toString('base64url');
      const idHash = hashOf(value);
      const expiresAt = nowMs + SESSION_TTL_MS;
      await store.insert(idHash, { tokenMac: tokenMac(adminToken, idHash), expiresAtMs: expiresAt, name });
      return { value, expiresAt };
    },
    find,
    async isValid(value, adminToken, nowMs) {
      return (await find(value, adminToken, nowMs)) !== undefined;
    },
    async close(value) {
      if (SESSION_ID.test(value)) await store.delete(hashOf(value));
    },
  };
}

let processSessions: AdminSessions | undefined;
/**
 * The sessions the admin routers use when none are given: in this process's memory, shared by its routers. The
 * service always passes PostgreSQL-backed sessions; this default serves tests and single-process tools.
 */
export function processLocalSessions(): AdminSessions {
  processSessions ??= createAdminSessions(memorySessionStore());
  return processSessions;
}

function hashOf(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function tokenMac(adminToken: string, idHash: Buffer): Buffer {
  return createHmac('sha256', adminToken).update(TOKEN_MAC_CONTEXT).update(idHash).digest();
}
