import { describe, it, expect, afterAll } from '@jest/globals';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../../src/log.ts';
import { openDatabase } from '../../src/store/database.ts';
import { freshDataDir, pinnedNode } from '../support/databases.ts';

const WRITER = fileURLToPath(new URL('./fixtures/killableWriter.ts', import.meta.url));
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Runs the writer until it reports its commits, then SIGKILLs it. */
async function writeThenKill(dataDir: string): Promise<NodeJS.Signals | null> {
  const child = spawn(pinnedNode, ['--no-warnings', WRITER, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('committed')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`writer exited early (${code}): ${stderr}`)));
  });
  child.kill('SIGKILL');
  const [, signal] = (await exited) as [number | null, NodeJS.Signals | null];
  return signal;
}

describe('PGlite data dir', () => {
  it('keeps committed rows after the writing process is SIGKILLed, and reopens', async () => {
    const dataDir = await freshDataDir();
    dirs.push(dataDir);
    expect(await writeThenKill(dataDir)).toBe('SIGKILL');

    const db = await openDatabase({ dataDir, logger: silentLogger() });
    try {
      const rows = await db.query<{ id: string; n: number }>(
        `SELECT hubspot_contact_id AS id, count(*)::int AS n FROM handoff_history GROUP BY 1 ORDER BY 1`,
      );
      expect(rows.rows).toEqual([
        { id: 'killed-0', n: 2 },
        { id: 'killed-1', n: 2 },
        { id: 'killed-2', n: 2 },
      ]);
      // Still writable after recovery.
      await db.query(`INSERT INTO handoff_history (hubspot_contact_id, action) VALUES ('after', 'handed_off')`);
      expect((await db.query(`SELECT 1 FROM handoff_history WHERE hubspot_contact_id = 'after'`)).rowCount).toBe(1);
    } finally {
      await db.close();
    }
  });
});
