import { rm } from 'node:fs/promises';
import { createHubSpotAdapter } from '../../../src/adapters/hubspot/adapter.ts';
import { ensureHubSpotSetup } from '../../../src/adapters/hubspot/setup.ts';
import { loadMappings } from '../../../src/config/mappings.ts';
import { silentLogger } from '../../../src/log.ts';
import { type HubSpotSimulator, startHubSpotSimulator } from '../../../src/simulators/hubspot/server.ts';
import { type SalesforceSimulator, startSalesforceSimulator } from '../../../src/simulators/salesforce/server.ts';
import { type Database, openDatabase } from '../../../src/store/database.ts';
import { openEmbeddedDatabase } from '../../../src/store/database-server.ts';
import { stopLeftoverServer } from '../../../src/store/embedded/embedded-cluster.ts';
import { freshDatabaseUrl, freshDataDir } from '../../support/engines.ts';
import { webhookSignature } from '../../support/signed-webhook.ts';
import { freePort, type RunningService, startServiceProcess } from './service-process.ts';

/** The simulators, the credentials the service is given, and a fresh database: on the test server or embedded. */
export interface World {
  hubspot: HubSpotSimulator;
  salesforce: SalesforceSimulator;
  port: number;
  env: Record<string, string>;
  clientSecret: string;
  start(extraEnv?: Record<string, string>): Promise<RunningService>;
  /** Opens the service's database from the test (embedded: only while the service is stopped). */
  openDb(): Promise<Database>;
  /** The embedded service's data folder (its database server is in `<dataDir>/postgres`). */
  dataDir?: string;
  close(): Promise<void>;
}

export interface WorldOptions {
  /** The simulated HubSpot also sends its own signed webhooks (our writes' echoes included) to the service. */
  webhooks?: boolean;
  /** Time each simulated Salesforce data call takes, so concurrent writes overlap in time. */
  salesforceLatencyMs?: number;
  hubspotLatencyMs?: number;
  /** The service starts its own embedded PostgreSQL in a fresh DATA_DIR (the default deployment) instead of DATABASE_URL. */
  embedded?: boolean;
}

export async function createWorld(options: WorldOptions = {}): Promise<World> {
  const credentials = {
    token: 'e2e-hubspot-token',
    clientSecret: 'e2e-client-secret',
    sfClient: 'e2e-sf-client',
    sfSecret: 'e2e-sf-secret',
    sfRefresh: 'e2e-sf-refresh',
  };
  const port = await freePort();
  const hubspot = await startHubSpotSimulator({
    accessToken: credentials.token,
    rateLimit: { windowMs: 10_000, max: 10_000 },
    ...(options.hubspotLatencyMs ? { latencyMs: options.hubspotLatencyMs } : {}),
    ...(options.webhooks
      ? {
          webhook: {
            targetUrl: `http://127.0.0.1:${port}/webhooks/hubspot`,
            clientSecret: credentials.clientSecret,
            appId: 4242,
            portalId: 77,
          },
        }
      : {}),
  });
  const mappings = await loadMappings('mappings');
  const salesforce = await startSalesforceSimulator({
    clientId: credentials.sfClient,
    clientSecret: credentials.sfSecret,
    refreshToken: credentials.sfRefresh,
    rejectionReasons: mappings.rejection.reasons.map((reason) => reason.code),
    ...(options.salesforceLatencyMs ? { latencyMs: options.salesforceLatencyMs } : {}),
  });
  // What an admin's `setup` does in a real portal: the custom properties and lists the mappings name.
  await ensureHubSpotSetup(
    createHubSpotAdapter({ accessToken: credentials.token, baseUrl: hubspot.url, logger: silentLogger() }),
    mappings.hubspotSetup,
  );

  const storage = options.embedded ? await embeddedStorage() : await serverStorage();
  const env: Record<string, string> = {
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    ADMIN_TOKEN: 'e2e-admin-token-long-enough-to-be-accepted',
    HUBSPOT_ACCESS_TOKEN: credentials.token,
    HUBSPOT_CLIENT_SECRET: credentials.clientSecret,
    HUBSPOT_APP_ID: '4242',
    HUBSPOT_BASE_URL: hubspot.url,
    SALESFORCE_LOGIN_URL: salesforce.url,
    SALESFORCE_INSTANCE_URL: salesforce.url,
    SALESFORCE_CLIENT_ID: credentials.sfClient,
    SALESFORCE_CLIENT_SECRET: credentials.sfSecret,
    SALESFORCE_REFRESH_TOKEN: credentials.sfRefresh,
    ...storage.env,
  };
  return {
    hubspot,
    salesforce,
    port,
    env,
    clientSecret: credentials.clientSecret,
    start: (extraEnv = {}) => startServiceProcess({ ...env, ...extraEnv }, { port }),
    openDb: storage.openDb,
    ...(storage.dataDir ? { dataDir: storage.dataDir } : {}),
    async close() {
      await hubspot.close();
      await salesforce.close();
      await storage.cleanup();
    },
  };
}

