import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { silentLogger } from '../../src/log.ts';
import { stopLeftoverServer } from '../../src/store/embedded/embedded-cluster.ts';
import { freshDataDir } from '../support/databases.ts';
import { shellBlocksOf } from './support/readme-shell-blocks.ts';
import { type RunningService, startServiceProcess } from './support/service-process.ts';

/**
 * README's "Sandbox mode (no credentials)" walkthrough, run as written: its shell blocks, pasted into bash, against
 * a sandbox service. Only the ports are changed (the walkthrough's PORT 3000 and the simulators' PORT+1 … PORT+4)
 * and the Salesforce poll is shortened; the blocks' own waits must carry them through.
 */

const README = new URL('../../README.md', import.meta.url);

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The kernel's range for ports it hands out to `listen(0)` and outgoing connections (Linux: ip_local_port_range). */
async function ephemeralRange(): Promise<{ low: number; high: number }> {
  const text = await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').catch(() => '32768 60999');
  const [low, high] = text.trim().split(/\s+/).map(Number);
  return { low: low ?? 32768, high: high ?? 60999 };
}

/**
 * A PORT whose PORT+1 … PORT+5 (the sandbox simulators', Slack workspace's and mail catcher's) are free too, all
 * below the kernel's ephemeral range: the sandbox binds them seconds after this check, and in that gap any other
 * test process's listen(0) or outgoing connection could be given one of them if they were inside it (a CI run once
 * failed with EADDRINUSE that way).
 */
async function freePortRun(): Promise<number> {
  const { low } = await ephemeralRange();
  const base = Math.max(1024, low - 12_000);
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = base + Math.floor(Math.random() * (low - base - 6));
    const free = await Promise.all([0, 1, 2, 3, 4, 5].map((offset) => portIsFree(port + offset)));
    if (free.every(Boolean)) return port;
  }
  throw new Error(`no run of six free ports below ${low}`);
}

function runBash(script: string, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let service: RunningService | undefined;
let dataDir: string | undefined;
let port = 0;

beforeAll(async () => {
  port = await freePortRun();
  dataDir = await freshDataDir();
  service = await startServiceProcess({ DATA_DIR: dataDir, SALESFORCE_POLL_INTERVAL_SECONDS: '2' }, { port });
});

afterAll(async () => {
  await service?.stop();
  if (dataDir) {
    await stopLeftoverServer(dataDir, silentLogger());
    await rm(dataDir, { recursive: true, force: true });
  }
});

it('a sandbox start logs no warning about the HubSpot lists it creates', () => {
  const warnings = service!.output.filter((line) => (JSON.parse(line) as { level?: string }).level === 'warn');
  expect(warnings.length).toBeGreaterThan(0); // the SANDBOX MODE line: the log is read at all
  expect(warnings.filter((line) => /list/i.test(line))).toEqual([]);
});

it("README's sandbox walkthrough, pasted as written, hands a contact off and brings the rep's rejection back", async () => {
  const blocks = shellBlocksOf(await readFile(README, 'utf8'), '### Sandbox mode (no credentials)');
  expect(blocks.length).toBeGreaterThan(0);
  const script = blocks
    .join('\n')
    .replaceAll('127.0.0.1:3000', `127.0.0.1:${port}`)
    .replaceAll('127.0.0.1:3001', `127.0.0.1:${port + 1}`)
    .replaceAll('127.0.0.1:3002', `127.0.0.1:${port + 2}`)
    .replaceAll('127.0.0.1:3003', `127.0.0.1:${port + 3}`)
    .replaceAll('127.0.0.1:3004', `127.0.0.1:${port + 4}`);
  const run = await runBash(script, 150_000);
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });

  const hubspot = `http://127.0.0.1:${port + 1}`;
  const leads = (await (await fetch(`http://127.0.0.1:${port + 2}/_sim/records/Lead`)).json()) as Record<string, string>[];
  expect(leads).toHaveLength(1);
  const contactId = leads[0]!.Handoff_HubSpot_Id__c!;
  // The reasonless rejection was seen by a poll (held back) before the reason was added.
  expect(run.stdout).toMatch(/^Blocked: choose a rejection reason/m);
  const contact = (await (await fetch(`${hubspot}/_sim/contacts/${contactId}`)).json()) as { properties: Record<string, string> };
  expect(contact.properties.handoff_rejection_reason).toBe('bad_timing');
  const lists = (await (await fetch(`${hubspot}/_sim/lists`)).json()) as { name: string; memberIds: string[] }[];
  expect(lists.find((list) => list.name === 'Nurture – Bad timing')?.memberIds).toEqual([contactId]);
  expect(run.stdout).toContain('Nurture – Bad timing');
  // The Lead's owner heard of it at once, on Slack and by e-mail (a sandbox rep, by the org's round-robin rule).
  expect(run.stdout).toMatch(/^Slack: New MQL: Ada Lovelace, Analytical Engines/m);
  expect(run.stdout).toMatch(/^e-mail to [a-z.]+@sales\.example: New MQL: Ada Lovelace, Analytical Engines/m);
}, 240_000);
