import { adminApiRouter } from '../../../src/http/admin/admin-api-router.ts';
import type { ParkedWorkPort } from '../../../src/http/admin/parked-work.ts';
import { createAdminSessions, postgresSessionStore } from '../../../src/http/admin/sessions.ts';
import { adminPageRouter } from '../../../src/http/admin-page/admin-page-router.ts';
import { createHttpApp } from '../../../src/http/app.ts';
import type { BackfillPort } from '../../../src/jobs/backfill/backfill-service.ts';
import { type Logger, silentLogger } from '../../../src/log.ts';
import type { Queryable } from '../../../src/store/database-types.ts';
import { listenOnLoopback } from '../../support/http.ts';
import { FakeConfigVersions } from './fake-config-versions.ts';

/** 32+ characters, as the service requires of ADMIN_TOKEN. */
export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789abcdef';

export interface AdminAppOptions {
  /** The replica's database: sessions live there. */
  db: Queryable;
  adminToken?: string;
  now?: () => number;
  publicBaseUrl?: string;
  backfill?: BackfillPort;
  logger?: Logger;
  /** The configuration versions behind the API; left out, a fresh fake seeded from mappings/. */
  configVersions?: FakeConfigVersions;
}

const noParked: ParkedWorkPort = {
  list: async () => [],
  retry: async () => ({ status: 'not_found' as const }),
  retryAll: async () => ({ retried: [], failed: [] }),
};

/**
 * One replica's admin API and page, wired as the service wires them (sessions in PostgreSQL), on loopback. Local
 * proxies are trusted, so a test speaks as another client or over https with X-Forwarded-For and -Proto.
 */
export async function startAdminApp(options: AdminAppOptions) {
  const logger = options.logger ?? silentLogger();
  const adminToken = options.adminToken ?? ADMIN_TOKEN;
  const sessions = createAdminSessions(postgresSessionStore(options.db));
  const shared = { adminToken, sessions, publicBaseUrl: options.publicBaseUrl, logger, now: options.now };
  const app = createHttpApp({
    logger,
    routers: [
      adminApiRouter({
        ...shared,
        configVersions: options.configVersions ?? (await FakeConfigVersions.seeded()),
        records: { find: async () => undefined },
        parked: noParked,
        backfill: options.backfill,
      }),
      adminPageRouter(shared),
    ],
  });
  app.set('trust proxy', 'loopback');
  return listenOnLoopback(app);
}

/** Signs in and returns the `name=value` pair to send back as the Cookie header, and the Set-Cookie header itself. */
export async function signIn(
  url: string,
  headers: Record<string, string> = {},
  token = ADMIN_TOKEN,
  name = 'Ana Ops',
): Promise<{ cookie: string; setCookie: string }> {
  const response = await fetch(`${url}/admin/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ token, name }),
  });
  if (response.status !== 200) throw new Error(`sign-in answered ${response.status}`);
  const setCookie = response.headers.get('set-cookie') ?? '';
  return { cookie: setCookie.split(';')[0]!, setCookie };
}
