import { type Env, runModeOf, seedsSandboxHistory } from './config/env.ts';
import { createConfigVersions } from './config/versions/service.ts';
import { createIntakePressure } from './jobs/intake-pressure.ts';
import { dryRunRoute } from './jobs/routing/dry-run-route.ts';
import type { Logger } from './log.ts';
import { sandboxCredentials } from './sandbox/credentials.ts';
import type { Sandbox } from './sandbox/sandbox.ts';
import { changeEventsOn } from './service/change-events.ts';
import { startHttp } from './service/http.ts';
import { startInfrastructure } from './service/infrastructure.ts';
import { checkLeadFieldsNow } from './service/lead-field-check.ts';
import { createObservedBudgets } from './service/observed-budgets.ts';
import { startProviders } from './service/providers.ts';
import { createSignal } from './service/signal.ts';
import type { StartedLater } from './service/started-later.ts';
import { startWorkers } from './service/workers.ts';

export interface RunningService {
  url: string;
  sandbox?: Sandbox;
  /** Resolves if the embedded database server stops on its own (killed, crashed). */
  databaseLost: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the service in four parts, each returning its own stop:
 * 1. infrastructure: data-dir lock, database and migrations, job queue, active mappings;
 * 2. HTTP: bound before the providers, because the simulated HubSpot needs the URL to send its webhooks to
 *    (and /healthz answers while a slow Salesforce is still being checked);
 * 3. providers: the HubSpot and Salesforce adapters, real or against the sandbox simulators;
 * 4. workers: handoff, parked resume, SLA, backfill, privacy purge and the Salesforce poll.
 * A start that fails half-way stops the parts already running, in reverse.
 */
export async function startService(env: Env, logger: Logger): Promise<RunningService> {
  const mode = runModeOf(env);
  const stops: (() => Promise<void> | void)[] = [];
  // Each part stopped even when one before it fails to, so the lock is released whatever happens.
  const stopStarted = async () => {
    for (const stop of stops.reverse())
      await Promise.resolve()
        .then(stop)
        .catch(() => undefined);
  };
  try {
    const infrastructure = await startInfrastructure(env, logger);
    stops.push(infrastructure.stop);
    const { db, boss, activeMappings } = infrastructure;
    // The mappings at start: the sandbox's setup and the Lead checks use these; the workers read the live ones.
    const mappings = activeMappings.current();
    // Before any worker runs, so the quarter is in place when the first contact of today arrives. Live mode never seeds.
    if (seedsSandboxHistory(env))
      await (await import('./sandbox/seed-history.ts')).seedSandboxHistory({ db, mappings, now: new Date(), logger });
    const shared = createObservedBudgets(env, db, logger);
    stops.push(shared.stop);
    const { metrics, alerts, budgets } = shared;

    const credentials = mode.kind === 'sandbox' ? sandboxCredentials() : undefined;
    // Above this rate of incoming events the worker's lanes take turns, so acknowledging a flood comes first.
    const intake = createIntakePressure({ busyEventsPerSecond: 500 });
    const contactsQueued = createSignal();
    const later: StartedLater = { handoffWorkerRunning: false };
    const http = await startHttp(env, logger, {
      db,
      boss,
      metrics,
      budgets,
      intake,
      contactsQueued,
      later,
      hubspotClientSecret: credentials?.hubspotClientSecret ?? env.HUBSPOT_CLIENT_SECRET ?? '',
      routing: () => activeMappings.current().routing,
      changeEventsOn: changeEventsOn(env, mode.kind === 'sandbox'),
    });
    stops.push(http.stop);

    const providers = await startProviders(env, logger, {
      sandboxCredentials: credentials,
      publicBaseUrl: http.publicBaseUrl,
      httpPort: http.port,
      mappings,
      budgets,
      metrics,
    });
    stops.push(providers.stop);
    const { hubspot, salesforce } = providers;
    const leadReads = await checkLeadFieldsNow({ salesforce, mappings, mappingsChanged: infrastructure.mappingsChanged, logger });
    later.configVersions = createConfigVersions({ db, hubspot, salesforce, logger, now: () => new Date() });
    later.hubspot = hubspot;
    later.salesforce = salesforce;
    later.resolveDirectory = providers.resolveDirectory;
    later.routingDryRun = (contactId) =>
      dryRunRoute(contactId, {
        db,
        hubspot,
        salesforce,
        resolveDirectory: providers.resolveDirectory,
        mappings: () => activeMappings.current(),
        now: () => new Date(),
      });

    const workers = await startWorkers(env, logger, {
      db,
      boss,
      hubspot,
      salesforce,
      notificationChannels: providers.notificationChannels,
      resolveDirectory: providers.resolveDirectory,
      sandbox: providers.sandbox,
      mappings: () => activeMappings.current(),
      leadReads,
      alerts,
      metrics,
      budgets,
      intake,
      contactsQueued,
      later,
      stopJobQueue: infrastructure.stopJobQueue,
    });
    stops.push(workers.stop);
    logger.info('handoff service ready', {
      url: http.url,
      publicBaseUrl: http.publicBaseUrl,
      mode: mode.kind,
      database: env.DATABASE_URL ? 'DATABASE_URL' : 'embedded',
      handoffBatchWindowMs: env.HANDOFF_BATCH_WINDOW_MS,
    });

    return {
      url: http.url,
      ...(providers.sandbox ? { sandbox: providers.sandbox } : {}),
      databaseLost: infrastructure.databaseLost,
      async stop() {
        logger.info('shutting down: no new work, finishing jobs in flight');
        // The front door closes first, out of the reverse order, so no new work arrives while the rest drains;
        // the workers then wait for the jobs in flight, while the providers still answer them.
        await http.stop();
        await workers.stop();
        await providers.stop();
        shared.stop();
        await infrastructure.stop();
        logger.info('stopped');
      },
    };
  } catch (error) {
    await stopStarted();
    throw error;
  }
}
