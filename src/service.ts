import { mkdir } from 'node:fs/promises';
import type { PgBoss } from 'pg-boss';
import { createApiBudgets } from './adapters/budget/api-budgets.ts';
import { createHubSpotAdapter } from './adapters/hubspot/adapter.ts';
import type { HubSpotPort } from './adapters/hubspot/hubspot-port.ts';
import { createSalesforceAdapter } from './adapters/salesforce/adapter.ts';
import { verifyApiVersionAtStart } from './adapters/salesforce/api-version-check.ts';
import { describeLeadAssignment, leadAssignmentOf } from './adapters/salesforce/lead-assignment.ts';
import { describedFields } from './adapters/salesforce/described-fields.ts';
import { runModeOf, type Env } from './config/env.ts';
import { liveSalesforceLogin } from './config/salesforce-auth-env.ts';
import type { ConfigVersionsPort } from './config/versions/config-versions-port.ts';
import type { MappingsBundle } from './core/mappings/bundle.ts';
import { startActiveBundle } from './config/versions/active-bundle.ts';
import { createConfigVersions } from './config/versions/service.ts';
import { adminApiRouter } from './http/admin/admin-api-router.ts';
import { createParkedWork } from './http/admin/parked-work.ts';
import { createRecordLookup } from './http/admin/record-lookup.ts';
import { adminPageRouter } from './http/admin-page/admin-page-router.ts';
import { createAdminSessions, postgresSessionStore } from './http/admin/sessions.ts';
import { createHttpApp } from './http/app.ts';
import { healthRouter } from './http/health-routes.ts';
import { listen } from './http/listen.ts';
import { hubspotWebhookRouter } from './http/webhooks/hubspot-webhook-route.ts';
import { createBackfillQueue } from './jobs/backfill/backfill-queue.ts';
import { createBackfillService } from './jobs/backfill/backfill-service.ts';
import { startBackfillWorker } from './jobs/backfill/backfill-worker.ts';
import { createHandoffQueue, enqueueContacts } from './jobs/handoff-queue.ts';
import { startHandoffWorker, steadyBatchGapMs, type HandoffWorker } from './jobs/handoff-worker.ts';
import { startSalesforcePollWorker } from './jobs/salesforce-poll-worker.ts';
import { createLeadReads } from './jobs/salesforce-poll/lead-reads.ts';
import { startSlaWorker } from './jobs/sla-worker.ts';
import { startParkedResumeWorker } from './jobs/parked-resume-worker.ts';
import { startPrivacyPurgeWorker } from './jobs/privacy/purge-worker.ts';
import { createParkedReplayer, type ReplayParked } from './jobs/parked/replay-parked.ts';
import { createKpiReader } from './kpis/compute-kpis.ts';
import { createMetrics } from './metrics/metrics.ts';
import { countedPort } from './metrics/counted-port.ts';
import { metricsRouter } from './http/metrics-route.ts';
import { registerBudgetGauges } from './adapters/budget/budget-gauges.ts';
import { createAlertSender } from './adapters/alerts/alert-sender.ts';
import { HUBSPOT_LIMITS } from './adapters/hubspot/limits.ts';
import { createListIdResolver } from './adapters/hubspot/list-ids.ts';
import { createWebhookIngest } from './jobs/ingest-webhooks.ts';
import { createIntakePressure } from './jobs/intake-pressure.ts';
import type { Logger } from './log.ts';
import { sandboxCredentials, startSandbox, type Sandbox } from './sandbox/sandbox.ts';
import { lockDataDir } from './store/data-dir-lock.ts';
import { openDatabase, type Database } from './store/database.ts';
import { startDatabaseServer, type DatabaseServer } from './store/database-server.ts';
import { countPending } from './store/inbox.ts';
import { createJobQueue } from './store/jobQueue.ts';

