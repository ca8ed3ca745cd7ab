import { mkdir } from 'node:fs/promises';
import type { PGlite } from '@electric-sql/pglite';
import type { Logger } from '../log.ts';
import { runMigrations } from './migrate.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

/** Rows of one statement, the same shape on both engines. */
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

interface DatabaseBase extends Queryable {
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Embedded PGlite: one connection in-process; `pglite` is exposed for the pg-boss adapter. */
export interface PgliteDatabase extends DatabaseBase {
  readonly kind: 'pglite';
  readonly dataDir: string;
  readonly pglite: PGlite;
}

/** A PostgreSQL server through a node-postgres pool; pg-boss opens its own pool from the URL. */
export interface PostgresDatabase extends DatabaseBase {
  readonly kind: 'postgres';
  readonly connectionString: string;
}

export type Database = PgliteDatabase | PostgresDatabase;

export interface OpenDatabaseOptions {
  /** When set, use this PostgreSQL server; otherwise an embedded PGlite stored in `dataDir`. */
  databaseUrl?: string | undefined;
  dataDir: string;
  logger: Logger;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
}

/** Opens the configured engine and brings its schema up to date. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const log = options.logger.child({ module: 'store' });
  let db: Database;
  if (options.databaseUrl) {
    db = await openPostgres(options.databaseUrl, log);
  } else {
    await mkdir(options.dataDir, { recursive: true });
    db = await openPglite(options.dataDir);
  }
  log.info('database opened', { engine: db.kind });
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
