import type { Router } from 'express';
import { adminApiRouter } from '../../src/http/admin/admin-api-router.ts';
import { createParkedWork } from '../../src/http/admin/parked-work.ts';
import { createRecordLookup } from '../../src/http/admin/record-lookup.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { createKpiReader } from '../../src/kpis/compute-kpis.ts';
import { silentLogger } from '../../src/log.ts';
import { FakeConfigVersions } from '../http/support/fake-config-versions.ts';
import { type FreshDatabase, freshDatabase } from '../support/databases.ts';
import { listenOnLoopback } from '../support/http.ts';
import { seedAll } from './seed.ts';

/** The admin API over a PGlite database holding the hand-computed seed history, on loopback. */
export async function startKpiServer(token: string, extraRouters: (logger: ReturnType<typeof silentLogger>) => Router[] = () => []) {
  const fresh: FreshDatabase = await freshDatabase();
  await seedAll(fresh.db);
  const logger = silentLogger();
  const api = adminApiRouter({
    adminToken: token,
    configVersions: await FakeConfigVersions.seeded(),
    records: createRecordLookup(fresh.db),
    parked: createParkedWork(fresh.db, async () => ({ status: 'not_open' as const }), { maxAutoReplays: 5 }),
    kpis: createKpiReader(fresh.db),
    logger,
  });
  const server = await listenOnLoopback(createHttpApp({ logger, routers: [api, ...extraRouters(logger)] }));
  return {
    url: server.url,
    async close() {
      await server.close();
      await fresh.cleanup();
    },
  };
}
