import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { PROTO_LOADER_OPTIONS, PUBSUB_PROTO_PATH } from '../../../../src/adapters/salesforce/pubsub/proto.ts';

/** A plain @grpc/grpc-js client of the Pub/Sub API, built from the same proto file, over plaintext loopback. */
export interface FetchResponse {
  events: Array<{ event: { id: string; schema_id: string; payload: Buffer }; replay_id: Buffer }>;
  latest_replay_id: Buffer;
  rpc_id: string;
  pending_num_requested: number;
}

export interface Credentials {
  accesstoken: string;
  instanceurl: string;
  tenantid: string;
}

type PubSubClient = grpc.Client & {
  Subscribe(metadata: grpc.Metadata): grpc.ClientDuplexStream<object, FetchResponse>;
  GetTopic(request: object, metadata: grpc.Metadata, callback: grpc.requestCallback<Record<string, unknown>>): void;
  GetSchema(request: object, metadata: grpc.Metadata, callback: grpc.requestCallback<Record<string, unknown>>): void;
};

export function pubSubClient(address: string): PubSubClient {
  const definition = grpc.loadPackageDefinition(protoLoader.loadSync(PUBSUB_PROTO_PATH, PROTO_LOADER_OPTIONS));
  const PubSub = ((definition.eventbus as grpc.GrpcObject).v1 as grpc.GrpcObject).PubSub as grpc.ServiceClientConstructor;
  return new PubSub(address, grpc.credentials.createInsecure()) as unknown as PubSubClient;
}

export function metadataOf(credentials: Credentials): grpc.Metadata {
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(credentials)) metadata.set(key, value);
  return metadata;
}

export function unary(
  client: PubSubClient,
  method: 'GetTopic' | 'GetSchema',
  request: object,
  credentials: Credentials,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    client[method](request, metadataOf(credentials), (error, value) => (error ? reject(error) : resolve(value ?? {})));
  });
}

/** One Subscribe stream, recording what arrives; `until` waits for a condition on what arrived (never a fixed sleep). */
export class SubscribeStream {
  readonly responses: FetchResponse[] = [];
  error: grpc.ServiceError | undefined;
  ended = false;
  private readonly call: grpc.ClientDuplexStream<object, FetchResponse>;
  private waiters: Array<() => void> = [];

  constructor(client: PubSubClient, credentials: Credentials) {
    this.call = client.Subscribe(metadataOf(credentials));
    this.call.on('data', (response: FetchResponse) => this.record(() => this.responses.push(response)));
    this.call.on('error', (error: grpc.ServiceError) => this.record(() => (this.error = error)));
    this.call.on('end', () => this.record(() => (this.ended = true)));
  }

  private record(change: () => unknown): void {
    change();
    for (const waiter of this.waiters) waiter();
  }

  fetch(request: { topic_name?: string; replay_preset?: string; replay_id?: Buffer; num_requested: number }): void {
    this.call.write(request);
  }

  events(): FetchResponse['events'] {
    return this.responses.flatMap((response) => response.events);
  }

  until(condition: () => boolean, what: string): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 5000);
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((waiter) => waiter !== check);
        resolve();
      };
      this.waiters.push(check);
    });
  }

  cancel(): void {
    this.call.cancel();
  }
}

/** Waits for a condition on the server's side (its counters), checking on every turn of the event loop. */
export async function eventually(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
