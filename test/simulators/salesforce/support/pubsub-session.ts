import avro from 'avsc';
import {
  type SalesforceSimulator,
  type SalesforceSimulatorOptions,
  startSalesforceSimulator,
} from '../../../../src/simulators/salesforce/server.ts';
import { type Credentials, eventually, pubSubClient, SubscribeStream, unary } from './pubsub-client.ts';
import { type SimApi, simApi } from './sim-api.ts';

const CREDS = { clientId: 'sim-client', clientSecret: 'sim-secret', refreshToken: 'sim-refresh' };

export type DecodedEvent = Record<string, unknown> & { ChangeEventHeader: Record<string, unknown>; replayId: bigint };

/** One simulated org with its Pub/Sub API, a REST client and a gRPC client, and the streams a test opened. */
export interface PubSubSession {
  sim: SalesforceSimulator;
  pubSub: NonNullable<SalesforceSimulator['pubSub']>;
  api: SimApi;
  credentials: Credentials;
  client: ReturnType<typeof pubSubClient>;
  /** A stream whose first FetchRequest the server has taken (or refused). */
  subscribe(
    topic: string,
    request: { replay_preset?: string; replay_id?: Buffer; num_requested: number },
  ): Promise<{ stream: SubscribeStream; stats: () => ReturnType<PubSubSession['pubSub']['streams']>[number] | undefined }>;
  /** Decodes a stream's events with the schema GetTopic and GetSchema give for the topic. */
  decoded(topic: string, stream: SubscribeStream): Promise<DecodedEvent[]>;
  close(): Promise<void>;
}

async function pubSubCredentials(sim: SalesforceSimulator): Promise<Credentials> {
  const res = await fetch(`${sim.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CREDS.clientId, client_secret: CREDS.clientSecret }),
  });
  const body = (await res.json()) as { access_token: string; instance_url: string; id: string };
  return { accesstoken: body.access_token, instanceurl: body.instance_url, tenantid: body.id.split('/').at(-2) ?? '' };
}

export async function openPubSubSession(
  options: Partial<Omit<SalesforceSimulatorOptions, 'pubSub'>> & { pubSub?: SalesforceSimulatorOptions['pubSub'] } = {},
): Promise<PubSubSession> {
  const sim = await startSalesforceSimulator({ ...CREDS, ...options, pubSub: options.pubSub ?? {} });
  const pubSub = sim.pubSub;
  if (!pubSub) throw new Error('the simulator was started without pubSub');
  const client = pubSubClient(pubSub.address);
  const credentials = await pubSubCredentials(sim);
  const api = await simApi(sim, CREDS);
  const streams: SubscribeStream[] = [];
  const types = new Map<string, avro.Type>();
  const typeOf = async (topic: string) => {
    const known = types.get(topic);
    if (known) return known;
    const found = await unary(client, 'GetTopic', { topic_name: topic }, credentials);
    const schema = await unary(client, 'GetSchema', { schema_id: found.schema_id }, credentials);
    const type = avro.Type.forSchema(JSON.parse(String(schema.schema_json)));
    types.set(topic, type);
    return type;
  };
  return {
    sim,
    pubSub,
    api,
    credentials,
    client,
    subscribe: async (topic, request) => {
      const index = pubSub.streams().length;
      const stream = new SubscribeStream(client, credentials);
      streams.push(stream);
      stream.fetch({ topic_name: topic, ...request });
      await eventually(
        () => stream.error !== undefined || (pubSub.streams()[index]?.requested ?? 0) >= request.num_requested,
        'the server to take the first FetchRequest',
      );
      return { stream, stats: () => pubSub.streams()[index] };
    },
    decoded: async (topic, stream) => {
      const type = await typeOf(topic);
      return stream.events().map(
        (consumer): DecodedEvent => ({
          ...(type.fromBuffer(consumer.event.payload) as DecodedEvent),
          replayId: consumer.replay_id.readBigUInt64BE(),
        }),
      );
    },
    close: async () => {
      for (const stream of streams.splice(0)) stream.cancel();
      client.close();
      await sim.close();
    },
  };
}
