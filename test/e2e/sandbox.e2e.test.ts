import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from '@jest/globals';
import { silentLogger } from '../../src/log.ts';
import { stopLeftoverServer } from '../../src/store/embedded/embedded-cluster.ts';
import { freshDataDir as makeDataDir, pinnedNode } from '../support/databases.ts';
import { eventually, type RunningService, startServiceProcess } from './support/service-process.ts';

let service: RunningService | undefined;
/** Each run's DATA_DIR holds an embedded PostgreSQL cluster (tens of MB): none outlives the file. */
const dataDirs: string[] = [];
async function freshDataDir(): Promise<string> {
  const dir = await makeDataDir();
  dataDirs.push(dir);
  return dir;
}
afterAll(async () => {
  await service?.stop();
  for (const dir of dataDirs) {
    await stopLeftoverServer(dir, silentLogger());
    await rm(dir, { recursive: true, force: true });
  }
});

it('starts in sandbox mode without credentials, says so first, and hands off through its simulators', async () => {
  service = await startServiceProcess({ DATA_DIR: await freshDataDir() }, { port: 0 });
  const lines = service.output.map((line) => JSON.parse(line) as Record<string, string>);
  expect(lines[0]!.message).toMatch(/^SANDBOX MODE/);
  const started = lines.find((line) => line.message === 'sandbox simulators started')!;
  const hubspotSim = started.hubspotSimulator!;
  const salesforceSim = started.salesforceSimulator!;
  expect(hubspotSim).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

  // A person creates a contact in (simulated) HubSpot; HubSpot's signed webhook does the rest.
  const created = await fetch(`${hubspotSim}/_sim/contacts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      properties: { email: 'ada@example.org', lastname: 'Lovelace', company: 'Analytical Engines', demo_requested: 'true' },
    }),
  });
  expect(created.status).toBe(201);
  const contactId = ((await created.json()) as { id: string }).id;
  const lead = await eventually(
    async () => {
      const leads = (await (await fetch(`${salesforceSim}/_sim/records/Lead`)).json()) as Record<string, unknown>[];
      return leads.find((row) => row.Handoff_HubSpot_Id__c === contactId);
    },
    15_000,
    'the sandbox Lead',
  );
  expect(lead).toMatchObject({ Company: 'Analytical Engines', Status: 'Open - Not Contacted' });
  expect(await service.stop()).toBe(0);
});

it("hears a rep's rejection through change events: with the poll an hour apart it still reaches HubSpot at once", async () => {
  service = await startServiceProcess({ DATA_DIR: await freshDataDir(), SALESFORCE_POLL_INTERVAL_SECONDS: '3600' }, { port: 0 });
  const lines = service.output.map((line) => JSON.parse(line) as Record<string, string>);
  const started = lines.find((line) => line.message === 'sandbox simulators started')!;
  const hubspotSim = started.hubspotSimulator!;
  const salesforceSim = started.salesforceSimulator!;
  const url = service.url;
  // The subscriber says the stream is live before the rep acts (sandbox mode turns change events on).
  await eventually(
    async () => {
      const ready = (await (await fetch(`${url}/readyz`)).json()) as { details?: { salesforceChanges?: { path: string } } };
      return ready.details?.salesforceChanges?.path === 'change-events' ? true : undefined;
    },
    15_000,
    'the change-event path to be live',
  );
  const created = await fetch(`${hubspotSim}/_sim/contacts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      properties: { email: 'grace@example.org', lastname: 'Hopper', company: 'Compilers Inc', demo_requested: 'true' },
    }),
  });
  const contactId = ((await created.json()) as { id: string }).id;
  const lead = await eventually(
    async () => {
      const leads = (await (await fetch(`${salesforceSim}/_sim/records/Lead`)).json()) as Record<string, unknown>[];
      return leads.find((row) => row.Handoff_HubSpot_Id__c === contactId);
    },
    15_000,
    'the sandbox Lead',
  );
  // The rep rejects with a reason, in the Salesforce UI (the simulator's rep edit).
  const edited = await fetch(`${salesforceSim}/_sim/records/Lead/${String(lead.Id)}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ Status: 'Rejected', Rejection_Reason__c: 'no_budget' }),
  });
  expect(edited.ok).toBe(true);
  const contact = await eventually(
    async () => {
      const current = (await (await fetch(`${hubspotSim}/_sim/contacts/${contactId}`)).json()) as { properties: Record<string, unknown> };
      return current.properties.handoff_rejection_reason === 'no_budget' ? current : undefined;
    },
    10_000,
    'the rejection in HubSpot (the next poll is an hour away)',
  );
  expect(contact.properties.handoff_rejection_reason).toBe('no_budget');
  expect(await service.stop()).toBe(0);
});

it('stops cleanly on a SIGTERM that arrives while it is still starting', async () => {
  const child = spawn(pinnedNode, ['src/main.ts'], {
    cwd: fileURLToPath(new URL('../../', import.meta.url)),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: await freshDataDir(),
      SANDBOX_HISTORY: 'off',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // The first log line comes before the database is opened: signal then.
  await new Promise<void>((resolve) =>
    child.stdout.on('data', (chunk: Buffer) => {
      output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (output.length > 0 && child.signalCode === null && !child.killed) {
        child.kill('SIGTERM');
        resolve();
      }
    }),
  );
  expect(await exited).toBe(0);
  const messages = output.map((line) => JSON.parse(line) as { message: string; starting?: boolean });
  expect(messages.find((line) => line.message === 'signal received')?.starting).toBe(true);
  expect(messages.at(-1)?.message).toBe('stopped');
}, 60_000);
