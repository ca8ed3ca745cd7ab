import type { PgBoss } from 'pg-boss';
import type { ApiBudgets } from '../budgets/api-budgets.ts';
import type { Env } from '../config/env.ts';
import { createCalibrationExamples } from '../config/versions/calibration-examples.ts';
import type { RoutingConfig } from '../core/routing/routing-schema.ts';
import { adminApiRouter } from '../http/admin/admin-api-router.ts';
import { createParkedWork } from '../http/admin/parked-work.ts';
import { createRecordLookup } from '../http/admin/record-lookup.ts';
import { type RoutingAdminDeps, routingKpiLabels } from '../http/admin/routing-routes.ts';
import { createAdminSessions, postgresSessionStore } from '../http/admin/sessions.ts';
import { adminPageRouter } from '../http/admin-page/admin-page-router.ts';
import { createHttpApp } from '../http/app.ts';
import { healthRouter } from '../http/health-routes.ts';
import { closeServer, listen } from '../http/listen.ts';
import { metricsRouter } from '../http/metrics-route.ts';
import { readSalesforceChangePath } from '../http/salesforce-change-path.ts';
import { hubspotWebhookRouter } from '../http/webhooks/hubspot-webhook-route.ts';
import { createBackfillService } from '../jobs/backfill/backfill-service.ts';
import { createWebhookIngest } from '../jobs/ingest-webhooks.ts';
import type { IntakePressure } from '../jobs/intake-pressure.ts';
import { createKpiReader } from '../kpis/compute-kpis.ts';
import { createRoutingKpiReader } from '../kpis/routing-kpis.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { Database } from '../store/database.ts';
import { countPending } from '../store/inbox.ts';
import type { Signal } from './signal.ts';
import {
  configVersionsWhenStarted,
  contactIdForEmail,
  replayParkedWhenStarted,
  resolveDirectoryWhenStarted,
  routingDryRunWhenStarted,
  type StartedLater,
  schemaSourcesWhenStarted,
} from './started-later.ts';

export interface HttpDeps {
  db: Database;
  boss: PgBoss;
  metrics: Metrics;
  budgets: ApiBudgets;
  intake: IntakePressure;
  /** Told when webhook events were queued, so the handoff worker picks them up at once. */
  contactsQueued: Signal;
  /** The HubSpot app's client secret that signs the webhooks (the sandbox's own in sandbox mode). */
  hubspotClientSecret: string;
  later: StartedLater;
  /** Whether the change-event subscriber runs (SALESFORCE_CDC, or its default for the run mode). */
  changeEventsOn: boolean;
  /** The active routing.yaml: the admin API's routing pools, pause/resume, dry run and the routing KPIs. */
  routing: () => RoutingConfig;
}

export interface RunningHttp {
  /** A URL this machine reaches the service on. */
  url: string;
  port: number;
  /** PUBLIC_BASE_URL, or the bound URL when it is not set: where HubSpot sends its webhooks. */
  publicBaseUrl: string;
  /** Stops taking requests (health says draining) and waits for those in flight. */
  stop(): Promise<void>;
}

/** The webhook intake, health, metrics and admin routes, bound to PORT before the providers start. */
export async function startHttp(env: Env, logger: Logger, deps: HttpDeps): Promise<RunningHttp> {
  const { db, boss, metrics, intake, later } = deps;
  let draining = false;
  const ingest = createWebhookIngest({
    db,
    boss,
    logger,
    wake: () => deps.contactsQueued.emit(),
    accepted: intake.accepted,
    busy: intake.busy,
    rejected: (count) => metrics.webhookEventsRejected(count),
  });
  // Without PUBLIC_BASE_URL the webhook signature covers the bound URL, known only once listening (PORT may be 0),
  // and the route must exist before the port answers: so it reads the URL per request.
  let publicBaseUrl = env.PUBLIC_BASE_URL ?? '';
  // In the database, so signing out on one replica ends the session on all of them.
  const adminSessions = createAdminSessions(postgresSessionStore(db));
  const routingAdmin: RoutingAdminDeps = {
    db,
    routing: deps.routing,
    resolveDirectory: resolveDirectoryWhenStarted(later),
    dryRun: routingDryRunWhenStarted(later),
  };
  const changePath = () => readSalesforceChangePath(db, deps.changeEventsOn);
  const app = createHttpApp({
    logger,
    trustProxy: env.TRUST_PROXY,
    routers: [
      healthRouter(
        readinessChecks(db, boss, () => later.handoffWorkerRunning),
        () => draining,
        () => countPending(db),
        async () => ({ salesforceChanges: await changePath() }),
      ),
      hubspotWebhookRouter({
        clientSecret: deps.hubspotClientSecret,
        get publicBaseUrl() {
          return publicBaseUrl;
        },
        ingest,
        logger,
        metrics,
      }),
      adminApiRouter({
        adminToken: env.ADMIN_TOKEN,
        configVersions: configVersionsWhenStarted(later),
        records: createRecordLookup(db, { contactIdForEmail: (email) => contactIdForEmail(later, email) }),
        parked: createParkedWork(db, replayParkedWhenStarted(later), { maxAutoReplays: env.PARKED_MAX_AUTO_REPLAYS }),
        kpis: createKpiReader(db),
        calibration: createCalibrationExamples(db),
        routing: routingAdmin,
        routingKpis: createRoutingKpiReader(db, routingKpiLabels(routingAdmin), logger),
        budgets: deps.budgets,
        backfill: createBackfillService({ db, boss, now: () => new Date() }),
        changePath,
        schemas: schemaSourcesWhenStarted(later),
        sessions: adminSessions,
        publicBaseUrl: env.PUBLIC_BASE_URL,
        logger,
      }),
      metricsRouter(metrics),
      adminPageRouter({ adminToken: env.ADMIN_TOKEN, sessions: adminSessions, publicBaseUrl: env.PUBLIC_BASE_URL, logger }),
    ],
  });
  const { server, port, localUrl } = await listen(app, env.PORT, env.HOST, logger);
  publicBaseUrl ||= localUrl;
  return {
    url: localUrl,
    port,
    publicBaseUrl,
    async stop() {
      draining = true;
      await closeServer(server);
    },
  };
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