export interface RunningService {
  url: string;
  sandbox?: Sandbox;
  /** Resolves if the embedded database server stops on its own (killed, crashed). */
  databaseLost: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Wires the service: mappings, database and queue, HTTP intake, providers (real or sandbox simulators),
 * and the handoff worker. Order matters: the HTTP port is bound before the sandbox starts, because the
 * simulated HubSpot needs the URL to send its webhooks to.
 */
export async function startService(env: Env, logger: Logger): Promise<RunningService> {
  const mode = runModeOf(env);
  // Lock first: a second process must not open (or, in sandbox mode, clear) data another one is using.
  const releaseLock = env.DATABASE_URL ? async () => undefined : await lockLocalData(env.DATA_DIR);
  let databaseServer: DatabaseServer | undefined;
  try {
    databaseServer = await startDatabaseServer({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, sandbox: mode.kind === 'sandbox', logger });
    return await wireService(env, logger, databaseServer, releaseLock);
  } catch (error) {
    // A start that fails half-way leaves no database server running and no lock held.
    await databaseServer?.stop().catch(() => undefined);
    await releaseLock();
    throw error;
  }
}

async function wireService(env: Env, logger: Logger, databaseServer: DatabaseServer, releaseLock: () => Promise<void>): Promise<RunningService> {
  const mode = runModeOf(env);
  const db = await openDatabase({ databaseUrl: databaseServer.url, logger });
  // Supervising and monitoring every 5 s: a dead worker's missed heartbeats free its contacts within ~15 s.
  const boss = await createJobQueue(db, { logger, boss: { superviseIntervalSeconds: 5, monitorIntervalSeconds: 5 } });
  await createHandoffQueue(boss);
  await createBackfillQueue(boss);
  // The active configuration version lives in the database (seeded from MAPPINGS_DIR once); every replica
  // reloads it within seconds of a publish.
  let onMappingsChange: ((bundle: MappingsBundle) => void) | undefined;
  const activeMappings = await startActiveBundle({ db, seedDir: env.MAPPINGS_DIR, logger, onChange: (bundle) => onMappingsChange?.(bundle) });
  const mappings = activeMappings.current();
  logger.info('mappings loaded', { configVersion: activeMappings.version(), versions: mappings.versions });
  const liveMappings = () => activeMappings.current();
  const metrics = createMetrics({ db });
  const alerts = createAlertSender({
    slackWebhookUrl: env.SLA_ALERT_SLACK_WEBHOOK_URL,
    webhookUrl: env.SLA_ALERT_WEBHOOK_URL,
    opsSlackWebhookUrl: env.OPS_ALERT_SLACK_WEBHOOK_URL,
    opsWebhookUrl: env.OPS_ALERT_WEBHOOK_URL,
  }, logger);
  // API budgets live in the database, so every replica shares the same windows, counts and outages.
  // `budgets.isBudgetAvailable(waitingFor)` tells the replay of parked work when it may run again.
  const budgets = createApiBudgets({
    db, logger, metrics, alerts,
    hubspot: { burstLimit: env.HUBSPOT_BURST_LIMIT, dailyLimit: env.HUBSPOT_DAILY_LIMIT, timezone: env.HUBSPOT_PORTAL_TIMEZONE, shares: env.HUBSPOT_PRIORITY_SHARES },
    salesforce: {
      allocation: env.SALESFORCE_DAILY_API_ALLOCATION,
      allocationShares: env.SALESFORCE_ALLOCATION_SHARES,
      orgShares: env.SALESFORCE_ORG_SHARES,
      probeIntervalMs: env.SALESFORCE_BUDGET_PROBE_SECONDS * 1000,
      authRecheckMs: env.SALESFORCE_AUTH_RECHECK_SECONDS * 1000,
    },
  });
  registerBudgetGauges(metrics.registry, budgets.report);
  const pruneBudgets = setInterval(() => void budgets.prune().catch((error: unknown) => logger.warn('could not prune API call counts', { error })), 10 * 60_000);
  pruneBudgets.unref();
  let configVersions: ConfigVersionsPort | undefined;
  const hubspotHolder: { port?: HubSpotPort } = {};

  const credentials = mode.kind === 'sandbox' ? sandboxCredentials() : undefined;
  let worker: HandoffWorker | undefined;
  let replayParked: ReplayParked | undefined;
  let draining = false;
  // Above this rate of incoming events the worker's lanes take turns, so acknowledging a flood comes first.
  const intake = createIntakePressure({ busyEventsPerSecond: 500 });
  const ingest = createWebhookIngest({
    db, boss, logger, wake: () => worker?.wake(), accepted: intake.accepted, busy: intake.busy,
    rejected: (count) => metrics.webhookEventsRejected(count),
  });
  const publicUrlHolder = { value: env.PUBLIC_BASE_URL ?? '' };
  // In the database, so signing out on one replica ends the session on all of them.
  const adminSessions = createAdminSessions(postgresSessionStore(db));
  const app = createHttpApp({
    logger,
    trustProxy: env.TRUST_PROXY,
    routers: [
      healthRouter(readinessChecks(db, boss, () => worker !== undefined), () => draining, () => countPending(db)),
      hubspotWebhookRouter({
        clientSecret: credentials?.hubspotClientSecret ?? env.HUBSPOT_CLIENT_SECRET ?? '',
        get publicBaseUrl() {
          return publicUrlHolder.value;
        },
        ingest,
        logger,
      }),
      adminApiRouter({
        adminToken: env.ADMIN_TOKEN,
        // The providers exist only once the port is bound (the sandbox needs it), so the port is resolved per call.
        configVersions: lateBound(() => configVersions, 'configuration service'),
        // The store keeps no e-mail addresses: an e-mail is resolved to a contact through HubSpot search.
        records: createRecordLookup(db, { contactIdForEmail: (email) => contactIdForEmail(hubspotHolder.port, email) }),
        parked: createParkedWork(db, async (item, actor) => {
          if (!replayParked) throw new Error('parked work replay is still starting');
          return replayParked(item, actor);
        }, { maxAutoReplays: env.PARKED_MAX_AUTO_REPLAYS }),
        kpis: createKpiReader(db),
        budgets,
        backfill: createBackfillService({ db, boss, now: () => new Date() }),
        sessions: adminSessions,
        publicBaseUrl: env.PUBLIC_BASE_URL,
        logger,
      }),
      metricsRouter(metrics),
      adminPageRouter({ adminToken: env.ADMIN_TOKEN, sessions: adminSessions, publicBaseUrl: env.PUBLIC_BASE_URL, logger }),
    ],
  });
  const { server, port, localUrl } = await listen(app, env.PORT, env.HOST, logger);
  publicUrlHolder.value ||= localUrl;

  let sandbox: Sandbox | undefined;
  if (credentials) {
    sandbox = await startSandbox({
      credentials,
      webhookTargetUrl: `${publicUrlHolder.value}/webhooks/hubspot`,
      hubspotPort: env.PORT === 0 ? 0 : port + 1,
      salesforcePort: env.PORT === 0 ? 0 : port + 2,
      hubspotSetup: mappings.hubspotSetup,
      rejectionReasons: mappings.rejection.reasons.map((reason) => reason.code),
      logger,
    });
  }
  // The poll, the SLA tick and the admin tools call at `sync` priority; the handoff worker at `handoff`.
  const hubspot = countedPort(createHubSpotAdapter({
    accessToken: credentials?.hubspotAccessToken ?? env.HUBSPOT_ACCESS_TOKEN ?? '',
    baseUrl: sandbox?.hubspot.url ?? env.HUBSPOT_BASE_URL,
    logger,
    budget: budgets.hubspot,
    priority: 'sync',
  }), 'hubspot', metrics);
  // The sandbox logs in to its simulator with the refresh-token flow; live mode with the flow the env chose.
  const salesforceLogin = sandbox && credentials
    ? { loginUrl: sandbox.salesforce.url, instanceUrl: sandbox.salesforce.url, clientId: credentials.salesforceClientId, clientSecret: credentials.salesforceClientSecret, refreshToken: credentials.salesforceRefreshToken }
    : liveSalesforceLogin(env);
  const salesforceOptions = { ...salesforceLogin, apiVersion: env.SALESFORCE_API_VERSION, leadExternalIdField: mappings.fieldMapping.salesforce.externalIdField, logger };
  await verifyApiVersionAtStart(salesforceOptions, logger);
  const salesforceAdapter = createSalesforceAdapter({ ...salesforceOptions, budget: budgets.salesforce, priority: 'sync' });
  const salesforce = countedPort(salesforceAdapter, 'salesforce', metrics, () => {
    const usage = salesforceAdapter.apiUsage();
    if (usage) metrics.apiBudget('salesforce', usage.used, usage.limit);
  });
  const lists = createListIdResolver(hubspot);
  const now = () => new Date();
  // The poll reads only Lead fields the org has. At start and on every publish the Lead is described and
  // whatever the configuration needs but the org lacks is said once, with its fix.
  const leadReads = createLeadReads({ fields: describedFields(salesforce, 'Lead', { logger }), logger });
  const checkLeadFields = (bundle: MappingsBundle) => leadReads.plan(bundle).then(
    () => undefined,
    (error: unknown) => logger.warn('could not describe the Salesforce Lead to check the fields the configuration reads', { module: 'salesforce-poll', error }),
  );
  // Awaited so the problems lead the start-up log, but a slow or unreachable Salesforce does not hold the start.
  await Promise.race([checkLeadFields(mappings), new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref())]);
  onMappingsChange = (bundle) => {
    leadReads.invalidate();
    void checkLeadFields(bundle);
  };
  configVersions = createConfigVersions({ db, hubspot, salesforce, logger, now });
  hubspotHolder.port = hubspot;
  const handoffHubSpot = hubspot.withPriority('handoff');
  // Only creates may run a lead assignment rule; every update of a Lead sends none (see the port).
  const leadAssignment = leadAssignmentOf(env.SALESFORCE_LEAD_ASSIGNMENT);
  logger.info('new Leads are assigned by ' + describeLeadAssignment(leadAssignment), { module: 'salesforce' });
  worker = await startHandoffWorker(boss, {
    db, hubspot: handoffHubSpot, lists: createListIdResolver(handoffHubSpot), salesforce: salesforce.withPriority('handoff'), leadAssignment, mappings: liveMappings, logger, now, metrics,
  }, {
    minBatchGapMs: steadyBatchGapMs({ max: env.HUBSPOT_BURST_LIMIT, windowMs: HUBSPOT_LIMITS.burstWindowMs }),
    intakeBusy: intake.busy,
    batchWindowMs: env.HANDOFF_BATCH_WINDOW_MS,
  });
  replayParked = createParkedReplayer({
    db, hubspot, lists, alerts, now, logger,
    queueContacts: async (contactIds) => {
      await enqueueContacts(boss, contactIds);
      worker?.wake();
    },
  });
  // Parked work waiting for an API budget or a login resumes on its own once the budget says it may run again.
  const parkedResume = await startParkedResumeWorker(
    boss,
    { db, replay: replayParked, isAvailable: budgets.isBudgetAvailable, maxAutoReplays: env.PARKED_MAX_AUTO_REPLAYS, logger },
    env.PARKED_RESUME_SECONDS * 1000,
  );
  const slaWorker = await startSlaWorker(
    boss,
    {
      db,
      salesforce,
      alerts,
      // The breach checkbox is named in the field mapping (salesforce.fields.slaBreached).
      mappings: liveMappings,
      logger,
      now,
      onBreach: (timer) => metrics.slaBreach(timer.kind),
    },
    env.SLA_TICK_SECONDS * 1000,
  );
  // A backfill walks HubSpot on its own queue and worker, at `bulk` priority: the first work to slow down as a
  // budget runs low, and never more than its share of HubSpot's window, so real-time handoffs stay fast.
  const bulkHubSpot = hubspot.withPriority('bulk');
  const backfillWorker = await startBackfillWorker(boss, {
    db, hubspot: bulkHubSpot, salesforce: salesforce.withPriority('bulk'), leadAssignment, lists: createListIdResolver(bulkHubSpot), mappings: liveMappings, leadReads, logger, now,
  });
  const privacyPurge = await startPrivacyPurgeWorker(boss, { db, logger, now, retentionDays: env.PERSONAL_DATA_RETENTION_DAYS });
  const poller = await startSalesforcePollWorker(
    boss,
    { db, salesforce, hubspot, lists, mappings: liveMappings, leadReads, logger, now, pageSize: env.SALESFORCE_QUERY_PAGE_SIZE, metrics },
    env.SALESFORCE_POLL_INTERVAL_SECONDS * 1000,
  );
  logger.info('handoff service ready', { url: localUrl, publicBaseUrl: publicUrlHolder.value, mode: mode.kind, database: env.DATABASE_URL ? 'DATABASE_URL' : 'embedded', handoffBatchWindowMs: env.HANDOFF_BATCH_WINDOW_MS });

