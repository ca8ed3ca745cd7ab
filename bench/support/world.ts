import { createHubSpotAdapter } from '../../src/adapters/hubspot/adapter.ts';
import { ensureHubSpotSetup } from '../../src/adapters/hubspot/setup.ts';
import { loadMappings, type MappingsBundle } from '../../src/config/mappings.ts';
import { silentLogger } from '../../src/log.ts';
import { type HubSpotSimulator, startHubSpotSimulator } from '../../src/simulators/hubspot/server.ts';
import { type SalesforceSimulator, startSalesforceSimulator } from '../../src/simulators/salesforce/server.ts';
import { CallLog } from './call-log.ts';
import type { BenchOptions } from './options.ts';
import { NOTIFY_ORG, type NotificationReceivers, startNotificationReceivers } from './receivers.ts';
import { freePort, type ServiceProcess, startService } from './service.ts';
import { type BenchDatabase, freshStorage } from './storage.ts';

/**
 * HubSpot's per-app burst limit for Professional and Enterprise portals: 190 requests per rolling
 * 10 seconds (HubSpot API usage guidelines). The simulated portal enforces it, so every figure is
 * measured under the ceiling a real portal would impose.
 */
export const HUBSPOT_BURST_LIMIT = { windowMs: 10_000, max: 190 };

/**
 * The same limit on Free and Starter portals: 100 requests per rolling 10 seconds for a private app (HubSpot API
 * usage guidelines; HUBSPOT_LIMITS.burstLimits). One handoff phase runs in a world with this portal.
 */
export const HUBSPOT_STARTER_LIMIT = { windowMs: 10_000, max: 100 };

/** A portal's rolling-window limit, as the simulator enforces it and the service is told (HUBSPOT_BURST_LIMIT). */
export type PortalLimit = typeof HUBSPOT_BURST_LIMIT;

const CREDENTIALS = {
  token: 'bench-hubspot-token',
  clientSecret: 'bench-client-secret',
  sfClient: 'bench-sf-client',
  sfSecret: 'bench-sf-secret',
  sfRefresh: 'bench-sf-refresh',
};

/** Both simulators (with injected latency and a call log), a fresh database, and the service's environment. */
export interface BenchWorld {
  hubspot: HubSpotSimulator;
  salesforce: SalesforceSimulator;
  calls: CallLog;
  /** The simulated portal's burst limit (enforced by the simulator, given to the service). */
  portalLimit: PortalLimit;
  /** Only in a world made with `{ notifications: true }`: the Slack simulator and SMTP catcher the service notifies. */
  receivers?: NotificationReceivers;
  mappings: MappingsBundle;
  port: number;
  publicBaseUrl: string;
  clientSecret: string;
  /** The service's environment (credentials for the simulators, storage, log level). */
  env: Record<string, string>;
  /**
   * What a scenario passes to follow the simulated org's change events (on) or to poll only (off, the live-mode
   * default said out loud); `on` points the service at the simulator's Pub/Sub API on loopback (a world made with
   * `{ changeEvents: true }` only).
   */
  changeEventsEnv(on: boolean): Record<string, string>;
  start(extraEnv: Record<string, string>): Promise<ServiceProcess>;
  /** The service's database, opened from the bench (embedded: only while the service is stopped). */
  openDb(): Promise<BenchDatabase>;
  close(): Promise<void>;
}

/**
 * `hubspotLimit` (default: HUBSPOT_BURST_LIMIT, 190 per 10 s) is the simulated portal's burst limit; the service is
 * started with the same HUBSPOT_BURST_LIMIT, as an admin configures it for their subscription.
 * With `notifications`, the org gets a team, an active round-robin assignment rule among the reps and the
 * receivers of owner notifications (bench/support/receivers.ts), and the service's environment points at them.
 */
