import type { Logger } from '../log.ts';
import { runMigrations } from './migrate.ts';
import { openPostgres } from './postgres.ts';

/** Rows of one statement. */
export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

/** Anything that runs SQL: the database itself or an open transaction. Repositories take this. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Runs a parameterless, possibly multi-statement script (migrations). */
  exec(sql: string): Promise<void>;
}

/** A PostgreSQL database through a node-postgres pool; pg-boss opens its own pool from the same URL. */
export interface Database extends Queryable {
  readonly connectionString: string;
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

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
