import { describe, expect, it } from '@jest/globals';
import { verifyV3 } from '../../../src/adapters/hubspot/signature.ts';
import type { HubSpotSimulator } from '../../../src/simulators/hubspot/server.ts';
import { useHubSpotSimulatorWithWebhooks } from '../../support/hubspot-simulator.ts';
import type { ReceivedDelivery, WebhookReceiver } from '../../support/webhook-receiver.ts';

const TOKEN = 'sim-token';
const SECRET = 'client-secret';

let receiver: WebhookReceiver;
let sim: HubSpotSimulator;

useHubSpotSimulatorWithWebhooks(
  TOKEN,
  {
    clientSecret: SECRET,
    appId: 4242,
    portalId: 777,
    subscribedProperties: ['lifecyclestage', 'email'],
    batchDelayMs: 20,
    retryDelayMs: 10,
  },
  (started, delivered) => {
    sim = started;
    receiver = delivered;
  },
);

function events(entry: ReceivedDelivery) {
  return JSON.parse(entry.body) as Record<string, unknown>[];
}

describe('webhooks', () => {
  it('delivers creation and subscribed property changes in one signed batch', async () => {
    const id = sim.createContact({ email: 'w@example.com', firstname: 'W', lifecyclestage: 'lead' });
    await sim.webhooks.idle();
    expect(receiver.deliveries).toHaveLength(1);
    const entry = receiver.deliveries[0]!;
    const check = verifyV3(
      {
        method: 'POST',
        uri: receiver.targetUrl,
        body: entry.body,
        timestamp: String(entry.headers['x-hubspot-request-timestamp']),
        signature: entry.headers['x-hubspot-signature-v3'] as string,
      },
      SECRET,
      Date.now(),
    );
    expect(check).toEqual({ ok: true });
    const batch = events(entry);
    expect(batch.map((event) => [event.subscriptionType, event.propertyName])).toEqual([
      ['contact.creation', undefined],
      ['contact.propertyChange', 'email'],
      ['contact.propertyChange', 'lifecyclestage'],
    ]);
    expect(batch[2]).toMatchObject({
      objectId: Number(id),
      portalId: 777,
      appId: 4242,
      attemptNumber: 0,
      propertyValue: 'lead',
      changeSource: 'CRM_UI',
      eventId: expect.any(Number),
      subscriptionId: expect.any(Number),
      occurredAt: expect.any(Number),
    });
  });

  it('marks API writes as INTEGRATION from the app, and splits more than 100 events', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => sim.createContact({ firstname: `N${i}` }));
    await sim.webhooks.idle();
    expect(receiver.deliveries.map((entry) => events(entry).length)).toEqual([100, 20]);
    receiver.reset();
    const response = await fetch(`${sim.url}/crm/v3/objects/contacts/${ids[0]}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { lifecyclestage: 'marketingqualifiedlead' } }),
    });
    expect(response.status).toBe(200);
    await sim.webhooks.idle();
    expect(events(receiver.deliveries[0]!)).toEqual([
      expect.objectContaining({ changeSource: 'INTEGRATION', sourceId: '4242', propertyName: 'lifecyclestage' }),
    ]);
  });

  it('retries a failed delivery with attemptNumber + 1', async () => {
    receiver.failNext(2);
    sim.createContact({ firstname: 'R' });
    await sim.webhooks.idle();
    expect(receiver.deliveries.map((entry) => events(entry)[0]!.attemptNumber)).toEqual([0, 1, 2]);
    expect(sim.webhooks.deliveries.map((delivery) => delivery.status)).toEqual([500, 500, 204]);
  });
});

describe('/_sim control endpoints', () => {
  it('creates, changes, reads, counts, injects faults and resets over HTTP', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const created = (await (await post('/_sim/contacts', { properties: { email: 'c@example.com' } })).json()) as { id: string };
    const patched = await fetch(`${sim.url}/_sim/contacts/${created.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { lifecyclestage: 'lead' } }),
    });
    expect(patched.status).toBe(200);
    const read = (await (await fetch(`${sim.url}/_sim/contacts/${created.id}`)).json()) as { properties: Record<string, string> };
    expect(read.properties).toMatchObject({ email: 'c@example.com', lifecyclestage: 'lead' });

    expect((await post('/_sim/faults', { status: 503, count: 1 })).status).toBe(204);
    const api = () => fetch(`${sim.url}/crm/v3/objects/contacts/${created.id}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect((await api()).status).toBe(503);
    expect((await api()).status).toBe(200);
    const calls = (await (await fetch(`${sim.url}/_sim/calls`)).json()) as { total: number; byEndpoint: Record<string, number> };
    expect(calls).toEqual({ total: 2, byEndpoint: { 'GET /crm/v3/objects/contacts/{id}': 2 } });
    expect(await (await fetch(`${sim.url}/_sim/refused`)).json()).toEqual({ 503: 1 });
    const writes = (await (await fetch(`${sim.url}/_sim/contacts/${created.id}/writes`)).json()) as {
      changeSource: string;
      properties: object;
    }[];
    expect(writes.map(({ changeSource, properties }) => ({ changeSource, properties }))).toEqual([
      { changeSource: 'CRM_UI', properties: { lifecyclestage: 'lead' } },
    ]);

    expect((await post('/_sim/reset', {})).status).toBe(204);
    expect((await fetch(`${sim.url}/_sim/contacts/${created.id}`)).status).toBe(404);
  });

  it('shows every list with its members, as the Lists page does', async () => {
    const api = (method: string, path: string, body: unknown) =>
      fetch(`${sim.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const contactId = sim.createContact({ email: 'lists@example.com' });
    const created = (await (
      await api('POST', '/crm/v3/lists', { name: 'Nurture – Demo', objectTypeId: '0-1', processingType: 'MANUAL' })
    ).json()) as { list: { listId: string } };
    await api('POST', '/crm/v3/lists', { name: 'Empty list', objectTypeId: '0-1', processingType: 'MANUAL' });
    expect((await api('PUT', `/crm/v3/lists/${created.list.listId}/memberships/add`, [contactId])).status).toBe(200);
    expect(await (await fetch(`${sim.url}/_sim/lists`)).json()).toEqual([
      { listId: created.list.listId, name: 'Nurture – Demo', memberIds: [contactId] },
      { listId: expect.any(String), name: 'Empty list', memberIds: [] },
    ]);
  });
});
