import { fileURLToPath } from 'node:url';
import { startActiveBundle } from '../../../src/config/versions/active-bundle.ts';
import type { ConfigVersionsPort } from '../../../src/config/versions/config-versions-port.ts';
import { createConfigVersions } from '../../../src/config/versions/service.ts';
import { adminApiRouter } from '../../../src/http/admin/admin-api-router.ts';
import { createParkedWork } from '../../../src/http/admin/parked-work.ts';
import { createRecordLookup } from '../../../src/http/admin/record-lookup.ts';
import { createHttpApp } from '../../../src/http/app.ts';
import { silentLogger } from '../../../src/log.ts';
import { type FreshDatabase, freshDatabase } from '../../support/databases.ts';
import { listenOnLoopback } from '../../support/http.ts';

const shippedDir = fileURLToPath(new URL('../../../mappings/', import.meta.url));

export interface ConfigAdminService {
  fresh: FreshDatabase;
  server: { url: string; close: () => Promise<void> };
  versions: ConfigVersionsPort;
  /** The version seeded from the shipped mappings. */
  activeId: string;
  close(): Promise<void>;
}

/**
 * The admin API of a service over a fresh PostgreSQL database seeded from the shipped mappings, on loopback: what the
 * configuration CLIs (export, import) talk to. HubSpot and Salesforce are left out (nothing here checks them live).
 */
export async function startConfigAdminService(token: string): Promise<ConfigAdminService> {
  const fresh = await freshDatabase();
  const logger = silentLogger();
  const holder = await startActiveBundle({ db: fresh.db, seedDir: shippedDir, logger, refreshMs: 60_000 });
  holder.stop();
  const versions = createConfigVersions({
    db: fresh.db,
    logger,
    now: () => new Date(),
    hubspot: {
      listProperties: async () => [],
      readContacts: async () => ({ contacts: [], missing: [] }),
      readCompanies: async () => ({ companies: [], missing: [] }),
    },
    salesforce: {
      describe: async (name) => ({ name, fields: [] }),
      query: async () => [],
      customNotificationTypeId: async () => undefined,
    },
  });
  const api = adminApiRouter({
    adminToken: token,
    configVersions: versions,
    records: createRecordLookup(fresh.db),
    parked: createParkedWork(fresh.db, async () => ({ status: 'not_open' as const }), { maxAutoReplays: 5 }),
    logger,
  });
  const server = await listenOnLoopback(createHttpApp({ logger, routers: [api] }));
  return {
    fresh,
    server,
    versions,
    activeId: holder.version(),
    async close() {
      await server.close();
      await fresh.cleanup();
    },
  };
}
