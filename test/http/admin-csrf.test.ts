import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { PgBoss } from 'pg-boss';
import { createBackfillService } from '../../src/jobs/backfill/backfill-service.ts';
import { type FreshDatabase, freshDatabase } from '../support/databases.ts';
import { ADMIN_TOKEN, signIn, startAdminApp } from './support/admin-app.ts';

/**
 * A change made with the session cookie must come from this site as JSON: the browser attaches the cookie to
 * requests other sites start, so a foreign form or text/plain post must change nothing. The real backfill service
 * over a fresh database shows whether a run was started; its queue is a recorder.
 */
const PUBLIC = 'https://handoff.example.com';
const FOREIGN = 'https://evil.example';
let fresh: FreshDatabase;
let app: Awaited<ReturnType<typeof startAdminApp>>;
let cookie: string;
const queued: unknown[] = [];

beforeAll(async () => {
  fresh = await freshDatabase();
  const boss = {
    send: async (_name: string, data: unknown) => {
      queued.push(data);
      return 'job';
    },
  } as unknown as PgBoss;
  app = await startAdminApp({
    db: fresh.db,
    publicBaseUrl: PUBLIC,
    backfill: createBackfillService({ db: fresh.db, boss, now: () => new Date() }),
  });
  ({ cookie } = await signIn(app.url));
});
afterAll(async () => {
  await app?.close();
  await fresh?.cleanup();
});
beforeEach(async () => {
  // One run at a time: clear the last test's so each can start one.
  await fresh.db.query('DELETE FROM backfill_runs');
  queued.length = 0;
});

async function startBackfill(headers: Record<string, string>, body?: string) {
  const response = await fetch(`${app.url}/api/backfill`, { method: 'POST', headers, ...(body === undefined ? {} : { body }) });
  const runs = (await fresh.db.query('SELECT id FROM backfill_runs')).rowCount;
  return {
    status: response.status,
    code: ((await response.json()) as { error?: { code: string } }).error?.code,
    runs,
    queued: queued.length,
  };
}
const refused = (status: number, code: string) => ({ status, code, runs: 0, queued: 0 });
const started = { status: 202, code: undefined, runs: 1, queued: 1 };
const json = { 'content-type': 'application/json' };

describe('changes made with the session cookie', () => {
  it('refuses the empty cross-site POST /api/backfill that used to start a real backfill', async () => {
    expect(await startBackfill({ cookie, origin: FOREIGN })).toEqual(refused(403, 'cross_origin'));
    expect(await startBackfill({ cookie, origin: FOREIGN, 'content-type': 'text/plain' }, '')).toEqual(refused(403, 'cross_origin'));
  });

  it('refuses a cross-site form post and a cross-site JSON post', async () => {
    expect(await startBackfill({ cookie, origin: FOREIGN, 'content-type': 'application/x-www-form-urlencoded' }, 'mode=handoff')).toEqual(
      refused(403, 'cross_origin'),
    );
    expect(await startBackfill({ cookie, origin: FOREIGN, ...json }, '{}')).toEqual(refused(403, 'cross_origin'));
    expect(await startBackfill({ cookie, origin: 'null', ...json }, '{}')).toEqual(refused(403, 'cross_origin'));
  });

  it('judges by the Referer when there is no Origin, and refuses a change with neither', async () => {
    expect(await startBackfill({ cookie, referer: `${FOREIGN}/page`, ...json }, '{}')).toEqual(refused(403, 'cross_origin'));
    expect(await startBackfill({ cookie, ...json }, '{}')).toEqual(refused(403, 'origin_required'));
    expect(await startBackfill({ cookie, referer: `${app.url}/admin/`, ...json }, '{}')).toEqual(started);
  });

  it('refuses anything but JSON from this site with 415', async () => {
    expect(await startBackfill({ cookie, origin: app.url, 'content-type': 'text/plain' }, '{}')).toEqual(refused(415, 'json_required'));
    expect(await startBackfill({ cookie, origin: app.url, 'content-type': 'application/x-www-form-urlencoded' }, 'mode=handoff')).toEqual(
      refused(415, 'json_required'),
    );
    expect(await startBackfill({ cookie, origin: app.url })).toEqual(refused(415, 'json_required'));
  });

  it('takes JSON from its own origin and from PUBLIC_BASE_URL', async () => {
    expect(await startBackfill({ cookie, origin: app.url, 'content-type': 'application/json; charset=utf-8' }, '{"dryRun":true}')).toEqual(
      started,
    );
    await fresh.db.query('DELETE FROM backfill_runs');
    queued.length = 0;
    expect(await startBackfill({ cookie, origin: PUBLIC, ...json }, '{}')).toEqual(started);
  });

  it('takes its own origin as seen through a trusted proxy (https, forwarded host)', async () => {
    const proxied = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'admin.internal.example:8443' };
    expect(await startBackfill({ cookie, ...proxied, origin: app.url, ...json }, '{}')).toEqual(refused(403, 'cross_origin'));
    expect(await startBackfill({ cookie, ...proxied, origin: 'https://admin.internal.example:8443', ...json }, '{}')).toEqual(started);
  });

  it('lets reads through from anywhere', async () => {
    const response = await fetch(`${app.url}/api/backfill`, { headers: { cookie, origin: FOREIGN } });
    expect(response.status).toBe(200);
  });

  it('does not sign the operator out for another site', async () => {
    const session = await signIn(app.url);
    const foreign = await fetch(`${app.url}/admin/logout`, { method: 'POST', headers: { cookie: session.cookie, origin: FOREIGN } });
    expect(foreign.status).toBe(403);
    expect((await fetch(`${app.url}/api/backfill`, { headers: { cookie: session.cookie } })).status).toBe(200);
    const plain = await fetch(`${app.url}/admin/logout`, {
      method: 'POST',
      headers: { cookie: session.cookie, origin: app.url, 'content-type': 'text/plain' },
      body: '',
    });
    expect(plain.status).toBe(415);
    const own = await fetch(`${app.url}/admin/logout`, {
      method: 'POST',
      headers: { cookie: session.cookie, origin: app.url, ...json },
      body: '{}',
    });
    expect(own.status).toBe(204);
    expect((await fetch(`${app.url}/api/backfill`, { headers: { cookie: session.cookie } })).status).toBe(401);
  });
});

describe('changes made with the bearer token', () => {
  it('need no origin and no JSON: no browser sends the token by itself', async () => {
    expect(await startBackfill({ authorization: `Bearer ${ADMIN_TOKEN}`, origin: FOREIGN })).toEqual(started);
  });
});
