import { afterAll, describe, expect, it } from '@jest/globals';
import { type WebhookEvent, WebhookSender } from '../harness/webhook-sender.ts';
import { eventually, freePort, type RunningService, startServiceProcess } from './support/service-process.ts';
import { createWorld, creationEvent, propertyChangeEvent, signedHeaders, type World } from './support/world.ts';

const QUALIFYING = 90;
const NOT_QUALIFYING = 30;
type Row = Record<string, unknown>;

/** The handoff batches a replica's own log says it processed, and how many contacts they held. */
function handoffBatches(replica: RunningService): { batches: number; contacts: number } {
  const batches = replica.output.flatMap((line) => {
    try {
      const entry = JSON.parse(line) as { message?: string; contacts?: number };
      return entry.message === 'handoff batch done' && (entry.contacts ?? 0) > 0 ? [entry.contacts ?? 0] : [];
    } catch {
      return [];
    }
  });
  return { batches: batches.length, contacts: batches.reduce((sum, n) => sum + n, 0) };
}

/**
 * Three service processes on one PostgreSQL database behind a round-robin "load balancer" (the sender): the
 * work is shared, each record is processed by one replica at a time (the Salesforce simulator, with 100 ms
 * latency per call, counts any two writes for one record in flight at once), one replica is SIGKILLed midway
 * and the others finish its work, the totals match exactly, and the Salesforce poll runs on one replica at a time.
 */
describe('three replicas on one PostgreSQL', () => {
  let world: World;
  let replicas: RunningService[] = [];

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.kill()));
    await world?.close();
  });

  it('share the work, never process one record twice at once, and end with exact totals', async () => {
    world = await createWorld({ salesforceLatencyMs: 100 });
    // Started together: the migrations run once, under the advisory lock.
    replicas = await Promise.all(
      [0, 1, 2].map(async () => startServiceProcess({ ...world.env, SALESFORCE_POLL_INTERVAL_SECONDS: '1' }, { port: await freePort() })),
    );
    const sender = new WebhookSender({
      targets: () => replicas.map((replica) => replica.url),
      headers: (body) => signedHeaders(world, body),
    });

    const contacts = Array.from({ length: QUALIFYING + NOT_QUALIFYING }, (_, i) => ({
      qualifies: i < QUALIFYING,
      id: world.hubspot.createContact({
        email: `r${i}@replicas.example`,
        lastname: `R${i}`,
        company: 'Replicas',
        jobtitle: 'Engineer v0',
        ...(i < QUALIFYING ? { demo_requested: 'true' } : {}),
      }),
    }));
    // Creations, then a title change per contact, in batches of 6 sent round robin: a contact's two events
    // usually reach different replicas while the first one is still being processed.
    const events: (() => WebhookEvent)[] = [
      ...contacts.map(
        ({ id }) =>
          () =>
            creationEvent(id) as WebhookEvent,
      ),
      ...contacts.map(({ id }) => () => {
        world.hubspot.updateContact(id, { jobtitle: 'Engineer v1' });
        return propertyChangeEvent(id, 'jobtitle', 'Engineer v1') as WebhookEvent;
      }),
    ];
    const deliveries: Promise<boolean>[] = [];
    let killed: RunningService | undefined;
    for (let start = 0; start < events.length; start += 6) {
      deliveries.push(sender.deliver(events.slice(start, start + 6).map((make) => make())));
      await new Promise((resolve) => setTimeout(resolve, 60));
      if (!killed && start >= events.length / 2) {
        // Midway, a replica that has done some of the work dies (the first one stays: the test reads its /readyz).
        killed = await eventually(
          async () => replicas.slice(1).find((replica) => handoffBatches(replica).batches > 0),
          30_000,
          'a second replica at work',
        );
        await killed.kill();
      }
    }
    expect((await Promise.all(deliveries)).every(Boolean)).toBe(true);

    const survivor = replicas[0]!;
    const pending = async () => ((await (await fetch(`${survivor.url}/readyz`)).json()) as { pendingEvents: number }).pendingEvents;
    await eventually(async () => ((await pending()) === 0 ? true : undefined), 90_000, 'an empty inbox');
    const shares = replicas.map(handoffBatches);
    const leads = world.salesforce.records('Lead') as Row[];
    const qualifying = contacts.filter((c) => c.qualifies).map((c) => c.id);
    const db = await world.openDb();
    try {
      process.stdout.write(
        `handoff batches per replica: ${shares.map((s, i) => `#${i + 1} ${s.batches} batches / ${s.contacts} contacts${replicas[i] === killed ? ' (killed midway)' : ''}`).join(', ')}; ` +
          `${sender.stats.connectionFailures} deliveries refused by the dead replica and redelivered to the others\n`,
      );
      for (const share of shares) expect(share.batches).toBeGreaterThan(0);
      expect(world.salesforce.overlaps).toEqual({ count: 0, records: [] });

      // Totals: one Lead per qualifying contact with its last title, one handed_off row each, none for the rest.
      expect(leads.map((lead) => lead.Handoff_HubSpot_Id__c).sort()).toEqual([...qualifying].sort());
      const stale = leads
        .filter((lead) => lead.Title !== 'Engineer v1')
        .map((lead) => ({
          contact: lead.Handoff_HubSpot_Id__c,
          title: lead.Title,
          salesforceGot: world.salesforce.writeLog('Lead', String(lead.Id)).map((w) => `${w.operation} ${String(w.values.Title)} @${w.at}`),
          hubspotGot: world.hubspot.contacts
            .writes(String(lead.Handoff_HubSpot_Id__c))
            .map((w) => `${w.changeSource} ${JSON.stringify(w.properties)} @${new Date(w.at).toISOString()}`),
        }));
      expect(stale).toEqual([]);
      const handedOff = await db.query<{ id: string; n: number }>(
        `SELECT hubspot_contact_id AS id, count(*)::int AS n FROM handoff_history WHERE action = 'handed_off' GROUP BY 1`,
      );
      expect(handedOff.rows.map((row) => row.id).sort()).toEqual([...qualifying].sort());
      expect(handedOff.rows.every((row) => row.n === 1)).toBe(true);
      expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_inbox WHERE processed_at IS NULL')).rows[0]?.n).toBe(0);
    } finally {
      await db.close();
    }

    // The poll runs on one replica at a time, although each asks every second: a rep's change reaches HubSpot once.
    const lead = leads[0]!;
    const contactId = String(lead.Handoff_HubSpot_Id__c);
    const ourWrites = () => world.hubspot.contacts.writes(contactId).filter((write) => write.changeSource === 'INTEGRATION');
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // earlier polls have seen every Lead
    const before = ourWrites().length;
    world.salesforce.updateRecord('Lead', String(lead.Id), { Status: 'Accepted' });
    await eventually(
      async () => (world.hubspot.contacts.get(contactId)?.properties.hs_lead_status === 'IN_PROGRESS' ? true : undefined),
      20_000,
      'the status in HubSpot',
    );
    await new Promise((resolve) => setTimeout(resolve, 4_000)); // several more polls on both survivors
    expect(
      ourWrites()
        .slice(before)
        .map((write) => write.properties.hs_lead_status),
    ).toEqual(['IN_PROGRESS']);
    expect(world.salesforce.overlaps.count).toBe(0);
  }, 240_000);
});
