import { mkdir } from 'node:fs/promises';
import type { PgBoss } from 'pg-boss';
import { type Env, runModeOf } from '../config/env.ts';
import { type ActiveBundle, startActiveBundle } from '../config/versions/active-bundle.ts';
import type { MappingsBundle } from '../core/mappings/bundle.ts';
import { createBackfillQueue } from '../jobs/backfill/backfill-queue.ts';
import { createHandoffQueue } from '../jobs/handoff-queue.ts';
import type { Logger } from '../log.ts';
import { lockDataDir } from '../store/data-dir-lock.ts';
import { type Database, openDatabase } from '../store/database.ts';
import { startDatabaseServer } from '../store/database-server.ts';
import { createJobQueue } from '../store/job-queue.ts';
import { createSignal, type Signal } from './signal.ts';

export interface Infrastructure {
  db: Database;
  boss: PgBoss;
  /** The active configuration version; every replica reloads it within seconds of a publish. */
  activeMappings: ActiveBundle;
  mappingsChanged: Signal<MappingsBundle>;
  /** Resolves if the embedded database server stops on its own (killed, crashed). */
  databaseLost: Promise<void>;
  /** Finishes the jobs in flight (once, however often it is called). */
  stopJobQueue(): Promise<void>;
  stop(): Promise<void>;
}

/** The data-dir lock, the database (embedded server or DATABASE_URL) with its migrations, the job queue and the active mappings. */
export async function startInfrastructure(env: Env, logger: Logger): Promise<Infrastructure> {
  // Lock first: a second process must not open (or, in sandbox mode, clear) data another one is using.
  const releaseLock = env.DATABASE_URL ? async () => undefined : await lockLocalData(env.DATA_DIR);
  let stopDatabaseServer = async (): Promise<void> => undefined;
  try {
    const databaseServer = await startDatabaseServer({
      databaseUrl: env.DATABASE_URL,
      dataDir: env.DATA_DIR,
      sandbox: runModeOf(env).kind === 'sandbox',
      logger,
    });
    stopDatabaseServer = () => databaseServer.stop();
    const db = await openDatabase({ databaseUrl: databaseServer.url, logger });
    // Supervising and monitoring every 5 s: a dead worker's missed heartbeats free its contacts within ~15 s.
    const boss = await createJobQueue(db, { logger, boss: { superviseIntervalSeconds: 5, monitorIntervalSeconds: 5 } });
    await createHandoffQueue(boss);
    await createBackfillQueue(boss);
    // The active configuration version lives in the database (seeded from MAPPINGS_DIR once).
    const mappingsChanged = createSignal<MappingsBundle>();
    const activeMappings = await startActiveBundle({ db, seedDir: env.MAPPINGS_DIR, logger, onChange: mappingsChanged.emit });
    logger.info('mappings loaded', { configVersion: activeMappings.version(), versions: activeMappings.current().versions });
    let jobQueueStopped: Promise<void> | undefined;
    const stopJobQueue = () => (jobQueueStopped ??= boss.stop({ graceful: true, timeout: 20_000 }));
    return {
      db,
      boss,
      activeMappings,
      mappingsChanged,
      databaseLost: databaseServer.lost,
      stopJobQueue,
      async stop() {
        await stopJobQueue();
        activeMappings.stop();
        await db.close();
        await databaseServer.stop();
        await releaseLock();
      },
    };
  } catch (error) {
    // A start that fails half-way leaves no database server running and no lock held.
    await stopDatabaseServer().catch(() => undefined);
    await releaseLock();
    throw error;
  }
}

async function lockLocalData(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  return lockDataDir(dataDir);
}
