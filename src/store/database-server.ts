import pg from 'pg';
import type { Logger } from '../log.ts';
import { type Database, openDatabase } from './database.ts';
import { startEmbeddedCluster } from './embedded/embedded-cluster.ts';

/** Where the service's data lives: a URL to open, and what ends with the service. */
export interface DatabaseServer {
  url: string;
  /** Resolves if the embedded server stops on its own; never for a DATABASE_URL server. */
  lost: Promise<void>;
  stop(): Promise<void>;
}

export interface DatabaseServerOptions {
  /** A PostgreSQL server of the operator's; without it, an embedded PostgreSQL in `dataDir`. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /**
   * Sandbox runs use their own database beside the live one, emptied at each start: the simulators start
   * empty, so links and history from an earlier run would point at contacts that no longer exist.
   */
  sandbox: boolean;
  logger: Logger;
}

const SANDBOX_DATABASE_SUFFIX = '_sandbox';
const EMBEDDED_DATABASE = 'handoff';

export async function startDatabaseServer(options: DatabaseServerOptions): Promise<DatabaseServer> {
  const log = options.logger.child({ module: 'store' });
  if (options.databaseUrl) {
    const url = options.sandbox ? await freshSandboxBeside(options.databaseUrl) : options.databaseUrl;
    if (options.sandbox) log.info('sandbox database starts empty', { database: new URL(url).pathname.slice(1) });
    return { url, lost: new Promise(() => undefined), stop: async () => undefined };
  }
  const cluster = await startEmbeddedCluster(options.dataDir, options.logger);
  try {
    const name = options.sandbox ? EMBEDDED_DATABASE + SANDBOX_DATABASE_SUFFIX : EMBEDDED_DATABASE;
    await ensureDatabase(cluster.urlFor('postgres'), name, { recreate: options.sandbox });
    if (options.sandbox) log.info('sandbox database starts empty', { database: name });
    return { url: cluster.urlFor(name), lost: cluster.lost, stop: () => cluster.stop() };
  } catch (error) {
    await cluster.stop().catch(() => undefined);
    throw error;
  }
}

/**
 * A stopped service's embedded database, opened by a tool, a test or the bench: its server is started for the
 * reader and stopped again when the database is closed.
 */
export async function openEmbeddedDatabase(dataDir: string, logger: Logger, options: { migrate?: boolean } = {}): Promise<Database> {
  const server = await startDatabaseServer({ dataDir, sandbox: false, logger });
  try {
    const db = await openDatabase({ databaseUrl: server.url, logger, ...options });
    return {
      ...db,
      async close() {
        await db.close();
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw error;
  }
}

/** `<database>_sandbox` on the same server, dropped and created again; needs the CREATEDB privilege. */
async function freshSandboxBeside(databaseUrl: string): Promise<string> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1)) + SANDBOX_DATABASE_SUFFIX;
  try {
    await ensureDatabase(databaseUrl, name, { recreate: true });
  } catch (error) {
    throw new Error(
      `sandbox mode runs in its own database ${name} beside DATABASE_URL's, recreated at each start; that failed (does the role have CREATEDB?): ${(error as Error).message}`,
    );
  }
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

/** Creates the database unless it exists. */
async function ensureDatabase(adminUrl: string, name: string, options: { recreate?: boolean } = {}): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const quoted = client.escapeIdentifier(name);
    if (options.recreate) await client.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${quoted}`);
  } finally {
    await client.end();
  }
}
