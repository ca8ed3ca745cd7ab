import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pinnedNode } from '../support/engines.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'handoff-config-error-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** `npm start` with this environment only; resolves to its exit code and every line it wrote. */
function start(env: Record<string, string>): Promise<{ code: number | null; lines: string[] }> {
  const child = spawn(pinnedNode, ['src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, lines: output.split('\n').filter(Boolean) })));
}

describe('a start with a bad environment', () => {
  it('exits 2 with one line naming every problem, no stack trace, no secret, and nothing started', async () => {
    const dataDir = join(scratch, 'never-created');
    const { code, lines } = await start({
      DATA_DIR: dataDir,
      DATABASE_URL: 'app:hunter2@garbage',
      ADMIN_TOKEN: 'short-hunter3',
      HANDOFF_MODE: 'live',
    });
    expect(code).toBe(2);
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as { level: string; message: string; problems: string[] };
    expect(entry).toMatchObject({ level: 'error', message: 'configuration invalid; not starting' });
    expect(entry.problems.map((problem) => problem.slice(0, problem.indexOf(':')))).toEqual([
      'DATABASE_URL',
      'ADMIN_TOKEN',
      'HUBSPOT_ACCESS_TOKEN',
      'HUBSPOT_CLIENT_SECRET',
      'SALESFORCE_CLIENT_ID',
      'PUBLIC_BASE_URL',
    ]);
    expect(lines[0]).not.toMatch(/hunter[23]|garbage|stack|\bat \S+:\d+/);
    expect(existsSync(dataDir)).toBe(false);
  }, 30_000);

  it('under NODE_ENV=production without credentials refuses to start instead of running the sandbox', async () => {
    const dataDir = join(scratch, 'production');
    const { code, lines } = await start({ DATA_DIR: dataDir, NODE_ENV: 'production' });
    expect(code).toBe(2);
    expect(lines.join('\n')).not.toContain('SANDBOX MODE');
    expect((JSON.parse(lines[0]!) as { problems: string[] }).problems[0]).toMatch(
      /^HUBSPOT_ACCESS_TOKEN: required in live mode \(NODE_ENV=production/,
    );
    expect(existsSync(dataDir)).toBe(false);
  }, 30_000);
});
