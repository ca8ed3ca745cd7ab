import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { silentLogger } from '../../src/log.ts';
import { type Database, openDatabase } from '../../src/store/database.ts';
import { type DatabaseServer, startDatabaseServer } from '../../src/store/database-server.ts';
import { processState } from '../../src/store/process-state.ts';
import { freshDataDir, pinnedNode } from '../support/databases.ts';

const WRITER = fileURLToPath(new URL('./fixtures/killable-writer.ts', import.meta.url));
const logger = silentLogger();
const dirs: string[] = [];
const servers: DatabaseServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop().catch(() => undefined)));
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function dataDir(): Promise<string> {
  const dir = await freshDataDir();
  dirs.push(dir);
  return dir;
}

async function start(dir: string, sandbox = false): Promise<{ server: DatabaseServer; db: Database }> {
  const server = await startDatabaseServer({ dataDir: dir, sandbox, logger });
  servers.push(server);
  return { server, db: await openDatabase({ databaseUrl: server.url, logger }) };
}

/** Runs the writer until it reports its commits, then SIGKILLs it; resolves to the postmaster's pid. */
async function writeThenKill(dir: string): Promise<number> {
  const child = spawn(pinnedNode, ['--no-warnings', WRITER, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit');
  const postmaster = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /committed (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`writer exited early (${code}): ${stderr}`)));
  });
  child.kill('SIGKILL');
  await exited;
  return postmaster;
}

async function killedRows(db: Database): Promise<unknown[]> {
  const rows = await db.query(`SELECT hubspot_contact_id AS id, count(*)::int AS n FROM handoff_history GROUP BY 1 ORDER BY 1`);
  return rows.rows;
}

const KILLED_ROWS = [
  { id: 'killed-0', n: 2 },
  { id: 'killed-1', n: 2 },
  { id: 'killed-2', n: 2 },
];

/** Postmasters (processes whose command line runs postgres -D on this directory). */
async function postmastersOn(dir: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    const args = cmdline.split('\0');
    if (args[0]?.endsWith('/postgres') && args.includes(`${dir}/postgres`)) found.push(Number(entry));
  }
  return found;
}

describe('the embedded PostgreSQL', () => {
  it('is durable, loopback only and password protected', async () => {
    const dir = await dataDir();
    const { server, db } = await start(dir);
    try {
      const settings = await db.query<{ name: string; setting: string }>(
        `SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'listen_addresses', 'unix_socket_directories') ORDER BY name`,
      );
      expect(Object.fromEntries(settings.rows.map((row) => [row.name, row.setting]))).toEqual({
        fsync: 'on',
        full_page_writes: 'on',
        listen_addresses: '127.0.0.1',
        synchronous_commit: 'on',
        unix_socket_directories: '',
      });
      const withoutPassword = new URL(server.url);
      withoutPassword.password = 'not-the-password';
      const client = new pg.Client({ connectionString: withoutPassword.toString() });
      await expect(client.connect()).rejects.toThrow(/password authentication failed/);
      expect((await stat(`${dir}/postgres-password`)).mode & 0o077).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('keeps committed rows when the service is SIGKILLed, and the next start stops the postmaster it left', async () => {
    const dir = await dataDir();
    const left = await writeThenKill(dir);
    // The postmaster runs in its own session: the service's death does not take it along.
    expect((await processState(left)).kind).toBe('running');
    const { db } = await start(dir);
    try {
      expect(await killedRows(db)).toEqual(KILLED_ROWS);
      expect((await processState(left)).kind).toBe('gone');
      expect(await postmastersOn(dir)).toHaveLength(1);
    } finally {
      await db.close();
    }
  });

  it('keeps committed rows when the service and the database server are both SIGKILLed', async () => {
    const dir = await dataDir();
    const postmaster = await writeThenKill(dir);
    process.kill(postmaster, 'SIGKILL');
    const { db } = await start(dir);
    try {
      expect(await killedRows(db)).toEqual(KILLED_ROWS);
      await db.query(`INSERT INTO handoff_history (hubspot_contact_id, action) VALUES ('after', 'handed_off')`);
      expect((await db.query(`SELECT 1 FROM handoff_history WHERE hubspot_contact_id = 'after'`)).rowCount).toBe(1);
    } finally {
      await db.close();
    }
  });

  it('tells the service when its server stops on its own', async () => {
    const dir = await dataDir();
    const { server, db } = await start(dir);
    await db.close();
    const [pid] = await postmastersOn(dir);
    process.kill(pid!, 'SIGKILL');
    await server.lost;
    expect((await processState(pid!)).kind).toBe('gone');
  });

  it('gives sandbox runs their own database, empty at each start, and leaves the live one alone', async () => {
    const dir = await dataDir();
    const live = await start(dir);
    await live.db.query(`INSERT INTO handoff_history (hubspot_contact_id, action) VALUES ('live', 'handed_off')`);
    await live.db.close();
    await live.server.stop();

    const firstSandbox = await start(dir, true);
    expect(new URL(firstSandbox.server.url).pathname).toBe('/handoff_sandbox');
    expect((await firstSandbox.db.query('SELECT 1 FROM handoff_history')).rowCount).toBe(0);
    await firstSandbox.db.query(`INSERT INTO handoff_history (hubspot_contact_id, action) VALUES ('sandbox', 'handed_off')`);
    await firstSandbox.db.close();
    await firstSandbox.server.stop();

    const secondSandbox = await start(dir, true);
    expect((await secondSandbox.db.query('SELECT 1 FROM handoff_history')).rowCount).toBe(0);
    await secondSandbox.db.close();
    await secondSandbox.server.stop();

    const again = await start(dir);
    expect((await again.db.query(`SELECT hubspot_contact_id AS id FROM handoff_history`)).rows).toEqual([{ id: 'live' }]);
    await again.db.close();
  });
});
