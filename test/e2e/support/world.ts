import { createHmac } from 'node:crypto';
import { loadMappings } from '../../../src/config/mappings.ts';
import { silentLogger } from '../../../src/log.ts';
import { createHubSpotAdapter } from '../../../src/adapters/hubspot/adapter.ts';
import { ensureHubSpotSetup } from '../../../src/adapters/hubspot/setup.ts';
import { startHubSpotSimulator, type HubSpotSimulator } from '../../../src/simulators/hubspot/server.ts';
import { startSalesforceSimulator, type SalesforceSimulator } from '../../../src/simulators/salesforce/server.ts';
import { openDatabase, type Database } from '../../../src/store/database.ts';
import { freshDatabaseUrl, freshDataDir, type Engine } from '../../support/databases.ts';
import { freePort, startServiceProcess, type RunningService } from './service-process.ts';

/** The simulators, the credentials the service is given, and a database for one engine. */
export interface World {
  hubspot: HubSpotSimulator;
  salesforce: SalesforceSimulator;
  port: number;
  env: Record<string, string>;
  clientSecret: string;
  start(extraEnv?: Record<string, string>): Promise<RunningService>;
  /** Opens the service's database from the test (PGlite: only while the service is stopped). */
  openDb(): Promise<Database>;
  close(): Promise<void>;
}

/**
 * With `webhooks`, the simulated HubSpot also sends its own signed webhooks (our writes' echoes included) to the service.
 * `hubspotLatencyMs` makes every simulated HubSpot API call take that long (a run long enough to interrupt).
 */
export async function createWorld(engine: Engine, options: { webhooks?: boolean; hubspotLatencyMs?: number } = {}): Promise<World> {
  const credentials = { token: 'e2e-hubspot-token', clientSecret: 'e2e-client-secret', sfClient: 'e2e-sf-client', sfSecret: 'e2e-sf-secret', sfRefresh: 'e2e-sf-refresh' };
  const port = await freePort();
  const hubspot = await startHubSpotSimulator({
    accessToken: credentials.token,
    rateLimit: { windowMs: 10_000, max: 10_000 },
    ...(options.hubspotLatencyMs ? { latencyMs: options.hubspotLatencyMs } : {}),
    ...(options.webhooks ? { webhook: { targetUrl: `http://127.0.0.1:${port}/webhooks/hubspot`, clientSecret: credentials.clientSecret, appId: 4242, portalId: 77 } } : {}),
  });
  const mappings = await loadMappings('mappings');
  const salesforce = await startSalesforceSimulator({
    clientId: credentials.sfClient,
    clientSecret: credentials.sfSecret,
    refreshToken: credentials.sfRefresh,
    rejectionReasons: mappings.rejection.reasons.map((reason) => reason.code),
  });
  // What an admin's `setup` does in a real portal: the custom properties and lists the mappings name.
  await ensureHubSpotSetup(createHubSpotAdapter({ accessToken: credentials.token, baseUrl: hubspot.url, logger: silentLogger() }), mappings.hubspotSetup);

  const database = engine === 'postgres' ? await freshDatabaseUrl() : undefined;
  const dataDir = engine === 'pglite' ? await freshDataDir() : undefined;
  const env: Record<string, string> = {
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    ADMIN_TOKEN: 'e2e-admin-token',
    HUBSPOT_ACCESS_TOKEN: credentials.token,
    HUBSPOT_CLIENT_SECRET: credentials.clientSecret,
    HUBSPOT_APP_ID: '4242',
    HUBSPOT_BASE_URL: hubspot.url,
    SALESFORCE_LOGIN_URL: salesforce.url,
    SALESFORCE_INSTANCE_URL: salesforce.url,
    SALESFORCE_CLIENT_ID: credentials.sfClient,
    SALESFORCE_CLIENT_SECRET: credentials.sfSecret,
    SALESFORCE_REFRESH_TOKEN: credentials.sfRefresh,
    ...(database ? { DATABASE_URL: database.url } : { DATA_DIR: dataDir ?? '' }),
  };
  return {
    hubspot,
    salesforce,
    port,
    env,
    clientSecret: credentials.clientSecret,
    start: (extraEnv = {}) => startServiceProcess({ ...env, ...extraEnv }, { port }),
    openDb: () => openDatabase({ databaseUrl: database?.url, dataDir: dataDir ?? '', logger: silentLogger() }),
    async close() {
      await hubspot.close();
      await salesforce.close();
      await database?.cleanup();
    },
  };
}

let nextEventId = 1_000;

export function creationEvent(contactId: string, occurredAt = Date.now()): Record<string, unknown> {
  nextEventId += 1;
  return { eventId: nextEventId, subscriptionId: 11, portalId: 77, appId: 4242, occurredAt, subscriptionType: 'contact.creation', attemptNumber: 0, objectId: Number(contactId), changeFlag: 'CREATED', changeSource: 'CRM_UI' };
}

export function propertyChangeEvent(contactId: string, propertyName: string, propertyValue: string): Record<string, unknown> {
  nextEventId += 1;
  return { eventId: nextEventId, subscriptionId: 12, portalId: 77, appId: 4242, occurredAt: Date.now(), subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId: Number(contactId), propertyName, propertyValue, changeSource: 'CRM_UI' };
}

/** Signs as HubSpot does (v3), written out here independently of the service's own code. */
export async function deliverWebhook(
  serviceUrl: string,
  world: World,
  body: string,
  options: { timestamp?: number; secret?: string } = {},
): Promise<{ status: number; json: any }> {
  const timestamp = String(options.timestamp ?? Date.now());
  const uri = `${world.env.PUBLIC_BASE_URL}/webhooks/hubspot`;
  const signature = createHmac('sha256', options.secret ?? world.clientSecret).update(`POST${uri}${body}${timestamp}`).digest('base64');
  const response = await fetch(`${serviceUrl}/webhooks/hubspot`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': timestamp },
    body,
  });
  return { status: response.status, json: await response.json() };
}