  return {
    url: localUrl,
    ...(sandbox ? { sandbox } : {}),
    databaseLost: databaseServer.lost,
    async stop() {
      draining = true;
      logger.info('shutting down: no new work, finishing jobs in flight');
      await new Promise<void>((resolve) => server.close(() => resolve()));
      worker?.stop();
      clearInterval(pruneBudgets);
      backfillWorker.stop();
      poller.stop();
      slaWorker.stop();
      parkedResume.stop();
      privacyPurge.stop();
      await boss.stop({ graceful: true, timeout: 20_000 });
      await sandbox?.close();
      activeMappings.stop();
      await db.close();
      await databaseServer.stop();
      await releaseLock();
      logger.info('stopped');
    },
  };
}

async function lockLocalData(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  return lockDataDir(dataDir);
}

async function contactIdForEmail(hubspot: HubSpotPort | undefined, email: string): Promise<string | undefined> {
  if (!hubspot) throw new Error('HubSpot is still starting');
  const found = await hubspot.searchContacts({
    filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: email }] }],
    properties: ['email'],
    limit: 1,
  });
  return found.contacts[0]?.id;
}

/** An object whose methods call through to a value that exists only later in start-up. */
function lateBound<T extends object>(get: () => T | undefined, what: string): T {
  return new Proxy({} as T, {
    get(_target, property) {
      return (...args: unknown[]) => {
        const target = get();
        if (!target) throw new Error(`${what} is still starting`);
        return (target as Record<PropertyKey, (...a: unknown[]) => unknown>)[property]!(...args);
      };
    },
  });
}

function readinessChecks(db: Database, boss: PgBoss, workerStarted: () => boolean) {
  return {
    database: async () => {
      await db.query('SELECT 1');
    },
    jobQueue: async () => {
      if (!workerStarted()) throw new Error('worker not started');
      await boss.getQueue('contact-handoff');
    },
  };
}
