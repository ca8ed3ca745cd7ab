import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/* Engines and fresh databases without jest globals: used by jest suites and by harnesses run with plain node. */

/** Every storage test runs on both engines. */
export const engines = ['pglite', 'postgres'] as const;
export type Engine = (typeof engines)[number];

/**
 * The pinned Node 24 binary, for tests that spawn a child running .ts files directly: jest itself
 * may have been started by an older system node that cannot strip types.
 */
export const pinnedNode = fileURLToPath(new URL('../../node_modules/node/bin/node', import.meta.url));

/** The local test server: trust auth, loopback only. */
const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** A temp directory for a PGlite data dir; the caller removes it. */
export async function freshDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'handoff-pglite-'));
}

/**
 * A new uniquely named (empty, unmigrated) PostgreSQL database on the local server, for tests
 * that hand DATABASE_URL to a child process. `cleanup` drops it, ending any leftover sessions.
 */
export async function freshDatabaseUrl(): Promise<{ url: string; cleanup(): Promise<void> }> {
  const name = `handoff_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  return {
    url: `postgres://postgres@127.0.0.1:5432/${name}`,
    cleanup: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

