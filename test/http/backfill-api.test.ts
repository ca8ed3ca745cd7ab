import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PgBoss } from 'pg-boss';
import { emptyCounts } from '../../src/core/backfill/counts.ts';
import { adminApiRouter } from '../../src/http/admin/admin-api-router.ts';
import { createParkedWork } from '../../src/http/admin/parked-work.ts';
import { createRecordLookup } from '../../src/http/admin/record-lookup.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { BACKFILL_QUEUE } from '../../src/jobs/backfill/backfill-queue.ts';
import { createBackfillService } from '../../src/jobs/backfill/backfill-service.ts';
import { silentLogger } from '../../src/log.ts';
import { claimRun, commitProgress } from '../../src/store/backfill-runs.ts';
import { type FreshDatabase, freshDatabase } from '../support/databases.ts';
import { listenOnLoopback } from '../support/http.ts';
import { FakeConfigVersions } from './support/fake-config-versions.ts';

const TOKEN = 'test-admin-token-backfill';
let fresh: FreshDatabase;
let server: { url: string; close: () => Promise<void> };
const sent: { name: string; data: unknown; options: unknown }[] = [];
const NOW = new Date('2026-11-20T10:00:30.000Z');

async function call(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as any };
}

beforeAll(async () => {
  fresh = await freshDatabase();
  const boss = {
    send: async (name: string, data: unknown, options: unknown) => {
      sent.push({ name, data, options });
      return 'job';
    },
  } as unknown as PgBoss;
  const logger = silentLogger();
  const router = adminApiRouter({
    adminToken: TOKEN,
    configVersions: await FakeConfigVersions.seeded(),
    records: createRecordLookup(fresh.db),
    parked: createParkedWork(fresh.db, async () => ({ status: 'not_open' as const }), { maxAutoReplays: 5 }),
    backfill: createBackfillService({ db: fresh.db, boss, now: () => NOW }),
    logger,
  });
  server = await listenOnLoopback(createHttpApp({ logger, routers: [router] }));
});

afterAll(async () => {
  await server?.close();
  await fresh?.cleanup();
});

describe('backfill admin API', () => {
  it.each([
    [{ mode: 'everything' }, ['mode']],
    [{ dryRun: 'yes' }, ['dryRun']],
    [{ filter: { createdAfter: 'last week', lifecycleStages: ['prospect'] } }, ['filter.createdAfter', 'filter.lifecycleStages[0]']],
    [{ filter: { createdAfter: '2026-02-01', createdBefore: '2026-01-01' } }, ['filter.createdBefore']],
    [{ filter: { owner: '5' } }, ['filter']],
    [{ force: true }, ['(body)']],
  ])('answers 400 naming each wrong path of %j, and queues nothing', async (body, paths) => {
    const response = await call('POST', '/api/backfill', body);
    expect(response.status).toBe(400);
    expect(response.json.error.details.map((detail: { path: string }) => detail.path)).toEqual(paths);
    expect(sent).toEqual([]);
  });

  it('starts a run (queued, its job sent), records who asked, and refuses a second with 409 naming the first', async () => {
    const started = await call(
      'POST',
      '/api/backfill',
      { dryRun: true, filter: { createdAfter: '2026-01-01' } },
      { 'x-admin-name': 'Grace' },
    );
    expect(started.status).toBe(202);
    expect(started.json).toMatchObject({
      mode: 'handoff',
      dryRun: true,
      status: 'queued',
      source: 'search',
      requestedBy: 'Grace',
      filter: { createdAfter: '2026-01-01T00:00:00.000Z' },
      progress: { read: 0, total: null, eta: 'unknown' },
    });
    expect(sent).toEqual([{ name: BACKFILL_QUEUE, data: { runId: started.json.id }, options: { singletonKey: `run-${started.json.id}` } }]);
    const second = await call('POST', '/api/backfill', { mode: 'resync' });
    expect(second.status).toBe(409);
    expect(second.json.error).toMatchObject({ code: 'backfill_running', details: { activeRunId: started.json.id, status: 'queued' } });
    expect(second.json.error.message).toContain(`backfill run ${started.json.id} (handoff, dry run) is queued`);
  });

  it('shows a running run with its rate and ETA, lists runs, and answers 404 for an unknown one', async () => {
    const [run] = (await call('GET', '/api/backfill')).json.runs;
    await claimRun(fresh.db, run.id, 'w');
    // Pretend the worker started 30 s before NOW and read 600 of 2,000.
    await fresh.db.query(`UPDATE backfill_runs SET resumed_at = $2 WHERE id = $1`, [
      run.id,
      new Date(NOW.getTime() - 30_000).toISOString(),
    ]);
    await commitProgress(fresh.db, run.id, 'w', {
      checkpoint: { after: '700', pages: 6 },
      counts: { ...emptyCounts(), read: 600 },
      sample: [],
      total: 2000,
    });
    const shown = await call('GET', `/api/backfill/${run.id}`);
    expect(shown.json).toMatchObject({
      status: 'running',
      pagesDone: 6,
      progress: { read: 600, total: 2000, percent: 30, ratePerSecond: 20, etaSeconds: 70, eta: '1 min 10 s' },
    });
    expect((await call('GET', '/api/backfill/424242')).status).toBe(404);
    expect((await call('GET', '/api/backfill/latest')).json.error.details).toEqual([expect.objectContaining({ path: 'id' })]);
    expect((await call('GET', '/api/backfill?limit=0')).status).toBe(400);
  });

  it('cancels a running run through its worker (200, cancel asked), refuses to cancel a finished one, and resumes a cancelled one', async () => {
    const [run] = (await call('GET', '/api/backfill?limit=1')).json.runs;
    const asked = await call('POST', `/api/backfill/${run.id}/cancel`, {});
    expect(asked).toMatchObject({ status: 200, json: { status: 'running', cancelRequested: true } });
    await fresh.db.query(`UPDATE backfill_runs SET status = 'cancelled', worker_token = NULL, finished_at = now() WHERE id = $1`, [run.id]);
    expect((await call('POST', `/api/backfill/${run.id}/cancel`, {})).status).toBe(409);
    sent.length = 0;
    const resumed = await call('POST', `/api/backfill/${run.id}/resume`, {});
    expect(resumed).toMatchObject({ status: 202, json: { status: 'queued', cancelRequested: false, pagesDone: 6 } });
    expect(sent).toHaveLength(1);
    expect((await call('POST', '/api/backfill/424242/resume', {})).status).toBe(404);
  });

  it('describes every backfill route in the OpenAPI document, 409 included', async () => {
    const document = (await call('GET', '/api/openapi.json')).json;
    expect(
      Object.keys(document.paths)
        .filter((path) => path.startsWith('/api/backfill'))
        .sort(),
    ).toEqual(['/api/backfill', '/api/backfill/{id}', '/api/backfill/{id}/cancel', '/api/backfill/{id}/resume']);
    expect(document.paths['/api/backfill'].post.responses).toHaveProperty('409');
    expect(document.paths['/api/backfill'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('filter');
  });
});
