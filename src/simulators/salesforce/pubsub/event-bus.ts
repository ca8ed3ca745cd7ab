import { randomUUID } from 'node:crypto';
import type { RecordChange, Store } from '../store.ts';
import { encodeLeadChange, LEAD_CHANGE_SCHEMA_ID, leadChangeEvent } from './lead-change-event.ts';

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
 * The Lead change events of the simulated org, newest last. Salesforce keeps them 72 hours; the simulator keeps the
 * last `retain`, so an older replay id is one "outside the retention window".
 */
export class EventBus {
  private events: BusEvent[] = [];
  private nextReplayId = 1n;
  private commitNumber = 0;
  private lastStamp = '';
  private transactionKey = '';
  private sequenceNumber = 0;
  private listeners = new Set<() => void>();
  private readonly stop: () => void;
  private readonly retain: number;

  constructor(store: Store, retain: number) {
    this.retain = retain;
    this.stop = store.onChange((change) => {
      if (change.object === 'Lead') this.publish(change);
    });
  }

  close(): void {
    this.stop();
    this.listeners.clear();
  }

  /** Saves sharing a SystemModstamp were one transaction: one key, sequence numbers counting up within it. */
  private commitFor(change: RecordChange) {
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
    const payload = encodeLeadChange(leadChangeEvent(change, this.commitFor(change)));
    this.events.push({ replayId: this.nextReplayId, event: { id: randomUUID(), schema_id: LEAD_CHANGE_SCHEMA_ID, payload, headers: [] } });
    this.nextReplayId += 1n;
    if (this.events.length > this.retain) this.events.splice(0, this.events.length - this.retain);
    for (const listener of this.listeners) listener();
  }

  /** Told after each publish; returns the call that stops it. */
  onPublish(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The replay id of the newest event ever published (0 before the first). */
  latestReplayId(): bigint {
    return this.nextReplayId - 1n;
  }

  /** Whether a stream can resume after `replayId`: it is one the bus still keeps (or the tip). */
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
