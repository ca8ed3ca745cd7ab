import { randomUUID } from 'node:crypto';
import type { RecordChange, Store } from '../store.ts';
import type { CommitInfo } from './change-event-schema.ts';
import { type CdcEntity, CHANGE_TOPICS, type ChangeTopic } from './topics.ts';

/** One event on the bus: its position (replay id) and the ProducerEvent as the proto shapes it. */
export interface BusEvent {
  replayId: bigint;
  event: { id: string; schema_id: string; payload: Buffer; headers: never[] };
}

/** Replay ids go out as 8 big-endian bytes: opaque to clients, as Salesforce's are ("Event Message Durability"). */
export function encodeReplayId(replayId: bigint): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(replayId);
  return bytes;
}

export function decodeReplayId(bytes: Buffer | Uint8Array): bigint | undefined {
  if (bytes.length !== 8) return undefined;
  return Buffer.from(bytes).readBigUInt64BE();
}

/**
 * One channel's events, newest last, with its own replay id sequence: a replay id is "the position of the event in
 * the event stream" (Pub/Sub API Developer Guide, "Event Message Durability"), and each channel is its own stream,
 * so a Lead replay id means nothing on the Opportunity channel. Salesforce keeps events 72 hours; the simulator
 * keeps the last `retain`, so an older replay id is one "outside the retention window".
 */
export class TopicLog {
  readonly topic: ChangeTopic;
  private events: BusEvent[] = [];
  private nextReplayId = 1n;
  private readonly retain: number;

  constructor(topic: ChangeTopic, retain: number) {
    this.topic = topic;
    this.retain = retain;
  }

  append(payload: Buffer): void {
    this.events.push({
      replayId: this.nextReplayId,
      event: { id: randomUUID(), schema_id: this.topic.schema.schemaId, payload, headers: [] },
    });
    this.nextReplayId += 1n;
    if (this.events.length > this.retain) this.events.splice(0, this.events.length - this.retain);
  }

  /** The replay id of the newest event ever published (0 before the first). */
  latestReplayId(): bigint {
    return this.nextReplayId - 1n;
  }

  /** Whether a stream can resume after `replayId`: it is one the channel still keeps (or the tip). */
  keeps(replayId: bigint): boolean {
    const oldest = this.events[0]?.replayId ?? this.nextReplayId;
    return replayId >= oldest - 1n && replayId < this.nextReplayId;
  }

  /** The replay id a subscription at the earliest kept event resumes after. */
  beforeEarliest(): bigint {
    return (this.events[0]?.replayId ?? this.nextReplayId) - 1n;
  }

  /** Up to `max` events after `replayId`, oldest first. */
  after(replayId: bigint, max: number): BusEvent[] {
    return this.events.filter((event) => event.replayId > replayId).slice(0, max);
  }
}

/** The change events of the simulated org: one channel per object selected for Change Data Capture. */
export class EventBus {
  private readonly logs = new Map<string, TopicLog>();
  private readonly byEntity = new Map<string, TopicLog>();
  private commitNumber = 0;
  private lastStamp = '';
  private transactionKey = '';
  private sequenceNumber = 0;
  private listeners = new Set<(topic: string) => void>();
  private readonly stop: () => void;

  constructor(store: Store, retain: number, entities: readonly CdcEntity[]) {
    for (const entity of entities) {
      const log = new TopicLog(CHANGE_TOPICS[entity], retain);
      this.logs.set(log.topic.name, log);
      this.byEntity.set(entity, log);
    }
    this.stop = store.onChange((change) => this.publish(change));
  }

  close(): void {
    this.stop();
    this.listeners.clear();
  }

  /** The channel of that name, if its object is selected for Change Data Capture. */
  topic(name: string): TopicLog | undefined {
    return this.logs.get(name);
  }

  /** The channel whose event schema has that id. */
  topicOfSchema(schemaId: string): TopicLog | undefined {
    return [...this.logs.values()].find((log) => log.topic.schema.schemaId === schemaId);
  }

  /** Saves sharing a SystemModstamp were one transaction: one key, sequence numbers counting up within it. */
  private commitFor(change: RecordChange): CommitInfo {
    const stamp = String(change.after.SystemModstamp);
    if (stamp !== this.lastStamp) {
      this.lastStamp = stamp;
      this.transactionKey = randomUUID();
      this.sequenceNumber = 0;
      this.commitNumber += 1;
    }
    this.sequenceNumber += 1;
    return { commitNumber: this.commitNumber, transactionKey: this.transactionKey, sequenceNumber: this.sequenceNumber };
  }

  private publish(change: RecordChange): void {
    const log = this.byEntity.get(change.object);
    if (!log) return;
    log.append(log.topic.schema.encode(change, this.commitFor(change)));
    for (const listener of this.listeners) listener(log.topic.name);
  }

  /** Told the channel's name after each publish; returns the call that stops it. */
  onPublish(listener: (topic: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
