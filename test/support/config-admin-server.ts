import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from '@jest/globals';
import { type ActiveBundle, startActiveBundle } from '../../src/config/versions/active-bundle.ts';
import { createCalibrationExamples } from '../../src/config/versions/calibration-examples.ts';
import { createConfigVersions } from '../../src/config/versions/service.ts';
import { adminApiRouter } from '../../src/http/admin/admin-api-router.ts';
import type { ParkedWorkPort } from '../../src/http/admin/parked-work.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { createKpiReader } from '../../src/kpis/compute-kpis.ts';
import { silentLogger } from '../../src/log.ts';
import type { Database } from '../../src/store/database.ts';
import { useFreshDatabase } from './databases.ts';
import { listenOnLoopback } from './http.ts';

// The tests that drive mapping versions through the admin API against the real store all need the same server.

const seedDir = fileURLToPath(new URL('../../mappings/', import.meta.url));

/** HubSpot and Salesforce with no properties, fields or records: a version is checked on its files alone. */
export const noSystems = {
  hubspot: {
    listProperties: async () => [],
    readContacts: async () => ({ contacts: [], missing: [] }),
    readCompanies: async () => ({ companies: [], missing: [] }),
  },
  salesforce: {
    describe: async (name: string) => ({ name, fields: [] }),
    query: async () => [],
    customNotificationTypeId: async () => undefined,
  },
};
const noParked = {
  list: async () => [],
  retry: async () => false,
  retryAll: async () => ({ retried: [], failed: [] }),
} as unknown as ParkedWorkPort;

export interface ConfigAdminServer {
  db: Database;
  /** The active version the service runs on. */
  holder: ActiveBundle;
  url: string;
}

/**
 * Gives the enclosing describe block the admin API (real config versions, KPIs and calibration examples, no systems,
 * nothing parked) on loopback, over a fresh database whose active version is the shipped mappings, seeded as the
 * service does at its first start.
 * The fields are filled in before its tests run.
 */
export function useConfigAdminServer(adminToken: string): ConfigAdminServer {
  const admin = {} as ConfigAdminServer;
  let server: { url: string; close: () => Promise<void> } | undefined;
  useFreshDatabase((opened) => {
    admin.db = opened;
  });
  beforeAll(async () => {
    const { db } = admin;
    admin.holder = await startActiveBundle({ db, seedDir, logger: silentLogger(), refreshMs: 60_000 });
    const configVersions = createConfigVersions({ db, ...noSystems, logger: silentLogger(), now: () => new Date() });
    server = await listenOnLoopback(
      createHttpApp({
        logger: silentLogger(),
        routers: [
          adminApiRouter({
            adminToken,
            configVersions,
            records: { find: async () => undefined },
            parked: noParked,
            kpis: createKpiReader(db),
            calibration: createCalibrationExamples(db),
            logger: silentLogger(),
          }),
        ],
      }),
    );
    admin.url = server.url;
  });
  afterAll(async () => {
    admin.holder?.stop();
    await server?.close();
  });
  return admin;
}
