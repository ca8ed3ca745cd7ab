import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { PROTO_LOADER_OPTIONS, PUBSUB_PROTO_PATH } from '../../../adapters/salesforce/pubsub/proto.ts';
import type { Store } from '../store.ts';
import { authorized, type PubSubAuth } from './auth.ts';
import { AUTH_ERROR, pubSubError, SCHEMA_NOT_FOUND, TOPIC_NOT_FOUND, topicNotFound } from './errors.ts';
import { EventBus, encodeReplayId } from './event-bus.ts';
import { LEAD_CHANGE_TOPIC } from './lead-change-event.ts';
import { type FetchRequest, type StreamStats, type SubscribeFaults, Subscription } from './subscription.ts';
import { CDC_ENTITIES, type CdcEntity } from './topics.ts';

export interface PubSubSimulatorOptions {
  store: Store;
  auth: PubSubAuth;
  host?: string;
  port?: number;
  /** The keep-alive interval; Salesforce's is within 270 s. */
  keepAliveMs?: number;
  /** How many events each channel keeps for replay (Salesforce: 72 hours' worth). */
  retainEvents?: number;
  /** The objects selected for Change Data Capture; default both. A channel of an object not selected is not found. */
  entities?: readonly CdcEntity[];
}

export interface PubSubSimulator {
  /** host:port of the gRPC server (plaintext; real Pub/Sub API is TLS on api.pubsub.salesforce.com:7443). */
  address: string;
  /** The counters of every Subscribe stream opened, oldest first. */
  streams(): StreamStats[];
  /** The replay id of the newest event on a channel (default /data/LeadChangeEvent), as the bytes a client sees. */
  latestReplayId(topic?: string): Buffer;
  /** Fault: end every open Subscribe stream now, cleanly or as a dropped connection. */
  endStreams(status?: 'OK' | 'UNAVAILABLE'): number;
  /** Fault: open streams and the ones opened until `speak()` send nothing, not even keep-alives. */
  goSilent(): void;
  speak(): void;
  /** Fault: the next `count` CUSTOM subscriptions are refused as if their replay id were past retention. */
  rejectReplayIds(count?: number): void;
  close(): Promise<void>;
}

type Handler<Req, Res> = grpc.handleUnaryCall<Req, Res>;

/** GetTopic and GetSchema: authenticated, and only for the channels of objects selected for CDC and their schemas. */
function lookups(auth: PubSubAuth, bus: EventBus) {
  const guarded =
    <Req, Res>(answer: (request: Req, rpcId: string) => Res | grpc.ServiceError): Handler<Req, Res> =>
    (call, callback) => {
      const rpcId = randomUUID();
      if (!authorized(auth, call.metadata)) {
        callback(pubSubError(grpc.status.UNAUTHENTICATED, AUTH_ERROR, 'An authentication exception occurred.', rpcId));
        return;
      }
      const result = answer(call.request, rpcId);
      if (result instanceof Error) callback(result);
      else callback(null, result);
    };
  return {
    GetTopic: guarded<{ topic_name: string }, object>((request, rpcId) => {
      const topic = bus.topic(request.topic_name)?.topic;
      if (!topic) return pubSubError(grpc.status.NOT_FOUND, TOPIC_NOT_FOUND, topicNotFound(auth.tenantId, request.topic_name), rpcId);
      return {
        topic_name: topic.name,
        tenant_guid: auth.tenantId,
        can_publish: false,
        can_subscribe: true,
        schema_id: topic.schema.schemaId,
        rpc_id: rpcId,
      };
    }),
    GetSchema: guarded<{ schema_id: string }, object>((request, rpcId) => {
      const schema = bus.topicOfSchema(request.schema_id)?.topic.schema;
      if (!schema) return pubSubError(grpc.status.NOT_FOUND, SCHEMA_NOT_FOUND, `Schema not found: ${request.schema_id}`, rpcId);
      return { schema_json: schema.schemaJson, schema_id: schema.schemaId, rpc_id: rpcId };
    }),
  };
}

function bind(server: grpc.Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port)));
  });
}

/** Salesforce's Pub/Sub API for the Lead and Opportunity change events of the simulated org, over gRPC on loopback. */
export async function startPubSubSimulator(options: PubSubSimulatorOptions): Promise<PubSubSimulator> {
  const definition = grpc.loadPackageDefinition(protoLoader.loadSync(PUBSUB_PROTO_PATH, PROTO_LOADER_OPTIONS));
  const service = (definition.eventbus as grpc.GrpcObject).v1 as grpc.GrpcObject;
  const bus = new EventBus(options.store, options.retainEvents ?? 10_000, options.entities ?? CDC_ENTITIES);
  const faults: SubscribeFaults = { silent: false, staleReplayIds: 0 };
  const streams: Subscription[] = [];
  const deps = { auth: options.auth, bus, faults, keepAliveMs: options.keepAliveMs ?? 270_000, streams };
  const server = new grpc.Server();
  server.addService((service.PubSub as grpc.ServiceClientConstructor).service, {
    Subscribe: ((call) => {
      new Subscription(call, deps);
    }) satisfies grpc.handleBidiStreamingCall<FetchRequest, unknown>,
    ...lookups(options.auth, bus),
  });
  const host = options.host ?? '127.0.0.1';
  const port = await bind(server, `${host}:${options.port ?? 0}`);
  const open = () => streams.filter((stream) => stream.stats.open);
  return {
    address: `${host}:${port}`,
    streams: () => streams.map((stream) => ({ ...stream.stats })),
    latestReplayId: (topic = LEAD_CHANGE_TOPIC) => encodeReplayId(bus.topic(topic)?.latestReplayId() ?? 0n),
    endStreams: (status = 'OK') => {
      const ending = open();
      for (const stream of ending) stream.endFromServer(status);
      return ending.length;
    },
    goSilent: () => {
      faults.silent = true;
      for (const stream of open()) stream.silence();
    },
    speak: () => {
      faults.silent = false;
    },
    rejectReplayIds: (count = 1) => {
      faults.staleReplayIds += count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        bus.close();
        server.tryShutdown(() => resolve());
        server.forceShutdown();
      }),
  };
}
