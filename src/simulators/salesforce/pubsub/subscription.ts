import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { authorized, type PubSubAuth } from './auth.ts';
import { AUTH_ERROR, pubSubError, REPLAY_ID_CORRUPTED, TOPIC_NOT_FOUND, topicNotFound } from './errors.ts';
import { type BusEvent, decodeReplayId, type EventBus, encodeReplayId, type TopicLog } from './event-bus.ts';

/** A FetchRequest as proto-loader hands it over (keepCase, enums as names). */
export interface FetchRequest {
  topic_name: string;
  replay_preset: 'LATEST' | 'EARLIEST' | 'CUSTOM';
  replay_id: Buffer;
  num_requested: number;
}

/** What one Subscribe stream has been asked for and has sent: the flow-control counters tests read. */
export interface StreamStats {
  rpcId: string;
  /** The channel the first FetchRequest named (undefined until then, or when it was refused). */
  topic: string | undefined;
  open: boolean;
  /** Sum of num_requested over the stream's FetchRequests. */
  requested: number;
  delivered: number;
  /** Events still owed to the client (pending_num_requested). */
  pending: number;
  keepAlives: number;
  /** Responses (events or keep-alives) a silent stream held back. */
  withheld: number;
  silent: boolean;
}

/** Faults the next or open Subscribe streams meet. */
export interface SubscribeFaults {
  /** New streams start silent: no events, no keep-alives. */
  silent: boolean;
  /** The next this-many CUSTOM subscriptions are refused as if their replay id had aged out. */
  staleReplayIds: number;
}

export interface SubscribeDeps {
  auth: PubSubAuth;
  bus: EventBus;
  faults: SubscribeFaults;
  keepAliveMs: number;
  /** Every Subscribe stream opened, oldest first (closed ones stay, with their counters). */
  streams: Subscription[];
}

type Call = grpc.ServerDuplexStream<FetchRequest, unknown>;

/** One Subscribe stream: pull-based, delivering at most what the client asked for, after its replay position. */
export class Subscription {
  readonly stats: StreamStats;
  private cursor: bigint | undefined;
  private log: TopicLog | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopListening: (() => void) | undefined;
  private readonly call: Call;
  private readonly deps: SubscribeDeps;

  constructor(call: Call, deps: SubscribeDeps) {
    this.call = call;
    this.deps = deps;
    this.stats = {
      rpcId: randomUUID(),
      topic: undefined,
      open: true,
      requested: 0,
      delivered: 0,
      pending: 0,
      keepAlives: 0,
      withheld: 0,
      silent: deps.faults.silent,
    };
    deps.streams.push(this);
    call.on('data', (request: FetchRequest) => this.onRequest(request));
    call.on('end', () => this.end());
    call.on('cancelled', () => this.close());
    call.on('error', () => this.close());
    if (!authorized(deps.auth, call.metadata)) this.fail(grpc.status.UNAUTHENTICATED, AUTH_ERROR, 'An authentication exception occurred.');
  }

  private onRequest(request: FetchRequest): void {
    if (!this.stats.open) return;
    if (this.cursor === undefined && !this.start(request)) return;
    if (request.topic_name && request.topic_name !== this.stats.topic) {
      this.fail(grpc.status.INVALID_ARGUMENT, TOPIC_NOT_FOUND, 'The topic cannot change within a Subscribe stream.');
      return;
    }
    const more = Math.max(0, request.num_requested);
    this.stats.requested += more;
    this.stats.pending += more;
    this.deliver();
  }

  /** The first request fixes the topic and the position; false when the stream ended instead. */
  private start(request: FetchRequest): boolean {
    // Not documented for Subscribe: answered as GetTopic is for a channel the org lacks (errors.ts, TOPIC_NOT_FOUND).
    const log = this.deps.bus.topic(request.topic_name);
    if (!log) {
      this.fail(grpc.status.NOT_FOUND, TOPIC_NOT_FOUND, topicNotFound(this.deps.auth.tenantId, request.topic_name));
      return false;
    }
    const cursor = this.startingPoint(log, request);
    if (cursor === undefined) {
      this.fail(grpc.status.INVALID_ARGUMENT, REPLAY_ID_CORRUPTED, 'The Replay ID validation failed.');
      return false;
    }
    this.log = log;
    this.stats.topic = log.topic.name;
    this.cursor = cursor;
    this.stopListening = this.deps.bus.onPublish((topic) => {
      if (topic === log.topic.name) this.deliver();
    });
    this.timer = setInterval(() => this.keepAlive(), this.deps.keepAliveMs);
    this.timer.unref();
    return true;
  }

  private startingPoint(log: TopicLog, request: FetchRequest): bigint | undefined {
    const { faults } = this.deps;
    if (request.replay_preset === 'EARLIEST') return log.beforeEarliest();
    if (request.replay_preset !== 'CUSTOM') return log.latestReplayId();
    if (faults.staleReplayIds > 0) {
      faults.staleReplayIds -= 1;
      return undefined;
    }
    const replayId = decodeReplayId(request.replay_id);
    return replayId !== undefined && log.keeps(replayId) ? replayId : undefined;
  }

  private deliver(): void {
    if (!this.stats.open || !this.log || this.cursor === undefined || this.stats.pending === 0) return;
    const events = this.log.after(this.cursor, this.stats.pending);
    const last = events.at(-1);
    if (!last) return;
    if (this.stats.silent) {
      this.stats.withheld += 1;
      return;
    }
    this.cursor = last.replayId;
    this.stats.pending -= events.length;
    this.stats.delivered += events.length;
    this.send(events);
  }

  /** Salesforce sends an empty batch with the latest replay id at least every 270 s ("FetchResponse" in the proto). */
  private keepAlive(): void {
    if (this.stats.silent) {
      this.stats.withheld += 1;
      return;
    }
    this.stats.keepAlives += 1;
    this.send([]);
  }

  private send(events: BusEvent[]): void {
    this.call.write({
      events: events.map((event) => ({ event: event.event, replay_id: encodeReplayId(event.replayId) })),
      latest_replay_id: encodeReplayId(this.cursor ?? 0n),
      rpc_id: this.stats.rpcId,
      pending_num_requested: this.stats.pending,
    });
  }

  /** The fault "go silent": this stream sends nothing more, as a dead connection would. */
  silence(): void {
    this.stats.silent = true;
  }

  /** Ends the stream from the server side: cleanly (OK), or as a dropped connection (UNAVAILABLE). */
  endFromServer(status: 'OK' | 'UNAVAILABLE'): void {
    if (!this.stats.open) return;
    if (status === 'OK') this.end();
    else this.fail(grpc.status.UNAVAILABLE, 'sfdc.platform.eventbus.grpc.service.unavailable', 'The Pub/Sub API service is unavailable.');
  }

  private fail(code: grpc.status, errorCode: string, message: string): void {
    if (!this.stats.open) return;
    this.close();
    this.call.emit('error', pubSubError(code, errorCode, message, this.stats.rpcId));
  }

  private end(): void {
    if (!this.stats.open) return;
    this.close();
    this.call.end();
  }

  private close(): void {
    this.stats.open = false;
    if (this.timer) clearInterval(this.timer);
    this.stopListening?.();
  }
}
