import { afterAll, describe, expect, it } from '@jest/globals';
import { eventually, type RunningService } from './support/service-process.ts';
import { createWorld, creationEvent, deliverWebhook, propertyChangeEvent, type World } from './support/world.ts';

const CONTACTS = 20;
const REFUSALS = 40;
const BURST = 3;
type Row = Record<string, unknown>;

/** "Engineer v2" → 2: the version a written Title carries. */
const versionOf = (title: unknown) => Number(/v(\d+)$/.exec(String(title))?.[1] ?? Number.NaN);

describe('a Salesforce outage and HubSpot rate limiting', () => {
  let world: World;
  let service: RunningService | undefined;

  afterAll(async () => {
    await service?.kill();
    await world?.close();
  });

  it("loses nothing, duplicates nothing, and writes each record's changes in order after recovery", async () => {
    world = await createWorld();
    const ids = Array.from({ length: CONTACTS }, (_, i) =>
      world.hubspot.createContact({ email: `o${i}@outage.example`, lastname: `O${i}`, company: 'Outage', demo_requested: 'true' }),
    );
    const changing = world.hubspot.createContact({
      email: 'ada@outage.example',
      lastname: 'Changes',
      company: 'Outage',
      jobtitle: 'Engineer v1',
      demo_requested: 'true',
    });
    service = await world.start();
    const url = service.url;
    const deliver = async (events: Row[]) => expect((await deliverWebhook(url, world, JSON.stringify(events))).status).toBe(200);
    // Salesforce is down until we end the outage; HubSpot answers a first burst of 429s (with Retry-After).
    world.salesforce.injectFaults({ status: 503, errorCode: 'SERVER_UNAVAILABLE', count: 1_000_000 });
    world.hubspot.injectFaults({ status: 429, count: BURST, retryAfterSeconds: 1 });
    for (let i = 0; i < CONTACTS; i += 5) await deliver(ids.slice(i, i + 5).map((id) => creationEvent(id)));

    // While Salesforce is down, one contact changes twice more, each change with its webhook.
    await deliver([creationEvent(changing)]);
    const calls = () => world.salesforce.calls.total ?? 0;
    for (const version of [2, 3]) {
      const before = calls();
      await eventually(async () => (calls() > before ? true : undefined), 30_000, 'another refused Salesforce attempt');
      world.hubspot.updateContact(changing, { jobtitle: `Engineer v${version}` });
      await deliver([propertyChangeEvent(changing, 'jobtitle', `Engineer v${version}`)]);
    }
    await eventually(async () => (calls() >= REFUSALS ? true : undefined), 90_000, `${REFUSALS} refused Salesforce calls`);
    // A second burst of 429s while work is being retried, then Salesforce comes back.
    await eventually(async () => ((world.hubspot.refused[429] ?? 0) >= BURST ? true : undefined), 30_000, 'the first 429 burst served');
    world.hubspot.injectFaults({ status: 429, count: BURST, retryAfterSeconds: 1 });
    const refusedBySalesforce = calls();
    world.salesforce.clearFaults();
    expect(world.salesforce.records('Lead')).toHaveLength(0);

    const landed = () => new Set((world.salesforce.records('Lead') as Row[]).map((lead) => lead.Handoff_HubSpot_Id__c));
    await eventually(
      async () => ([...ids, changing].every((id) => landed().has(id)) ? true : undefined),
      90_000,
      'every Lead after the outage',
    );
    await eventually(
      async () => ([...ids, changing].every((id) => world.hubspot.contacts.get(id)?.properties.handoff_salesforce_id) ? true : undefined),
      30_000,
      'every write-back',
    );
    await eventually(
      async () => (((await (await fetch(`${url}/readyz`)).json()) as { pendingEvents: number }).pendingEvents === 0 ? true : undefined),
      30_000,
      'an empty inbox',
    );
    expect(world.salesforce.records('Lead')).toHaveLength(CONTACTS + 1);
    expect(refusedBySalesforce).toBeGreaterThanOrEqual(REFUSALS);
    // Both 429 bursts were served to the service, and it got past them.
    expect(world.hubspot.refused[429]).toBeGreaterThanOrEqual(2 * BURST);

    // Order per record: the changing contact's Lead ends at v3, and its writes never went back to an older version.
    const lead = (world.salesforce.records('Lead') as Row[]).find((row) => row.Handoff_HubSpot_Id__c === changing)!;
    expect(lead.Title).toBe('Engineer v3');
    const written = world.salesforce
      .writeLog('Lead', String(lead.Id))
      .filter((entry) => 'Title' in entry.values)
      .map((entry) => versionOf(entry.values.Title));
    process.stdout.write(
      `${refusedBySalesforce} Salesforce calls refused, ${world.hubspot.refused[429]} HubSpot 429s; Title versions written: ${written.join(' → ')}\n`,
    );
    expect(written.length).toBeGreaterThan(0);
    expect(written.at(-1)).toBe(3);
    written.forEach((version, index) => {
      expect(version).toBeGreaterThanOrEqual(written[index - 1] ?? 1);
    });
    expect(world.salesforce.overlaps.count).toBe(0);
  }, 240_000);
});
