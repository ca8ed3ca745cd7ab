import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '../../../log.ts';
import type { PubSubCredentials } from '../client.ts';
import type { ChangeEvent } from './change-event.ts';
import { classifyCredentialFailure, classifyPubSubError, PubSubError, type PubSubFailure } from './failure.ts';
import { PUBSUB_LIMITS } from './limits.ts';

/** Where a subscription starts: the tip, the oldest kept event, or just after a stored replay id. */
export type ReplayFrom = { preset: 'LATEST' } | { preset: 'EARLIEST' } | { afterReplayId: Buffer };

/**
 * What a subscription yields, in order. `events` and `keepalive` carry the stream's latest replay id; a `failure`
 * is always the last message (the stream is over), and after `close()` the iterator just ends.
 */
export type PubSubMessage =
  | { kind: 'events'; events: ChangeEvent[]; latestReplayId: Buffer }
  | { kind: 'keepalive'; latestReplayId: Buffer }
  | { kind: 'failure'; failure: PubSubFailure };

/** One Subscribe stream as an async iterator of messages (`for await`; leaving the loop closes the stream). */
export interface PubSubSubscription extends AsyncIterableIterator<PubSubMessage> {
  /** Ends the stream from our side; the iterator then ends without a failure message. */
  close(): void;
  /** Messages received and not yet taken by the consumer. */
  buffered(): number;
}

/** Where the credentials come from: the REST client's login (SalesforceClient / SalesforceAdapter). */
export interface PubSubCredentialSource {
  pubSubCredentials(): Promise<PubSubCredentials>;
  renewAccessToken(): Promise<void>;
}

/** A ConsumerEvent and FetchResponse as proto-loader hands them over (keepCase, bytes as Buffers). */
export interface WireConsumerEvent {
  event: { id: string; schema_id: string; payload: Buffer };
  replay_id: Buffer;
}
interface WireFetchResponse {
  events: WireConsumerEvent[];
  latest_replay_id: Buffer;
  rpc_id: string;
  pending_num_requested: number;
}
type SubscribeCall = grpc.ClientDuplexStream<object, WireFetchResponse>;

export interface SubscriptionDeps {
  topicName: string;
  replay: ReplayFrom;
  batchSize: number;
  credentials: PubSubCredentialSource;
  openStream(metadata: grpc.Metadata): SubscribeCall;
  metadataOf(credentials: PubSubCredentials): grpc.Metadata;
  decode(event: WireConsumerEvent): Promise<ChangeEvent>;
  logger: Logger;
}

const GRPC_OK = 0;

/** The first FetchRequest fixes topic and start ("Subscribe RPC Method"); later ones only add num_requested. */
function firstRequest(topicName: string, replay: ReplayFrom, numRequested: number): object {
  if ('afterReplayId' in replay)
    return { topic_name: topicName, replay_preset: 'CUSTOM', replay_id: replay.afterReplayId, num_requested: numRequested };
  return { topic_name: topicName, replay_preset: replay.preset, num_requested: numRequested };
}

/**
 * Pull-based flow control ("Pull Subscription and Flow Control"): we ask for `batchSize` events, and ask again only
 * when the server owes us none (pending_num_requested 0) and the consumer has taken every batch received, so a slow
 * consumer is never sent more than one batch ahead. One UNAUTHENTICATED answer renews the token and resubscribes
 * after the last position seen; a second one ends the stream.
 */
export class Subscription implements PubSubSubscription {
  private readonly queue: PubSubMessage[] = [];
  private waiters: Array<(result: IteratorResult<PubSubMessage>) => void> = [];
  private done = false;
  private call: SubscribeCall | undefined;
  private token = '';
  private serverPending = 0;
  private position: Buffer | undefined;
  private renewed = false;
  private chain: Promise<void> = Promise.resolve();
  private readonly deps: SubscriptionDeps;
  private readonly batchSize: number;