interface Storage {
  env: Record<string, string>;
  dataDir?: string;
  openDb(): Promise<Database>;
  cleanup(): Promise<void>;
}

async function serverStorage(): Promise<Storage> {
  const database = await freshDatabaseUrl();
  return {
    env: { DATABASE_URL: database.url },
    openDb: () => openDatabase({ databaseUrl: database.url, logger: silentLogger() }),
    cleanup: database.cleanup,
  };
}

/** The test starts the embedded server itself to read the data once the service has stopped. */
async function embeddedStorage(): Promise<Storage> {
  const dataDir = await freshDataDir();
  return {
    env: { DATA_DIR: dataDir },
    dataDir,
    openDb: () => openEmbeddedDatabase(dataDir, silentLogger()),
    async cleanup() {
      // A service killed with SIGKILL (or a reader that did not close) leaves a database server running: nothing may outlive the test.
      await stopLeftoverServer(dataDir, silentLogger());
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

let nextEventId = 1_000;

export function creationEvent(contactId: string, occurredAt = Date.now()): Record<string, unknown> {
  nextEventId += 1;
  return {
    eventId: nextEventId,
    subscriptionId: 11,
    portalId: 77,
    appId: 4242,
    occurredAt,
    subscriptionType: 'contact.creation',
    attemptNumber: 0,
    objectId: Number(contactId),
    changeFlag: 'CREATED',
    changeSource: 'CRM_UI',
  };
}

export function propertyChangeEvent(contactId: string, propertyName: string, propertyValue: string): Record<string, unknown> {
  nextEventId += 1;
  return {
    eventId: nextEventId,
    subscriptionId: 12,
    portalId: 77,
    appId: 4242,
    occurredAt: Date.now(),
    subscriptionType: 'contact.propertyChange',
    attemptNumber: 0,
    objectId: Number(contactId),
    propertyName,
    propertyValue,
    changeSource: 'CRM_UI',
  };
}

/** The headers HubSpot sends with a delivery (v3 signature), written out here independently of the service's own code. */
export function signedHeaders(
  world: Pick<World, 'env' | 'clientSecret'>,
  body: string,
  options: { timestamp?: number; secret?: string } = {},
): Record<string, string> {
  const timestamp = String(options.timestamp ?? Date.now());
  const signature = webhookSignature({
    publicBaseUrl: world.env.PUBLIC_BASE_URL!,
    secret: options.secret ?? world.clientSecret,
    body,
    timestamp,
  });
  return { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': timestamp };
}

export async function deliverWebhook(
  serviceUrl: string,
  world: World,
  body: string,
  options: { timestamp?: number; secret?: string } = {},
): Promise<{ status: number; json: any }> {
  const response = await fetch(`${serviceUrl}/webhooks/hubspot`, { method: 'POST', headers: signedHeaders(world, body, options), body });
  return { status: response.status, json: await response.json() };
}
