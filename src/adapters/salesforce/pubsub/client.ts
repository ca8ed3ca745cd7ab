import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import avro from 'avsc';
import type { Logger } from '../../../log.ts';
import type { PubSubCredentials } from '../client.ts';
import { type ChangeEvent, toChangeEvent } from './change-event.ts';
import { classifyCredentialFailure, classifyPubSubError, PubSubError } from './failure.ts';
import { PUBSUB_LIMITS } from './limits.ts';
import { PROTO_LOADER_OPTIONS, PUBSUB_PROTO_PATH } from './proto.ts';
import {
  type PubSubCredentialSource,
  type PubSubSubscription,
  type ReplayFrom,
  Subscription,
  type WireConsumerEvent,
} from './subscription.ts';

export interface PubSubClientOptions {
  /** host:port; default Salesforce's global endpoint (see PUBSUB_LIMITS.endpoint). */
  endpoint?: string;
  /** TLS, as Salesforce requires; `false` (plaintext) is allowed only for a loopback endpoint such as the simulator. */
  tls?: boolean;
  credentials: PubSubCredentialSource;
  logger: Logger;
  /** Deadline of a GetTopic or GetSchema call; default 30 s. */
  callTimeoutMs?: number;
}

export interface TopicInfo {
  topicName: string;
  /** The topic's current schema id (events may still carry an older one: decode by the event's own). */
  schemaId: string;
  canSubscribe: boolean;
}

export interface PubSubSchema {
  schemaId: string;
  type: avro.Type;
}

export interface PubSubClient {
  /** GetTopic; a missing or forbidden topic throws a PubSubError of kind `topic-unavailable`. */
  getTopic(topicName: string): Promise<TopicInfo>;
  /** GetSchema, once per schema id (cached): the Avro writer schema events with this id were encoded with. */
  getSchema(schemaId: string): Promise<PubSubSchema>;
  subscribe(topicName: string, replay: ReplayFrom, options: { batchSize: number }): PubSubSubscription;
  /** Closes the channel; open subscriptions end. */
  close(): void;
}

type Unary = (request: object, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<unknown>) => void;
type PubSubStub = grpc.Client & {
  Subscribe(metadata: grpc.Metadata): grpc.ClientDuplexStream<object, never>;
  GetTopic: Unary;
  GetSchema: Unary;
};

const LOOPBACK = /^(?:127\.0\.0\.1|localhost|\[::1\]):\d+$/;

/** Whether `endpoint` (host:port) is on this machine: the only place a plaintext Pub/Sub API (a simulator) may be. */
export const isLoopbackEndpoint = (endpoint: string): boolean => LOOPBACK.test(endpoint);

function stubFor(endpoint: string, tls: boolean): PubSubStub {
  if (!tls && !LOOPBACK.test(endpoint)) throw new Error(`Pub/Sub without TLS is only for a loopback endpoint, not ${endpoint}`);
  const definition = grpc.loadPackageDefinition(protoLoader.loadSync(PUBSUB_PROTO_PATH, PROTO_LOADER_OPTIONS));
  const PubSub = ((definition.eventbus as grpc.GrpcObject).v1 as grpc.GrpcObject).PubSub as grpc.ServiceClientConstructor;
  const channel = tls ? grpc.credentials.createSsl() : grpc.credentials.createInsecure();
  return new PubSub(endpoint, channel) as unknown as PubSubStub;
}

/** "Authentication" (Pub/Sub API Developer Guide): the three metadata headers on every RPC. */
function metadataOf(credentials: PubSubCredentials): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set(PUBSUB_LIMITS.headers.accessToken, credentials.accessToken);
  metadata.set(PUBSUB_LIMITS.headers.instanceUrl, credentials.instanceUrl);
  metadata.set(PUBSUB_LIMITS.headers.tenantId, credentials.tenantId);
  return metadata;
}

/**
 * A Salesforce Pub/Sub API client over @grpc/grpc-js with Salesforce's proto, credentials from the REST login.
 * Unary calls answered UNAUTHENTICATED renew the token once and try once more; subscriptions do the same per stream.
 */
export function createPubSubClient(options: PubSubClientOptions): PubSubClient {
  const logger = options.logger.child({ module: 'salesforce-pubsub' });
  const stub = stubFor(options.endpoint ?? PUBSUB_LIMITS.endpoint, options.tls ?? true);
  const timeoutMs = options.callTimeoutMs ?? 30_000;
  const schemas = new Map<string, Promise<PubSubSchema>>();

  const credentialsOrFail = async (): Promise<PubSubCredentials> => {
    try {
      return await options.credentials.pubSubCredentials();
    } catch (error) {
      throw new PubSubError(classifyCredentialFailure(error));
    }
  };
  const callOnce = (method: 'GetTopic' | 'GetSchema', request: object, metadata: grpc.Metadata) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      stub[method](request, metadata, { deadline: Date.now() + timeoutMs }, (error, answer) =>
        error ? reject(error) : resolve((answer ?? {}) as Record<string, unknown>),
      );
    });
  const unary = async (method: 'GetTopic' | 'GetSchema', request: object): Promise<Record<string, unknown>> => {
    for (let attempt = 1; ; attempt += 1) {
      const credentials = await credentialsOrFail();
      try {
        return await callOnce(method, request, metadataOf(credentials));
      } catch (error) {
        const failure = classifyPubSubError(error, [credentials.accessToken]);
        if (failure.kind !== 'unauthenticated' || attempt > 1) throw new PubSubError(failure);
        logger.info('salesforce pubsub call refused as unauthenticated; renewing the token once', { method });
        await options.credentials.renewAccessToken().catch((renewError: unknown) => {
          throw new PubSubError(classifyCredentialFailure(renewError));
        });
      }
    }
  };

  const getSchema = (schemaId: string): Promise<PubSubSchema> => {
    let schema = schemas.get(schemaId);
    if (!schema) {
      schema = unary('GetSchema', { schema_id: schemaId }).then((info) => ({
        schemaId,
        type: avro.Type.forSchema(JSON.parse(String(info.schema_json)) as avro.Schema),
      }));
      // A failed look-up is not kept: the next event with this id asks again.
      schema.catch(() => schemas.delete(schemaId));
      schemas.set(schemaId, schema);
    }
    return schema;
  };

  /** An event decodes with the schema it was written with, named by its own schema_id ("Event Data Serialization"). */
  const decode = async (consumer: WireConsumerEvent): Promise<ChangeEvent> => {
    const { type } = await getSchema(consumer.event.schema_id);
    const record = type.fromBuffer(consumer.event.payload) as Record<string, unknown>;
    const event = toChangeEvent(record, consumer.replay_id);
    if (!event) throw new Error(`event ${consumer.event.id} of schema ${consumer.event.schema_id} has no ChangeEventHeader`);
    return event;
  };

  return {
    getTopic: async (topicName) => {
      const info = await unary('GetTopic', { topic_name: topicName });
      return { topicName: String(info.topic_name), schemaId: String(info.schema_id), canSubscribe: info.can_subscribe === true };
    },
    getSchema,
    subscribe: (topicName, replay, subscribeOptions) =>
      new Subscription({
        topicName,
        replay,
        batchSize: subscribeOptions.batchSize,
        credentials: options.credentials,
        openStream: (metadata) => stub.Subscribe(metadata),
        metadataOf,
        decode,
        logger,
      }),
    close: () => stub.close(),
  };
}