export async function createBenchWorld(
  options: BenchOptions,
  extras: { notifications?: boolean; changeEvents?: boolean; hubspotLimit?: PortalLimit } = {},
): Promise<BenchWorld> {
  const portalLimit = extras.hubspotLimit ?? HUBSPOT_BURST_LIMIT;
  const calls = new CallLog(options.latencyMs);
  const mappings = await loadMappings('mappings');
  const hubspot = await startHubSpotSimulator({
    accessToken: CREDENTIALS.token,
    latencyMs: options.latencyMs,
    rateLimit: portalLimit,
    onCall: (call) => calls.record({ at: call.at, provider: 'hubspot', endpoint: call.endpoint }),
  });
  const salesforce = await startSalesforceSimulator({
    clientId: CREDENTIALS.sfClient,
    clientSecret: CREDENTIALS.sfSecret,
    refreshToken: CREDENTIALS.sfRefresh,
    latencyMs: options.latencyMs,
    rejectionReasons: mappings.rejection.reasons.map((reason) => reason.code),
    // One stamp per collections request, as a Salesforce transaction has: CreatedDate is the commit time.
    stampPerRequest: true,
    onCall: (call) => calls.record({ at: call.at, provider: 'salesforce', endpoint: call.kind }),
    // Only for a scenario that asks: the org then publishes (Avro-encodes) a change event for every Lead write, work in
    // the bench process that the other scenarios' figures were measured without.
    // Keep-alives every 5 s (Salesforce's come within 270 s): a stream started at the tip is called live only after
    // its first message, and the bench should not wait minutes for that before it measures.
    ...(extras.changeEvents ? { pubSub: { keepAliveMs: 5_000 } } : {}),
    ...(extras.notifications ? NOTIFY_ORG : {}),
  });
  const receivers = extras.notifications ? await startNotificationReceivers() : undefined;
  // What an admin's `setup` does in a real portal: the custom properties and the lists the mappings name.
  await ensureHubSpotSetup(
    createHubSpotAdapter({ accessToken: CREDENTIALS.token, baseUrl: hubspot.url, logger: silentLogger() }),
    mappings.hubspotSetup,
  );
  const storage = await freshStorage(options);
  const port = await freePort();
  const publicBaseUrl = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    PUBLIC_BASE_URL: publicBaseUrl,
    HUBSPOT_ACCESS_TOKEN: CREDENTIALS.token,
    HUBSPOT_CLIENT_SECRET: CREDENTIALS.clientSecret,
    HUBSPOT_APP_ID: '4242',
    HUBSPOT_BASE_URL: hubspot.url,
    // The service keeps to the window the simulator enforces, as an admin configures it for their subscription.
    HUBSPOT_BURST_LIMIT: String(portalLimit.max),
    SALESFORCE_LOGIN_URL: salesforce.url,
    SALESFORCE_INSTANCE_URL: salesforce.url,
    SALESFORCE_CLIENT_ID: CREDENTIALS.sfClient,
    SALESFORCE_CLIENT_SECRET: CREDENTIALS.sfSecret,
    SALESFORCE_REFRESH_TOKEN: CREDENTIALS.sfRefresh,
    ...storage.env,
    ...receivers?.env,
  };
  const pubSubAddress = salesforce.pubSub?.address;
  const changeEventsEnv = (on: boolean): Record<string, string> => {
    if (!on) return { SALESFORCE_CDC: 'off' };
    if (!pubSubAddress) throw new Error('change events need a world made with { changeEvents: true }');
    return { SALESFORCE_CDC: 'on', SALESFORCE_PUBSUB_ENDPOINT: pubSubAddress };
  };
  return {
    env,
    changeEventsEnv,
    hubspot,
    salesforce,
    calls,
    portalLimit,
    ...(receivers ? { receivers } : {}),
    mappings,
    port,
    publicBaseUrl,
    clientSecret: CREDENTIALS.clientSecret,
    start: (extraEnv) =>
      startService(
        { ...env, ...extraEnv },
        {
          root: options.service.root,
          port,
          nodeArgs: options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [],
          dataDir: storage.dataDir,
        },
      ),
    openDb: () => storage.openDb(),
    async close() {
      await hubspot.close();
      await salesforce.close();
      await receivers?.close();
      await storage.cleanup();
    },
  };
}

/** Contacts that qualify through the demo-request fast track; e-mails are unique and on company domains. */
export function createQualifyingContacts(hubspot: HubSpotSimulator, count: number, tag: string): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(
      hubspot.createContact({
        email: `${tag}-${i}@company${i % 97}.example`,
        firstname: 'Bench',
        lastname: `${tag} ${i}`,
        company: `Company ${i % 97}`,
        jobtitle: 'VP Engineering',
        demo_requested: 'true',
      }),
    );
  }
  return ids;
}
