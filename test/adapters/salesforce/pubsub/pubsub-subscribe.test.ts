import { afterEach, describe, expect, it } from '@jest/globals';
import type { ChangeEvent } from '../../../../src/adapters/salesforce/pubsub/change-event.ts';
import type { PubSubSubscription } from '../../../../src/adapters/salesforce/pubsub/subscription.ts';
import { REP_USER_ID } from '../../../../src/simulators/salesforce/server.ts';
import { createLeadViaRest, type Harness, LEAD_TOPIC, nextMessage, nextNonKeepAlive, startHarness, untilRequested } from './harness.ts';

let h: Harness | undefined;
const subscriptions: PubSubSubscription[] = [];

afterEach(async () => {
  for (const subscription of subscriptions.splice(0)) subscription.close();
  await h?.close();
  h = undefined;
});

async function harness(pubSub: { keepAliveMs?: number; retainEvents?: number } = {}): Promise<Harness> {
  h = await startHarness(pubSub);
  return h;
}

function track(subscription: PubSubSubscription): PubSubSubscription {
  subscriptions.push(subscription);
  return subscription;
}

async function eventsOf(subscription: PubSubSubscription, count: number): Promise<ChangeEvent[]> {
  const events: ChangeEvent[] = [];
  for (let i = 0; i < 20 && events.length < count; i += 1) {
    const message = await nextNonKeepAlive(subscription, `${count} events`);
    if (message.kind !== 'events') throw new Error(`expected events, got ${JSON.stringify(message)}`);
    events.push(...message.events);
  }
  return events;
}

describe('Pub/Sub client against the simulated org (Pub/Sub API Developer Guide, "Subscribe RPC Method")', () => {
  it('subscribes at LATEST with the REST login and decodes a Lead saved through REST into a ChangeEvent', async () => {
    const { sim, rest, pubsub } = await harness();
    const topic = await pubsub.getTopic(LEAD_TOPIC);
    expect(topic).toMatchObject({ topicName: LEAD_TOPIC, canSubscribe: true });
    const subscription = track(pubsub.subscribe(LEAD_TOPIC, { preset: 'LATEST' }, { batchSize: 10 }));
    await untilRequested(sim, 0, 10);

    const id = await createLeadViaRest(rest, 'Lovelace');
    sim.updateRecord('Lead', id, { Status: 'Working - Contacted' }, { userId: REP_USER_ID });
    const [created, updated] = await eventsOf(subscription, 2);

    expect(created).toMatchObject({ entityName: 'Lead', changeType: 'CREATE', recordIds: [id], commitUser: rest.integrationUserId() });
    expect(created?.fields).toMatchObject({ LastName: 'Lovelace', Company: 'Acme' });
    expect(created?.fields).not.toHaveProperty('ChangeEventHeader');
    expect(updated).toMatchObject({ changeType: 'UPDATE', recordIds: [id], commitUser: REP_USER_ID, sequenceNumber: 1 });
    expect(updated?.commitTimestamp).toBe(Date.parse(String(sim.getRecord('Lead', id)?.SystemModstamp)));
    expect(typeof updated?.transactionKey).toBe('string');
    expect(updated?.fields).toMatchObject({ Status: 'Working - Contacted', LastName: null });
    expect(updated?.replayId.compare(created?.replayId ?? Buffer.alloc(0))).toBe(1);
  });

  it('answers an idle stream with keep-alives carrying the latest replay id', async () => {
    const { sim, pubsub } = await harness({ keepAliveMs: 20 });
    sim.createRecord('Lead', { LastName: 'Before', Company: 'Acme' });
    const subscription = track(pubsub.subscribe(LEAD_TOPIC, { preset: 'LATEST' }, { batchSize: 5 }));
    const message = await nextMessage(subscription, 'a keep-alive');
    expect(message).toEqual({ kind: 'keepalive', latestReplayId: sim.pubSub?.latestReplayId() });
  });

  it('resumes just after a stored replay id, and reads from the oldest kept event with EARLIEST', async () => {
    const { sim, pubsub } = await harness();
    const ids = ['A', 'B', 'C'].map((name) => String(sim.createRecord('Lead', { LastName: name, Company: 'Acme' }).Id));
    const everything = await eventsOf(track(pubsub.subscribe(LEAD_TOPIC, { preset: 'EARLIEST' }, { batchSize: 10 })), 3);
    expect(everything.map((event) => event.recordIds[0])).toEqual(ids);

    const first = everything[0]?.replayId ?? Buffer.alloc(0);
    const resumed = await eventsOf(track(pubsub.subscribe(LEAD_TOPIC, { afterReplayId: first }, { batchSize: 10 })), 2);
    expect(resumed.map((event) => event.recordIds[0])).toEqual(ids.slice(1));
  });

  it('asks for batchSize events, and for more only once they have arrived and been taken ("Pull Subscription and Flow Control")', async () => {
    const { sim, pubsub } = await harness({ keepAliveMs: 20 });
    for (const name of ['A', 'B', 'C']) sim.createRecord('Lead', { LastName: name, Company: 'Acme' });
    const subscription = track(pubsub.subscribe(LEAD_TOPIC, { preset: 'EARLIEST' }, { batchSize: 2 }));
    const stats = () => sim.pubSub?.streams()[0];

    // The batch, then a keep-alive the server sent later: by then an early FetchRequest would have been taken.
    const deadline = Date.now() + 5000;
    while (subscription.buffered() < 2 && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
    expect(stats()).toMatchObject({ requested: 2, delivered: 2, pending: 0 });

    const firstBatch = await nextMessage(subscription, 'the first batch');
    expect(firstBatch.kind === 'events' && firstBatch.events.length).toBe(2);
    expect((await nextMessage(subscription, 'the keep-alive')).kind).toBe('keepalive');
    const [third] = await eventsOf(subscription, 1);
    expect(third?.fields).toMatchObject({ LastName: 'C' });
    expect(stats()).toMatchObject({ requested: 4, delivered: 3, pending: 1 });
  });

  it('asks for at most 100 events at a time, the API maximum', async () => {
    const { sim, pubsub } = await harness();
    track(pubsub.subscribe(LEAD_TOPIC, { preset: 'LATEST' }, { batchSize: 500 }));
    await untilRequested(sim, 0, 1);
    expect(sim.pubSub?.streams()[0]?.requested).toBe(100);
  });

  it('ends the iteration cleanly on close(), and the server sees the stream closed', async () => {
    const { sim, pubsub } = await harness();
    const subscription = pubsub.subscribe(LEAD_TOPIC, { preset: 'LATEST' }, { batchSize: 1 });
    await untilRequested(sim, 0, 1);
    const pending = subscription.next();
    subscription.close();
    await expect(pending).resolves.toEqual({ value: undefined, done: true });
    const deadline = Date.now() + 5000;
    while (sim.pubSub?.streams()[0]?.open && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
    expect(sim.pubSub?.streams()[0]?.open).toBe(false);
  });
});