  constructor(deps: SubscriptionDeps) {
    this.deps = deps;
    this.batchSize = Math.min(PUBSUB_LIMITS.maxNumRequested, Math.max(1, Math.floor(deps.batchSize)));
    this.open(deps.replay).catch((error: unknown) => this.finish(classifyPubSubError(error, [this.token])));
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<PubSubMessage> {
    return this;
  }

  next(): Promise<IteratorResult<PubSubMessage>> {
    const message = this.queue.shift();
    if (message) {
      this.askForMoreIfDue();
      return Promise.resolve({ value: message, done: false });
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  return(): Promise<IteratorResult<PubSubMessage>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  close(): void {
    if (this.done && !this.call) return;
    this.done = true;
    this.queue.length = 0;
    const call = this.call;
    this.call = undefined;
    call?.cancel();
    this.wake();
  }

  buffered(): number {
    return this.queue.length;
  }

  private async open(replay: ReplayFrom): Promise<void> {
    let credentials: PubSubCredentials;
    try {
      credentials = await this.deps.credentials.pubSubCredentials();
    } catch (error) {
      this.finish(classifyCredentialFailure(error));
      return;
    }
    if (this.done) return;
    const call = this.deps.openStream(this.deps.metadataOf(credentials));
    this.call = call;
    this.token = credentials.accessToken;
    call.on('data', (response: WireFetchResponse) => this.inOrder(() => this.onResponse(call, response)));
    call.on('error', (error: unknown) => this.inOrder(() => this.onError(call, error)));
    call.on('status', (status: grpc.StatusObject) => {
      if (status.code === GRPC_OK) this.inOrder(async () => this.onFailure(call, classifyPubSubError(status)));
    });
    this.serverPending = this.batchSize;
    call.write(firstRequest(this.deps.topicName, replay, this.batchSize));
    this.deps.logger.info('salesforce pubsub subscribed', {
      topic: this.deps.topicName,
      replay: 'afterReplayId' in replay ? 'CUSTOM' : replay.preset,
    });
  }

  /** Responses decode one after another (a schema look-up may wait), so messages keep the stream's order. */
  private inOrder(work: () => Promise<void>): void {
    this.chain = this.chain.then(work).catch((error: unknown) => {
      this.deps.logger.error('salesforce pubsub message handling failed', { topic: this.deps.topicName, error });
      this.finish(classifyPubSubError(error, [this.token]));
    });
  }

  private async onResponse(call: SubscribeCall, response: WireFetchResponse): Promise<void> {
    if (call !== this.call) return;
    const events: ChangeEvent[] = [];
    for (const event of response.events) {
      try {
        events.push(await this.deps.decode(event));
      } catch (error) {
        this.finish(error instanceof PubSubError ? error.failure : classifyPubSubError(error, [this.token]));
        return;
      }
    }
    if (call !== this.call) return;
    const latestReplayId = response.latest_replay_id;
    this.position = latestReplayId.length > 0 ? latestReplayId : (events.at(-1)?.replayId ?? this.position);
    this.serverPending = response.pending_num_requested;
    this.push(events.length > 0 ? { kind: 'events', events, latestReplayId } : { kind: 'keepalive', latestReplayId });
    this.askForMoreIfDue();
  }

  private async onError(call: SubscribeCall, error: unknown): Promise<void> {
    if (call !== this.call) return;
    const failure = classifyPubSubError(error, [this.token]);
    if (failure.kind !== 'unauthenticated' || this.renewed) return this.onFailure(call, failure);
    this.renewed = true;
    this.call = undefined;
    try {
      await this.deps.credentials.renewAccessToken();
    } catch (renewError) {
      this.finish(classifyCredentialFailure(renewError));
      return;
    }
    const resume: ReplayFrom = this.position ? { afterReplayId: this.position } : this.deps.replay;
    await this.open(resume);
  }

  private async onFailure(call: SubscribeCall, failure: PubSubFailure): Promise<void> {
    if (call === this.call) this.finish(failure);
  }

  private askForMoreIfDue(): void {
    const consumerCaughtUp = !this.queue.some((message) => message.kind === 'events');
    if (this.done || !this.call || this.serverPending > 0 || !consumerCaughtUp) return;
    this.serverPending = this.batchSize;
    this.call.write({ num_requested: this.batchSize });
  }

  private push(message: PubSubMessage): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter({ value: message, done: false });
    else this.queue.push(message);
  }

  private finish(failure: PubSubFailure): void {
    if (this.done) return;
    const { kind, grpcCode, errorCode, rpcId, message } = failure;
    this.deps.logger.warn('salesforce pubsub stream ended', { topic: this.deps.topicName, kind, grpcCode, errorCode, rpcId, message });
    this.push({ kind: 'failure', failure });
    this.done = true;
    const call = this.call;
    this.call = undefined;
    call?.cancel();
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) {
      const message = this.queue.shift();
      waiter(message ? { value: message, done: false } : { value: undefined, done: true });
    }
  }
}
