import { PgBoss, fromPglite, type ConstructorOptions } from 'pg-boss';
import type { Logger } from '../log.ts';
import type { Database } from './database.ts';
import { yieldingPglite } from './pglite.ts';

export interface JobQueueOptions {
  logger: Logger;
  /** Postgres schema for pg-boss's tables, kept apart from ours. */
  schema?: string;
  /** Extra pg-boss constructor options (e.g. intervals in tests); connection options are ours. */
  boss?: Omit<ConstructorOptions, 'db' | 'connectionString' | 'schema' | 'backend'>;
}

/**
 * pg-boss on the service's own database, started and ready.
 * - PostgreSQL: pg-boss opens its own small pool from the same URL (and a LISTEN connection).
 * - PGlite: pg-boss's `fromPglite` adapter with `backend: 'pglite'`. It runs parameterised
 *   statements with `query` and parameterless, possibly multi-statement scripts with `exec`,
 *   flattening the rows of every statement (what pg-boss's `unwrapSQLResult` expects), and rolls
 *   back after a failed statement so the single connection is not left in an aborted transaction.
 *   Both go through PGlite's lock, so they never run inside one of our open transactions.
 * The caller stops it with `boss.stop({ graceful: true })` before closing the database.
 */
export async function createJobQueue(db: Database, options: JobQueueOptions): Promise<PgBoss> {
  const log = options.logger.child({ module: 'jobs' });
  const schema = options.schema ?? 'pgboss';
  const connection: ConstructorOptions =
    db.kind === 'postgres'
      ? { connectionString: db.connectionString, application_name: 'handoff-jobs' }
      : { db: fromPglite(yieldingPglite(db.pglite)), backend: 'pglite' };
  const boss = new PgBoss({ ...options.boss, ...connection, schema });
  // pg-boss emits background failures (maintenance, polling) here; unheard, they would crash the process.
  boss.on('error', (error) => log.error('job queue error', { error }));
  boss.on('warning', (warning) => log.warn('job queue warning', { warning }));
  await boss.start();
  log.info('job queue started', { engine: db.kind, schema });
  return boss;
}
