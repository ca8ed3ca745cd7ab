import type { Logger } from '../log.ts';
import { runMigrations } from './migrate.ts';
import { openPostgres } from './postgres.ts';

export type { Database, Queryable, QueryResult } from './database-types.ts';

import type { Database } from './database-types.ts';

export interface OpenDatabaseOptions {
  /** The embedded server's URL (see database-server.ts) or the operator's DATABASE_URL. */
  databaseUrl: string;
  logger: Logger;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
}

/** Opens the database and brings its schema up to date. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const log = options.logger.child({ module: 'store' });
  const db = await openPostgres(options.databaseUrl, log);
  if (options.migrate !== false) {
    try {
      await runMigrations(db, log);
    } catch (error) {
      await db.close();
      throw error;
    }
  }
  return db;
}
