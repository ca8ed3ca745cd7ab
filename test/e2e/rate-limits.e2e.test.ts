import { afterAll, describe, expect, it } from '@jest/globals';
import { eventually, type RunningService } from './support/service-process.ts';
import { createWorld, creationEvent, deliverWebhook, type World } from './support/world.ts';

/** HubSpot's Free/Starter burst limit, kept by the simulator and configured in the service. */
const BURST = { max: 100, windowMs: 10_000 };
/** More contacts than one window has calls: their reads alone pass it, however the write-backs are grouped. */
const CONTACTS = 110;

describe('HubSpot rate limits with a real service', () => {
  let world: World;
  let service: RunningService | undefined;

  afterAll(async () => {
    await service?.kill();
    await world?.close();
  });

  it('hands off a stream of contacts well past one window with no 429 served, every Lead exactly once', async () => {
    world = await createWorld();
    const ids = Array.from({ length: CONTACTS }, (_, i) =>
      world.hubspot.createContact({ email: `r${i}@rate.example`, lastname: `R${i}`, company: 'Rate', demo_requested: 'true' }),
    );
    // Write-backs sent as soon as each batch queues them (no grouping window); the fixed window (1 ms) instead of
    // pacing, so neither the real-time share nor the write-back's wait for room in it holds calls back: only the rate
    // limiter stands between the service and a 429.
    service = await world.start({ HUBSPOT_BURST_LIMIT: String(BURST.max), HUBSPOT_WRITEBACK_WINDOW_MS: '0', HANDOFF_BATCH_WINDOW_MS: '1' });
    // Setup traffic (properties, lists) is behind us: the simulator's window and its 429 count start now.
    world.hubspot.setRateLimit(BURST);
    const before = world.hubspot.calls.total;
    const started = Date.now();
    const landed = () => new Set((world.salesforce.records('Lead') as Record<string, unknown>[]).map((lead) => lead.Handoff_HubSpot_Id__c));
    // One contact at a time: every handoff is its own batch with its own HubSpot read, so the service makes more
    // calls than one window allows, as fast as it can.
    for (const id of ids) {
      expect((await deliverWebhook(service.url, world, JSON.stringify([creationEvent(id)]))).status).toBe(200);
      await eventually(async () => (landed().has(id) ? true : undefined), 30_000, `the Lead of contact ${id}`);
    }
    await eventually(
      async () => (ids.every((id) => world.hubspot.contacts.get(id)?.properties.handoff_salesforce_id) ? true : undefined),
      30_000,
      'every write-back',
    );
    const elapsed = Date.now() - started;
    const calls = world.hubspot.calls.total - before;

    // The write-back outbox groups contacts whose write-back waited for a slot, so only the reads are one per contact.
    expect(calls).toBeGreaterThan(BURST.max);
    // Keeping to 100 per 10 s, N calls need at least floor((N - 1) / 100) full windows.
    expect(elapsed).toBeGreaterThanOrEqual(Math.floor((calls - 1) / BURST.max) * BURST.windowMs);
    expect(world.hubspot.rateLimit.refused).toBe(0);
    const leads = world.salesforce.records('Lead') as Record<string, unknown>[];
    expect(leads).toHaveLength(CONTACTS);
    expect(new Set(leads.map((lead) => lead.Handoff_HubSpot_Id__c)).size).toBe(CONTACTS);

    const budgets = (await (
      await fetch(`${service.url}/api/budgets`, { headers: { authorization: `Bearer ${world.env.ADMIN_TOKEN}` } })
    ).json()) as {
      hubspot: { callsToday: Record<string, number>; reportedBurst: { max: number; windowMs: number } };
    };
    expect(budgets.hubspot.reportedBurst).toMatchObject(BURST);
    expect(budgets.hubspot.callsToday.handoff).toBeGreaterThan(BURST.max);
  }, 120_000);
});
