import { ConfigError, type Env, parseEnv, runModeOf } from './config/env.ts';
import { MappingsError } from './config/mappings.ts';
import { createLogger } from './log.ts';
import { type RunningService, startService } from './service.ts';

/** Entry point: the first log line says which mode the service runs in. */
async function main(): Promise<void> {
  let env: Env;
  try {
    env = parseEnv(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      // One line naming every problem, no stack trace: the problems say what to fix and never quote a secret.
      createLogger().error('configuration invalid; not starting', { problems: error.problems });
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(env.LOG_LEVEL);
  // Signals are handled from the start: one that arrives while starting stops the service once it is up,
  // instead of killing it half-way through opening the database.
  let service: RunningService | undefined;
  let stopRequested: string | undefined;
  const shutdown = (signal: string) => {
    if (stopRequested) return;
    stopRequested = signal;
    logger.info('signal received', { signal, starting: service === undefined });
    if (service) stopAndExit(service, logger);
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // Started by a parent over an IPC channel (`npm run demo`): when that parent dies, even by SIGKILL, the
  // channel closes, and the service stops instead of running on as an orphan. The channel alone keeps nothing alive.
  if (process.channel) {
    process.channel.unref();
    process.once('disconnect', () => shutdown('parent-exited'));
  }
  const mode = runModeOf(env);
  if (mode.kind === 'sandbox') {
    logger.warn('SANDBOX MODE: HubSpot and Salesforce are built-in simulators on loopback; nothing leaves this machine', {
      reason: mode.reason,
    });
  } else {
    logger.info('LIVE MODE: syncing with HubSpot and Salesforce', {
      reason: mode.reason,
      hubspot: env.HUBSPOT_BASE_URL,
      salesforce: env.SALESFORCE_INSTANCE_URL ?? env.SALESFORCE_LOGIN_URL,
    });
  }
  try {
    service = await startService(env, logger);
  } catch (error) {
    if (error instanceof MappingsError) logger.error('mappings invalid; not starting', { problems: error.problems });
    else logger.error('start failed', { error });
    process.exit(1);
  }
  if (stopRequested) stopAndExit(service, logger);
  // Without its database the service can acknowledge nothing; exiting lets a supervisor restart both. What was
  // acknowledged is committed; what was not is retried by HubSpot.
  void service.databaseLost.then(() => {
    logger.error('the embedded database server stopped unexpectedly; exiting so both start again');
    process.exit(1);
  });
}

function stopAndExit(service: { stop(): Promise<void> }, logger: ReturnType<typeof createLogger>): void {
  service
    .stop()
    .then(() => process.exit(0))
    .catch((error: unknown) => {
      logger.error('shutdown failed', { error });
      process.exit(1);
    });
}

void main();
