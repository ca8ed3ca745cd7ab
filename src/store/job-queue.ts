import { type ConstructorOptions, PgBoss } from 'pg-boss';
import type { Logger } from '../log.ts';
import type { Database } from './database.ts';

export interface JobQueueOptions {
  logger: Logger;
  /** Postgres schema for pg-boss's tables, kept apart from ours. */
  schema?: string;
  /** Extra pg-boss constructor options (e.g. intervals in tests); connection options are ours. */
  boss?: Omit<ConstructorOptions, 'db' | 'connectionString' | 'schema' | 'backend'>;
}

/**
 * pg-boss on the service's own database, started and ready. It opens its own small pool from the same URL
 * (and a LISTEN connection). The caller stops it with `boss.stop({ graceful: true })` before closing the database.
 */
export async function createJobQueue(db: Database, options: JobQueueOptions): Promise<PgBoss> {
  const log = options.logger.child({ module: 'jobs' });
  const schema = options.schema ?? 'pgboss';
  const boss = new PgBoss({ ...options.boss, connectionString: db.connectionString, application_name: 'handoff-jobs', schema });
  // pg-boss emits background failures (maintenance, polling) here; unheard, they would crash the process.
  boss.on('error', (error) => log.error('job queue error', { error }));
  boss.on('warning', (warning) => log.warn('job queue warning', { warning }));
  await boss.start();
  log.info('job queue started', { schema });
  return boss;
}
