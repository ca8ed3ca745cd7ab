import { afterAll, describe, expect, it } from '@jest/globals';
import { hubspotWrites } from './support/hubspot-lists.ts';
import { eventually, type RunningService } from './support/service-process.ts';
import { createWorld, type World } from './support/world.ts';

const LEADS = 1_000;
const PAGE = 200;

describe('polling a thousand changed Leads with a small page size', () => {
  let world: World;
  let service: RunningService | undefined;

  afterAll(async () => {
    await service?.kill();
    await world?.close();
  });

  it('pages through every Lead once, in order, and sends each change to HubSpot exactly once', async () => {
    world = await createWorld();
    const contactIds = Array.from({ length: LEADS }, (_, i) =>
      world.hubspot.createContact({ email: `p${i}@paging.example`, lastname: `P${i}` }),
    );
    // One request: every Lead shares one SystemModstamp, so only the Id breaks ties across page boundaries.
    world.salesforce.createRecords(
      'Lead',
      contactIds.map((id, i) => ({ LastName: `P${i}`, Company: 'Paging', Status: 'Accepted', Handoff_HubSpot_Id__c: id })),
    );

    service = await world.start({ SALESFORCE_POLL_INTERVAL_SECONDS: '1', SALESFORCE_QUERY_PAGE_SIZE: String(PAGE) });
    const accepted = () => contactIds.filter((id) => world.hubspot.contacts.get(id)?.properties.hs_lead_status === 'IN_PROGRESS').length;
    await eventually(async () => (accepted() === LEADS ? true : undefined), 60_000, `${LEADS} contacts marked accepted`);
    expect(contactIds.every((id) => world.hubspot.contacts.get(id)!.properties.lifecyclestage === 'marketingqualifiedlead')).toBe(true);

    // Later polls re-read the overlap window but find nothing new: no further HubSpot writes.
    const writes = hubspotWrites(world);
    const queries = world.salesforce.calls.query ?? 0;
    await eventually(
      async () => ((world.salesforce.calls.query ?? 0) >= queries + 2 * (LEADS / PAGE) ? true : undefined),
      20_000,
      'two more full polls',
    );
    expect(hubspotWrites(world)).toBe(writes);

    expect(await service.stop()).toBe(0);
    service = undefined;
    const db = await world.openDb();
    try {
      const remembered = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM lead_memory');
      expect(remembered.rows[0]!.count).toBe(LEADS);
      const history = await db.query<{ count: number }>(
        "SELECT count(*)::int AS count FROM handoff_history WHERE action = 'status_synced'",
      );
      expect(history.rows[0]!.count).toBe(LEADS);
    } finally {
      await db.close();
    }
  }, 180_000);
});
