import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/* Fresh databases and data folders without jest globals: used by jest suites and by harnesses run with plain node. */

/**
 * The pinned Node 24 binary, for tests that spawn a child running .ts files directly: jest itself
 * may have been started by an older system node that cannot strip types.
 */
export const pinnedNode = fileURLToPath(new URL('../../node_modules/node/bin/node', import.meta.url));

/** The local test server: trust auth, loopback only (the system PostgreSQL in CI). */
export const DEFAULT_TEST_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/test';
/** Read when a database is made: global-setup.ts may set it after this module loads. */
const adminUrl = () => process.env.HANDOFF_TEST_DATABASE_URL ?? DEFAULT_TEST_SERVER_URL;

/**
 * A temp DATA_DIR for a service that starts its own embedded PostgreSQL; the caller removes it. Searchable by
 * others (0755): run as root, the embedded server runs as its own user, which must be able to enter it.
 */
export async function freshDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'handoff-data-'));
  await chmod(dir, 0o755);
  return dir;
}

/**
 * A new uniquely named (empty, unmigrated) PostgreSQL database on the local server, for tests
 * that hand DATABASE_URL to a child process. `cleanup` drops it, ending any leftover sessions.
 */
export async function freshDatabaseUrl(): Promise<{ url: string; cleanup(): Promise<void> }> {
  const name = `handoff_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    cleanup: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
