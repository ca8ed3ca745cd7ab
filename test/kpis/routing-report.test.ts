import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runReport } from '../../src/cli/report.ts';
import { adminApiRouter } from '../../src/http/admin/admin-api-router.ts';
import { createParkedWork } from '../../src/http/admin/parked-work.ts';
import { createRecordLookup } from '../../src/http/admin/record-lookup.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { createKpiReader } from '../../src/kpis/compute-kpis.ts';
import { createRoutingKpiReader } from '../../src/kpis/routing-kpis.ts';
import { silentLogger } from '../../src/log.ts';
import { FakeConfigVersions } from '../http/support/fake-config-versions.ts';
import { type FreshDatabase, freshDatabase } from '../support/databases.ts';
import { listenOnLoopback } from '../support/http.ts';
import { OWNER_A, seedRouting } from './routing-seed.ts';
import { seedAll } from './seed.ts';

const TOKEN = 'test-admin-token-routing-report-0123';
let fresh: FreshDatabase;
let server: { url: string; close: () => Promise<void> };

async function report(argv: string[]) {
  let text = '';
  const code = await runReport({
    argv: [...argv, '--url', server.url],
    env: { ADMIN_TOKEN: TOKEN },
    out: { write: (t: string) => (text += t) },
  });
  return { code, text };
}

beforeAll(async () => {
  fresh = await freshDatabase();
  await seedAll(fresh.db);
  await seedRouting(fresh.db);
  const logger = silentLogger();
  const api = adminApiRouter({
    adminToken: TOKEN,
    configVersions: await FakeConfigVersions.seeded(),
    records: createRecordLookup(fresh.db),
    parked: createParkedWork(fresh.db, async () => ({ status: 'not_open' as const }), { maxAutoReplays: 5 }),
    kpis: createKpiReader(fresh.db),
    routingKpis: createRoutingKpiReader(fresh.db, {
      ownerNames: async () => new Map([[OWNER_A, 'Ana Ruiz']]),
      poolLabels: () => new Map([['ent', 'Enterprise reps']]),
    }),
    logger,
  });
  server = await listenOnLoopback(createHttpApp({ logger, routers: [api] }));
});

afterAll(async () => {
  await server?.close();
  await fresh?.cleanup();
});

describe('report command: routing by owner and pool', () => {
  it('prints a table by owner with a bar per owner, and a table by pool, after the funnel', async () => {
    const { code, text } = await report(['--from', '2026-11-01', '--to', '2026-12-01']);
    expect(code).toBe(0);
    expect(text.indexOf('Routing by owner')).toBeGreaterThan(text.indexOf('Funnel 2026-11-01'));
    const row = (name: string) =>
      text
        .split('\n')
        .find((l) => l.startsWith(name))
        ?.split(/\s{2,}/);
    expect(row(`Ana Ruiz (${OWNER_A})`)).toEqual([
      `Ana Ruiz (${OWNER_A})`,
      '2',
      '1',
      '1',
      '0',
      '2',
      '100.0%',
      '15.0 min',
      '19.0 min',
      '100.0% (2/2)',
    ]);
    expect(row('005B00000000001AAA')).toEqual(['005B00000000001AAA', '2', '2', '0', '1', '1', '50.0%', '—', '—', '0.0% (0/1)']);
    expect(row('Enterprise reps (ent)')?.slice(0, 7)).toEqual(['Enterprise reps (ent)', '4', '3', '1', '1', '3', '75.0%']);
    expect(row('(no pool)')?.slice(0, 2)).toEqual(['(no pool)', '1']);
    // Bars relative to the most assigned: 2 → 30 blocks, 1 → 15.
    expect(text).toContain(`  005C00000000001AAA${' '.repeat(`Ana Ruiz (${OWNER_A})`.length - 18)}  ${'█'.repeat(15)}`);
  });

  it('says when a window has no routed leads', async () => {
    const { code, text } = await report(['--from', '2027-01-01', '--to', '2027-02-01']);
    expect(code).toBe(0);
    expect(text).toContain('Routing by owner (assignment time):\n  no routed leads in this window');
  });
});
