import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FailedAuthCounter } from '../../src/http/admin/failed-auth.ts';
import { REQUEST_BUDGETS } from '../../src/http/security.ts';
import { createLogger } from '../../src/log.ts';
import { type FreshDatabase, freshDatabase } from '../support/databases.ts';
import { ADMIN_TOKEN, signIn, startAdminApp } from './support/admin-app.ts';

/** Failed admin authentications are counted per client; past the limit the client waits out the window. */
const { limit, windowMs } = REQUEST_BUDGETS.adminFailedAuth;
let fresh: FreshDatabase;
let clock = Date.parse('2026-12-07T09:00:00Z');
let app: Awaited<ReturnType<typeof startAdminApp>>;
let nextClient = 0;
const logLines: string[] = [];

beforeAll(async () => {
  fresh = await freshDatabase();
  const stream = new Writable({
    write: (chunk, _encoding, done) => {
      logLines.push(String(chunk));
      done();
    },
  });
  app = await startAdminApp({ db: fresh.db, now: () => clock, logger: createLogger('info', stream) });
});
afterAll(async () => {
  await app?.close();
  await fresh?.cleanup();
});

/** Another client address behind the trusted local proxy, so each test starts with a clean count. */
const newClient = () => {
  nextClient += 1;
  return `10.20.0.${nextClient}`;
};
const call = (client: string, headers: Record<string, string>) =>
  fetch(`${app.url}/api/config/versions`, { headers: { 'x-forwarded-for': client, ...headers } });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const statusOf = async (client: string, headers: Record<string, string>) => (await call(client, headers)).status;

describe('failed admin authentications', () => {
  it(`answers 429 after ${limit} wrong bearer tokens, even to the right one, until the window ends`, async () => {
    const client = newClient();
    for (let i = 0; i < limit; i += 1) expect(await statusOf(client, bearer(`guess-${i}`))).toBe(401);
    const blocked = await call(client, bearer(ADMIN_TOKEN));
    expect(blocked.status).toBe(429);
    expect(((await blocked.json()) as { error: { code: string } }).error.code).toBe('auth_rate_limited');
    expect(blocked.headers.get('retry-after')).toBe(String(windowMs / 1000));
    clock += windowMs - 1;
    expect(await statusOf(client, bearer(ADMIN_TOKEN))).toBe(429);
    clock += 1;
    expect(await statusOf(client, bearer(ADMIN_TOKEN))).toBe(200);
  });

  it('logs once, with the client and without what it sent, when a client reaches the limit', async () => {
    const client = newClient();
    const before = logLines.length;
    for (let i = 0; i <= limit + 2; i += 1) await call(client, bearer(`secret-guess-${i}`));
    const lines = logLines.slice(before).map((line) => JSON.parse(line) as { level: string; message: string; client?: string });
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', client, message: expect.stringContaining('too many failures') })]);
    expect(logLines.join('')).not.toContain('secret-guess');
  });

  it('leaves another client alone', async () => {
    const guesser = newClient();
    for (let i = 0; i <= limit; i += 1) await call(guesser, bearer(`guess-${i}`));
    expect(await statusOf(guesser, bearer(ADMIN_TOKEN))).toBe(429);
    const operator = newClient();
    expect(await statusOf(operator, bearer(ADMIN_TOKEN))).toBe(200);
    expect(await statusOf(operator, bearer('one-typo'))).toBe(401);
  });

  it('lets the right token through below the limit, and never counts successes or missing credentials', async () => {
    const client = newClient();
    for (let i = 0; i < limit - 1; i += 1) expect(await statusOf(client, bearer(`guess-${i}`))).toBe(401);
    expect(await statusOf(client, bearer(ADMIN_TOKEN))).toBe(200);
    for (let i = 0; i < limit * 3; i += 1) expect(await statusOf(client, bearer(ADMIN_TOKEN))).toBe(200);
    for (let i = 0; i < limit * 3; i += 1) expect(await statusOf(client, {})).toBe(401);
    expect(await statusOf(client, bearer(ADMIN_TOKEN))).toBe(200);
    // The last failure allowed in this window is still a 401; the one after it is not.
    expect(await statusOf(client, bearer('last-guess'))).toBe(401);
    expect(await statusOf(client, bearer(ADMIN_TOKEN))).toBe(429);
  });

  it('counts unknown session cookies as failures too', async () => {
    const client = newClient();
    const { cookie } = await signIn(app.url, { 'x-forwarded-for': client });
    for (let i = 0; i < limit; i += 1) expect(await statusOf(client, { cookie: `handoff_admin=${'A'.repeat(42)}${i % 10}` })).toBe(401);
    expect(await statusOf(client, { cookie })).toBe(429);
    expect(await statusOf(newClient(), { cookie })).toBe(200);
  });
});

describe('failure counter memory', () => {
  it('keeps at most its number of clients, dropping ended windows first and then the oldest', () => {
    let now = 0;
    const counter = new FailedAuthCounter({ windowMs: 1_000, limit: 1 }, () => now, 2);
    expect(counter.fail('a')).toBe(true);
    now = 500;
    counter.fail('b');
    now = 1_000; // a's window has ended, b's has not
    counter.fail('c');
    expect(counter.retryAfterMs('b')).toBe(500);
    expect(counter.retryAfterMs('c')).toBe(1_000);
    counter.fail('d'); // nothing has ended: the oldest (b) goes
    expect(counter.retryAfterMs('b')).toBeUndefined();
    expect(counter.retryAfterMs('c')).toBe(1_000);
    expect(counter.retryAfterMs('d')).toBe(1_000);
  });
});
