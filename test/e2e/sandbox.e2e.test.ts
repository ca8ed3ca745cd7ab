import { afterAll, expect, it } from '@jest/globals';
import { freshDataDir } from '../support/databases.ts';
import { eventually, startServiceProcess, type RunningService } from './support/service-process.ts';

let service: RunningService | undefined;
afterAll(async () => {
  await service?.stop();
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
    body: JSON.stringify({ properties: { email: 'ada@example.org', lastname: 'Lovelace', company: 'Analytical Engines', demo_requested: 'true' } }),
  });
  expect(created.status).toBe(201);
  const contactId = ((await created.json()) as { id: string }).id;
  const lead = await eventually(async () => {
    const leads = (await (await fetch(`${salesforceSim}/_sim/records/Lead`)).json()) as Record<string, unknown>[];
    return leads.find((row) => row.Handoff_HubSpot_Id__c === contactId);
  }, 15_000, 'the sandbox Lead');
  expect(lead).toMatchObject({ Company: 'Analytical Engines', Status: 'Open - Not Contacted' });
  expect(await service.stop()).toBe(0);
});
