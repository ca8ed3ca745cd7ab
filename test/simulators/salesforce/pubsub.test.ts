import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from '@jest/globals';
import avro from 'avsc';
import { REP_USER_ID, type SalesforceSimulator, startSalesforceSimulator } from '../../../src/simulators/salesforce/server.ts';
import { type Credentials, eventually, pubSubClient, SubscribeStream, unary } from './support/pubsub-client.ts';

const CREDS = { clientId: 'sim-client', clientSecret: 'sim-secret', refreshToken: 'sim-refresh' };
const TOPIC = '/data/LeadChangeEvent';

let sim: SalesforceSimulator;
let client: ReturnType<typeof pubSubClient>;
const streams: SubscribeStream[] = [];

async function start(pubSub: { keepAliveMs?: number; retainEvents?: number } = {}): Promise<Credentials> {
  sim = await startSalesforceSimulator({ ...CREDS, pubSub });
  client = pubSubClient(pubSubOf(sim).address);
  const res = await fetch(`${sim.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CREDS.clientId, client_secret: CREDS.clientSecret }),
  });
  const body = (await res.json()) as { access_token: string; instance_url: string; id: string };
  const tenantid = body.id.split('/').at(-2) ?? '';
  return { accesstoken: body.access_token, instanceurl: body.instance_url, tenantid };
}

function pubSubOf(simulator: SalesforceSimulator) {
  if (!simulator.pubSub) throw new Error('the simulator was started without pubSub');
  return simulator.pubSub;
}

afterEach(async () => {
  for (const stream of streams.splice(0)) stream.cancel();
  client?.close();
  await sim?.close();
});

/** A stream whose first FetchRequest the server has taken (so LATEST means "after now"). */
async function subscribe(credentials: Credentials, request: { replay_preset?: string; replay_id?: Buffer; num_requested: number }) {
  const before = pubSubOf(sim).streams().length;
  const stream = new SubscribeStream(client, credentials);
  streams.push(stream);
  stream.fetch({ topic_name: TOPIC, ...request });
  await eventually(
    () => stream.error !== undefined || (pubSubOf(sim).streams()[before]?.requested ?? 0) >= request.num_requested,
    'the server to take the first FetchRequest',
  );
  return { stream, stats: () => pubSubOf(sim).streams()[before] };
}

const newLead = (lastName: string) => String(sim.createRecord('Lead', { LastName: lastName, Company: 'Acme' }).Id);

async function decoder(credentials: Credentials) {
  const topic = await unary(client, 'GetTopic', { topic_name: TOPIC }, credentials);
  const schema = await unary(client, 'GetSchema', { schema_id: topic.schema_id }, credentials);
  expect(schema.schema_id).toBe(topic.schema_id);
  const type = avro.Type.forSchema(JSON.parse(String(schema.schema_json)));
  return (payload: Buffer) => type.fromBuffer(payload) as Record<string, unknown> & { ChangeEventHeader: Record<string, unknown> };
}

const replayNumber = (bytes: Buffer) => bytes.readBigUInt64BE();

describe('simulated Pub/Sub API: Lead change events (Change Data Capture Developer Guide, "ChangeEventHeader Fields")', () => {
  it('publishes each Lead save as an Avro LeadChangeEvent with its header, replay ids increasing', async () => {
    const credentials = await start();
    const decode = await decoder(credentials);
    const { stream } = await subscribe(credentials, { num_requested: 10 });
    const id = newLead('Lovelace');
    const updated = sim.updateRecord('Lead', id, { Status: 'Working - Contacted' }, { userId: REP_USER_ID });
    await stream.until(() => stream.events().length === 2, 'two events');

    const [created, changed] = stream
      .events()
      .map((consumer) => ({ ...decode(consumer.event.payload), replayId: replayNumber(consumer.replay_id) }));
    expect(created?.ChangeEventHeader).toMatchObject({ entityName: 'Lead', recordIds: [id], changeType: 'CREATE', changedFields: [] });
    expect(created).toMatchObject({ LastName: 'Lovelace', Company: 'Acme' });
    expect(changed?.ChangeEventHeader).toMatchObject({
      entityName: 'Lead',
      recordIds: [id],
      changeType: 'UPDATE',
      commitUser: REP_USER_ID,
      commitTimestamp: Date.parse(String(updated.SystemModstamp)),
    });
    expect(changed?.ChangeEventHeader.changedFields).toEqual(expect.arrayContaining(['Status', 'LastModifiedDate']));
    expect(changed).toMatchObject({ Status: 'Working - Contacted', LastName: null });
    expect(String(changed?.ChangeEventHeader.transactionKey)).not.toBe(String(created?.ChangeEventHeader.transactionKey));
    expect(Number(changed?.ChangeEventHeader.commitNumber)).toBeGreaterThan(Number(created?.ChangeEventHeader.commitNumber));
    expect(changed?.replayId).toBeGreaterThan(created?.replayId ?? Infinity);
  });

  it('delivers no more than num_requested, and the rest when asked (flow control)', async () => {
    const credentials = await start();
    const { stream, stats } = await subscribe(credentials, { num_requested: 2 });
    newLead('A');
    newLead('B');
    newLead('C');
    await stream.until(() => stream.events().length === 2, 'two events');
    expect(stats()).toMatchObject({ requested: 2, delivered: 2, pending: 0 });
    expect(stream.responses.at(-1)?.pending_num_requested).toBe(0);
    expect(replayNumber(pubSubOf(sim).latestReplayId())).toBeGreaterThan(replayNumber(stream.events()[1]?.replay_id ?? Buffer.alloc(8)));

    stream.fetch({ num_requested: 5 });
    await stream.until(() => stream.events().length === 3, 'the third event');
    expect(stats()).toMatchObject({ requested: 7, delivered: 3, pending: 4 });
    expect(stream.responses.at(-1)?.pending_num_requested).toBe(4);
  });

  it('resumes after a replay id with CUSTOM, and from the oldest kept event with EARLIEST', async () => {
    const credentials = await start();
    for (const name of ['A', 'B', 'C']) newLead(name);
    const earliest = await subscribe(credentials, { replay_preset: 'EARLIEST', num_requested: 10 });
    await earliest.stream.until(() => earliest.stream.events().length === 3, 'three events');
    const first = earliest.stream.events()[0]?.replay_id;

    const custom = await subscribe(credentials, { replay_preset: 'CUSTOM', replay_id: first, num_requested: 10 });
    await custom.stream.until(() => custom.stream.events().length === 2, 'the two events after the first');
    expect(custom.stream.events().map((e) => replayNumber(e.replay_id))).toEqual(
      earliest.stream
        .events()
        .slice(1)
        .map((e) => replayNumber(e.replay_id)),
    );
    expect(custom.stats()).toMatchObject({ delivered: 2, pending: 8 });
  });

  it('refuses a call whose access token the org did not issue, or whose tenant id is not the org', async () => {
    const credentials = await start();
    const { stream } = await subscribe({ ...credentials, accesstoken: 'not-a-token' }, { num_requested: 1 });
    await stream.until(() => stream.error !== undefined, 'the refusal');
    expect(stream.error?.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(stream.error?.metadata.get('error-code')).toEqual(['sfdc.platform.eventbus.grpc.service.auth.error']);
    await expect(
      unary(client, 'GetTopic', { topic_name: TOPIC }, { ...credentials, tenantid: '00D000000000000AAA' }),
    ).rejects.toMatchObject({
      code: grpc.status.UNAUTHENTICATED,
    });
  });
});

describe('simulated Pub/Sub API faults (Pub/Sub API Developer Guide, "Handle Errors", "Retry Long-Lived RPC Calls")', () => {
  it.each([
    ['OK', undefined],
    ['UNAVAILABLE', grpc.status.UNAVAILABLE],
  ] as const)('ends open Subscribe streams from the server (%s)', async (status, code) => {
    const credentials = await start();
    const { stream, stats } = await subscribe(credentials, { num_requested: 1 });
    expect(pubSubOf(sim).endStreams(status)).toBe(1);
    await stream.until(() => stream.ended || stream.error !== undefined, 'the stream to end');
    expect(stream.error?.code).toBe(code);
    expect(stats()?.open).toBe(false);
  });

  it('sends an empty keep-alive with the latest replay id to an idle stream, and nothing at all once silent', async () => {
    const credentials = await start({ keepAliveMs: 20 });
    newLead('Before');
    const live = await subscribe(credentials, { num_requested: 5 });
    await live.stream.until(() => live.stream.responses.length > 0, 'a keep-alive');
    expect(live.stream.responses[0]).toMatchObject({ events: [], pending_num_requested: 5 });
    expect(live.stream.responses[0]?.latest_replay_id).toEqual(pubSubOf(sim).latestReplayId());

    const silent = await subscribe(credentials, { num_requested: 5 });
    pubSubOf(sim).goSilent();
    newLead('Unheard');
    await eventually(() => (silent.stats()?.withheld ?? 0) >= 2, 'the server to hold back an event and a keep-alive');
    expect(silent.stats()).toMatchObject({ delivered: 0, keepAlives: 0, pending: 5, open: true });
    expect(silent.stream.responses).toEqual([]);
  });

  it('answers a replay id it no longer keeps, or one made stale by the fault, with replayid.corrupted', async () => {
    const credentials = await start({ retainEvents: 2 });
    const everything = await subscribe(credentials, { replay_preset: 'EARLIEST', num_requested: 10 });
    for (const name of ['A', 'B', 'C', 'D']) newLead(name);
    await everything.stream.until(() => everything.stream.events().length === 4, 'four events');
    const [oldest, , third] = everything.stream.events();

    const expectCorrupted = async (replayId: Buffer | undefined) => {
      const { stream } = await subscribe(credentials, { replay_preset: 'CUSTOM', replay_id: replayId, num_requested: 1 });
      await stream.until(() => stream.error !== undefined, 'the refusal');
      expect(stream.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(stream.error?.metadata.get('error-code')).toEqual(['sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted']);
    };
    await expectCorrupted(oldest?.replay_id);
    pubSubOf(sim).rejectReplayIds(1);
    await expectCorrupted(third?.replay_id);

    const resumed = await subscribe(credentials, { replay_preset: 'CUSTOM', replay_id: third?.replay_id, num_requested: 10 });
    await resumed.stream.until(() => resumed.stream.events().length === 1, 'the event after the third');
  });
});
