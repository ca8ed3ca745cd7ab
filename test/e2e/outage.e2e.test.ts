import { afterAll, describe, expect, it } from '@jest/globals';
import { engines } from '../support/databases.ts';
import { eventually, type RunningService } from './support/service-process.ts';
import { createWorld, creationEvent, deliverWebhook, type World } from './support/world.ts';

const CONTACTS = 20;

describe.each(engines)('a Salesforce outage and HubSpot rate limiting (%s)', (engine) => {
  let world: World;
  let service: RunningService | undefined;

  afterAll(async () => {
    await service?.kill();
    await world?.close();
  });

  it('loses nothing and duplicates nothing: every qualified contact lands once after recovery', async () => {
    world = await createWorld(engine);
    const ids = Array.from({ length: CONTACTS }, (_, i) => world.hubspot.createContact({ email: `o${i}@outage.example`, lastname: `O${i}`, company: 'Outage', demo_requested: 'true' }));
    service = await world.start();
    // Salesforce is down for a stretch; HubSpot answers 429 (with Retry-After) to a burst of calls.
    world.salesforce.injectFaults({ status: 503, errorCode: 'SERVER_UNAVAILABLE', count: 40 });
    world.hubspot.injectFaults({ status: 429, count: 3, retryAfterSeconds: 1 });
    for (let i = 0; i < CONTACTS; i += 5) {
      const response = await deliverWebhook(service.url, world, JSON.stringify(ids.slice(i, i + 5).map((id) => creationEvent(id))));
      expect(response.status).toBe(200);
    }
    const landed = () => new Set((world.salesforce.records('Lead') as Record<string, unknown>[]).map((lead) => lead.Handoff_HubSpot_Id__c));
    await eventually(async () => (ids.every((id) => landed().has(id)) ? true : undefined), 90_000, 'every Lead after the outage');
    expect(world.salesforce.records('Lead')).toHaveLength(CONTACTS);
    // The outage really happened: all 40 refusals were served (and retried past).
    expect(world.salesforce.calls.total ?? 0).toBeGreaterThan(40);
    await eventually(async () => (ids.every((id) => world.hubspot.contacts.get(id)?.properties.handoff_salesforce_id) ? true : undefined), 30_000, 'every write-back');
    await eventually(async () => ((await (await fetch(`${service!.url}/readyz`)).json()) as { pendingEvents: number }).pendingEvents === 0 ? true : undefined, 30_000, 'an empty inbox');
    expect(world.salesforce.records('Lead')).toHaveLength(CONTACTS);
  }, 180_000);
});
