import { afterAll, describe, expect, it } from '@jest/globals';
import { eventually, type RunningService } from './support/service-process.ts';
import { createWorld, creationEvent, deliverWebhook, type World } from './support/world.ts';

describe('a crash between ingest and processing', () => {
  let world: World;
  let service: RunningService | undefined;

  afterAll(async () => {
    await service?.kill();
    await world?.close();
  });

  it('loses nothing and duplicates nothing once the service restarts', async () => {
    world = await createWorld();
    const contactId = world.hubspot.createContact({
      email: 'mary@crash.example',
      lastname: 'Jackson',
      company: 'Wind Tunnels',
      demo_requested: 'true',
    });
    service = await world.start();
    // Salesforce is down, so the accepted event cannot be processed before the crash.
    world.salesforce.injectFaults({ status: 503, errorCode: 'SERVER_UNAVAILABLE', count: 1_000_000 });
    const callsBefore = world.salesforce.calls.total ?? 0;
    const response = await deliverWebhook(service.url, world, JSON.stringify([creationEvent(contactId)]));
    expect(response.status).toBe(200);
    await eventually(async () => ((world.salesforce.calls.total ?? 0) > callsBefore ? true : undefined), 10_000, 'a Salesforce attempt');
    await service.kill();
    expect(world.salesforce.records('Lead')).toHaveLength(0);

    world.salesforce.clearFaults();
    service = await world.start();
    const restartedAt = Date.now();
    const lead = await eventually(
      async () => world.salesforce.records('Lead').find((row) => row.Handoff_HubSpot_Id__c === contactId),
      45_000,
      'the Lead after restart',
    );
    process.stdout.write(`Lead committed ${Date.now() - restartedAt} ms after the restart was ready\n`);
    expect(lead).toMatchObject({ Email: 'mary@crash.example', Status: 'Open - Not Contacted' });
    await eventually(
      async () => (world.hubspot.contacts.get(contactId)?.properties.handoff_salesforce_id ? true : undefined),
      10_000,
      'write-back',
    );
    expect(world.salesforce.records('Lead')).toHaveLength(1);
  }, 120_000);
});
