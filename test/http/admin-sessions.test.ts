import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SESSION_TTL_MS } from '../../src/http/admin/sessions.ts';
import { silentLogger } from '../../src/log.ts';
import { type Database, openDatabase } from '../../src/store/database.ts';
import { type FreshDatabase, freshDatabase } from '../support/databases.ts';
import { signIn, startAdminApp } from './support/admin-app.ts';

/** Sessions kept in PostgreSQL: signing out ends them on every replica, and so does rotating the admin token. */
let fresh: FreshDatabase;
let secondPool: Database;
let clock = Date.parse('2026-12-07T09:00:00Z');
const now = () => clock;
type App = Awaited<ReturnType<typeof startAdminApp>>;
let replicaA: App;
let replicaB: App;
let rotated: App;

beforeAll(async () => {
  fresh = await freshDatabase();
  // The second replica has its own connection pool to the same database, as another process would.
  secondPool = await openDatabase({ databaseUrl: fresh.databaseUrl, logger: silentLogger(), migrate: false });
  replicaA = await startAdminApp({ db: fresh.db, now });
  replicaB = await startAdminApp({ db: secondPool, now });
  rotated = await startAdminApp({ db: fresh.db, now, adminToken: 'a-new-admin-token-after-rotation-0123456789' });
});

afterAll(async () => {
  await Promise.all([replicaA, replicaB, rotated].map((app) => app?.close()));
  await secondPool?.close();
  await fresh?.cleanup();
});

const versions = (app: App, cookie: string) => fetch(`${app.url}/api/config/versions`, { headers: { cookie } }).then((r) => r.status);
const logout = (app: App, cookie: string) =>
  fetch(`${app.url}/admin/logout`, {
    method: 'POST',
    headers: { cookie, origin: app.url, 'content-type': 'application/json' },
    body: '{}',
  });
const storedSessions = async () =>
  (await fresh.db.query<{ id_hash: Buffer }>('SELECT id_hash FROM admin_sessions')).rows.map((row) => row.id_hash.toString('hex'));
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('admin sessions on the server', () => {
  it('ends a session on every replica when it signs out on one', async () => {
    const { cookie } = await signIn(replicaA.url);
    expect(await versions(replicaA, cookie)).toBe(200);
    expect(await versions(replicaB, cookie)).toBe(200);

    const out = await logout(replicaB, cookie);
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^handoff_admin=;.*Expires=Thu, 01 Jan 1970/);
    expect(await versions(replicaA, cookie)).toBe(401);
    expect(await versions(replicaB, cookie)).toBe(401);
  });

  it('keeps only the SHA-256 of the random session id', async () => {
    const { cookie } = await signIn(replicaA.url);
    const value = cookie.slice('handoff_admin='.length);
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await storedSessions()).toContain(sha256(value));
    const raw = await fresh.db.query<{ text: string }>('SELECT t::text AS text FROM admin_sessions t');
    expect(raw.rows.some((row) => row.text.includes(value) || row.text.includes(Buffer.from(value).toString('hex')))).toBe(false);
    await logout(replicaA, cookie);
    expect(await storedSessions()).not.toContain(sha256(value));
  });

  it('refuses every session opened before the admin token was rotated, and forgets it', async () => {
    const { cookie } = await signIn(replicaA.url);
    const value = cookie.slice('handoff_admin='.length);
    expect(await versions(rotated, cookie)).toBe(401);
    expect(await storedSessions()).not.toContain(sha256(value));
    expect(await versions(replicaA, cookie)).toBe(401);
  });

  it('ends a session after eight hours, and the next sign-in sweeps ended ones away', async () => {
    const { cookie } = await signIn(replicaA.url);
    const left = await signIn(replicaA.url);
    const leftHash = sha256(left.cookie.slice('handoff_admin='.length));
    clock += SESSION_TTL_MS - 1;
    expect(await versions(replicaA, cookie)).toBe(200);
    clock += 1;
    expect(await versions(replicaA, cookie)).toBe(401);
    // The other one, never used again, is removed by the next sign-in.
    expect(await storedSessions()).toContain(leftHash);
    await signIn(replicaB.url);
    expect(await storedSessions()).not.toContain(leftHash);
  });
});

describe('session cookie', () => {
  it('is HttpOnly, SameSite=Strict and not Secure over plain http', async () => {
    const { setCookie } = await signIn(replicaA.url);
    expect(setCookie).toMatch(/^handoff_admin=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).not.toContain('Secure');
  });

  it('is Secure when the request came over https through a trusted proxy', async () => {
    const { setCookie } = await signIn(replicaA.url, { 'x-forwarded-proto': 'https' });
    expect(setCookie).toContain('Secure');
  });

  it('is Secure when PUBLIC_BASE_URL is https, whatever the proxy forwards', async () => {
    const behindTls = await startAdminApp({ db: fresh.db, now, publicBaseUrl: 'https://handoff.example.com' });
    try {
      const { setCookie } = await signIn(behindTls.url);
      expect(setCookie).toContain('Secure');
    } finally {
      await behindTls.close();
    }
  });
});
