import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { silentLogger } from '../../src/log.ts';
import { startEmbeddedCluster } from '../../src/store/embedded/embedded-cluster.ts';
import { DEFAULT_TEST_SERVER_URL } from './engines.ts';

/**
 * The suites create their databases on the PostgreSQL at 127.0.0.1:5432 (CI's system server) or the one
 * HANDOFF_TEST_DATABASE_URL names. Without either, one embedded PostgreSQL is started for the whole run, so a
 * fresh machine needs nothing but `npm install`. Its URL reaches the suites through the environment.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.HANDOFF_TEST_DATABASE_URL || (await reachable(DEFAULT_TEST_SERVER_URL))) return;
  const dataDir = await mkdtemp(join(tmpdir(), 'handoff-test-server-'));
  await chmod(dataDir, 0o755);
  const cluster = await startEmbeddedCluster(dataDir, silentLogger());
  process.env.HANDOFF_TEST_DATABASE_URL = cluster.urlFor('postgres');
  process.stdout.write(`\nno PostgreSQL on 127.0.0.1:5432: the suites run on an embedded one in ${dataDir}\n`);
  (globalThis as { stopTestServer?: () => Promise<void> }).stopTestServer = async () => {
    await cluster.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}
