import { randomBytes } from 'node:crypto';
import { access, chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { silentLogger } from '../../src/log.ts';
import { type Database, openDatabase } from '../../src/store/database.ts';
import { openEmbeddedDatabase } from '../../src/store/database-server.ts';
import { stopLeftoverServer } from '../../src/store/embedded/embedded-cluster.ts';
import type { BenchOptions } from './options.ts';

/** Only what the bench reads back: the inbox count. */
export type BenchDatabase = Pick<Database, 'query' | 'close'>;

/** A fresh store for one world: the service's environment, a way to read it back, and its removal. */
export interface BenchStorage {
  env: Record<string, string>;
  /** The embedded database's folder; none for an external server. */
  dataDir?: string;
  /** Opened while the service is stopped (an embedded store has one owner at a time). */
  openDb(): Promise<BenchDatabase>;
  cleanup(): Promise<void>;
}

/** engine embedded: an empty DATA_DIR the service starts its own database in; postgres: a new database on the local server. */
export async function freshStorage(options: BenchOptions): Promise<BenchStorage> {
  return options.engine === 'embedded' ? embeddedStorage(options) : serverStorage(options);
}

async function embeddedStorage(options: BenchOptions): Promise<BenchStorage> {
  const dataDir = await mkdtemp(join(tmpdir(), 'handoff-bench-'));
  // Run as root, the embedded server runs as its own OS user (handoff-postgres), which must be able to enter it.
  await chmod(dataDir, 0o755);
  const baseline = options.service.side === 'baseline';
  return {
    env: { DATA_DIR: dataDir },
    dataDir,
    openDb: () =>
      baseline ? openBaselineStore(options.service.root, dataDir) : openEmbeddedDatabase(dataDir, silentLogger(), { migrate: false }),
    async cleanup() {
      // A service killed with SIGKILL leaves its database server running: nothing may outlive the bench.
      await stopLeftoverServer(dataDir, silentLogger());
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A baseline's embedded store may be one this checkout cannot read (PGlite in an earlier version), so it is
 * opened with the baseline's own code and modules.
 */
async function openBaselineStore(root: string, dataDir: string): Promise<BenchDatabase> {
  const from = (path: string) => import(pathToFileURL(join(root, path)).href);
  // A baseline that already has the embedded PostgreSQL is read as this checkout reads its own.
  if (
    await access(join(root, 'src/store/database-server.ts')).then(
      () => true,
      () => false,
    )
  )
    return openEmbeddedDatabase(dataDir, silentLogger(), { migrate: false });
  const [{ openDatabase: openBaseline }, { silentLogger: baselineLogger }] = await Promise.all([
    from('src/store/database.ts'),
    from('src/log.ts'),
  ]);
  return (await openBaseline({ dataDir, logger: baselineLogger(), migrate: false })) as BenchDatabase;
}

async function serverStorage(options: BenchOptions): Promise<BenchStorage> {
  const name = `handoff_bench_${randomBytes(6).toString('hex')}`;
  await adminQuery(options.databaseAdminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(options.databaseAdminUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    openDb: () => openDatabase({ databaseUrl: url.toString(), logger: silentLogger(), migrate: false }),
    cleanup: () => adminQuery(options.databaseAdminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
