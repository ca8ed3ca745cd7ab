import { status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from '@jest/globals';
import { PubSubError, type PubSubFailure } from '../../../../src/adapters/salesforce/pubsub/failure.ts';
import type { PubSubSubscription, ReplayFrom } from '../../../../src/adapters/salesforce/pubsub/subscription.ts';
import { type Harness, LEAD_TOPIC, nextNonKeepAlive, startHarness, untilRequested } from './harness.ts';

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

function subscribe(harnessed: Harness, replay: ReplayFrom = { preset: 'LATEST' }, topic = LEAD_TOPIC): PubSubSubscription {
  const subscription = harnessed.pubsub.subscribe(topic, replay, { batchSize: 5 });
  subscriptions.push(subscription);
  return subscription;
}

/** The failure that ends the stream, then the iterator's end. */
async function failureOf(subscription: PubSubSubscription): Promise<PubSubFailure> {
  const message = await nextNonKeepAlive(subscription, 'the failure');
  if (message.kind !== 'failure') throw new Error(`expected a failure, got ${message.kind}`);
  await expect(subscription.next()).resolves.toEqual({ value: undefined, done: true });
  return message.failure;
}

const tokenCalls = (harnessed: Harness) => harnessed.sim.calls.token ?? 0;

describe('Pub/Sub stream failures as one typed value (Pub/Sub API Developer Guide, "Handle Errors")', () => {
  it.each([
    ['UNAVAILABLE', { kind: 'unavailable', grpcCode: status.UNAVAILABLE, errorCode: 'sfdc.platform.eventbus.grpc.service.unavailable' }],
    ['OK', { kind: 'stream-ended', grpcCode: status.OK, errorCode: undefined }],
  ] as const)('a stream the server ends with %s', async (how, expected) => {
    const harnessed = await harness();
    const subscription = subscribe(harnessed);
    await untilRequested(harnessed.sim, 0, 5);
    expect(harnessed.sim.pubSub?.endStreams(how)).toBe(1);
    expect(await failureOf(subscription)).toMatchObject(expected);
  });

  it('a replay id the org refuses is replay-rejected ("Retry Long-Lived RPC Calls After an Error Occurs")', async () => {
    const harnessed = await harness();
    harnessed.sim.createRecord('Lead', { LastName: 'A', Company: 'Acme' });
    harnessed.sim.pubSub?.rejectReplayIds(1);
    const failure = await failureOf(subscribe(harnessed, { afterReplayId: harnessed.sim.pubSub?.latestReplayId() ?? Buffer.alloc(8) }));
    expect(failure).toMatchObject({
      kind: 'replay-rejected',
      grpcCode: status.INVALID_ARGUMENT,
      errorCode: 'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted',
    });
    expect(failure.rpcId).toEqual(expect.any(String));
  });

  it('an unknown topic is topic-unavailable, for GetTopic and for Subscribe', async () => {
    const harnessed = await harness();
    const missing = '/data/NoSuchObjectChangeEvent';
    const refused = await harnessed.pubsub.getTopic(missing).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PubSubError);
    expect((refused as PubSubError).failure).toMatchObject({ kind: 'topic-unavailable', grpcCode: status.NOT_FOUND });
    expect(await failureOf(subscribe(harnessed, { preset: 'LATEST' }, missing))).toMatchObject({
      kind: 'topic-unavailable',
      grpcCode: status.NOT_FOUND,
    });
  });
});

describe('Pub/Sub authentication from the REST login ("Authentication": accesstoken, instanceurl, tenantid)', () => {
  it('renews an expired access token once and then succeeds, for GetTopic and for Subscribe', async () => {
    const harnessed = await harness();
    const { sim, pubsub } = harnessed;
    await pubsub.getTopic(LEAD_TOPIC);
    const afterLogin = tokenCalls(harnessed);

    sim.expireAccessTokens();
    await expect(pubsub.getTopic(LEAD_TOPIC)).resolves.toMatchObject({ topicName: LEAD_TOPIC });
    expect(tokenCalls(harnessed)).toBe(afterLogin + 1);

    sim.expireAccessTokens();
    const subscription = subscribe(harnessed);
    await untilRequested(sim, 1, 5);
    expect(tokenCalls(harnessed)).toBe(afterLogin + 2);
    expect(sim.pubSub?.streams()[0]?.open).toBe(false);
    const id = String(sim.createRecord('Lead', { LastName: 'After renewal', Company: 'Acme' }).Id);
    const message = await nextNonKeepAlive(subscription, 'the event after renewal');
    expect(message.kind === 'events' && message.events[0]?.recordIds).toEqual([id]);
  });

  it('ends unauthenticated, after one renewal attempt, when the grant itself is revoked', async () => {
    const harnessed = await harness();
    const { sim, pubsub } = harnessed;
    await pubsub.getTopic(LEAD_TOPIC);
    const afterLogin = tokenCalls(harnessed);
    sim.revokeRefreshToken();
    const failure = await failureOf(subscribe(harnessed));
    expect(failure.kind).toBe('unauthenticated');
    expect(tokenCalls(harnessed)).toBe(afterLogin + 1);
    const refused = await pubsub.getTopic(LEAD_TOPIC).catch((error: unknown) => error);
    expect((refused as PubSubError).failure.kind).toBe('unauthenticated');
  });

  it('never writes an access token to the logs, through subscriptions, renewals and failures', async () => {
    const harnessed = await harness();
    const { sim, pubsub } = harnessed;
    const subscription = subscribe(harnessed);
    await untilRequested(sim, 0, 5);
    sim.expireAccessTokens();
    await pubsub.getTopic(LEAD_TOPIC);
    sim.pubSub?.endStreams('UNAVAILABLE');
    await failureOf(subscription);
    sim.revokeRefreshToken();
    await pubsub.getTopic(LEAD_TOPIC).catch(() => undefined);

    const logs = harnessed.logs();
    expect(logs).toContain('salesforce pubsub stream ended');
    expect(logs).toContain('renewing the token once');
    expect(harnessed.tokensSeen.size).toBe(2);
    for (const token of harnessed.tokensSeen) expect(logs).not.toContain(token);
  });
});
