import { describe, expect, it } from '@jest/globals';
import type { ChangeEvent } from '../../../src/adapters/salesforce/pubsub/change-event.ts';
import type { PubSubMessage } from '../../../src/adapters/salesforce/pubsub/subscription.ts';
import { withBuffered } from '../../../src/jobs/salesforce-cdc/buffered-events.ts';

const event = (n: number): ChangeEvent => ({
  replayId: Buffer.from([n]),
  entityName: 'Lead',
  changeType: 'UPDATE',
  recordIds: [`00Q00000000000${String(n).padStart(4, '0')}`],
  commitUser: '005000000000002AAA',
  commitTimestamp: n,
  changeOrigin: '',
  transactionKey: `t${n}`,
  sequenceNumber: 1,
  fields: {},
});
const events = (...ns: number[]): PubSubMessage => ({ kind: 'events', events: ns.map(event), latestReplayId: Buffer.from([ns.at(-1)!]) });

/** A subscription whose queue already holds `queued`: what the stream delivered while the last batch was carried out. */
function queue(queued: PubSubMessage[]) {
  const left = [...queued];
  return {
    buffered: () => left.length,
    next: async (): Promise<IteratorResult<PubSubMessage>> => {
      const value = left.shift();
      return value ? { value, done: false } : { value: undefined, done: true };
    },
    left,
  };
}

describe('withBuffered: the responses that queued up while a batch was carried out go in the next batch', () => {
  it('takes every queued response into one batch, in order, skipping keep-alives', async () => {
    const sub = queue([events(2, 3), { kind: 'keepalive', latestReplayId: Buffer.from([3]) }, events(4)]);
    const batch = await withBuffered(sub, [event(1)]);
    expect(batch.events.map((e) => e.commitTimestamp)).toEqual([1, 2, 3, 4]);
    expect(batch.failure).toBeUndefined();
    expect(sub.left).toEqual([]);
  });

  it('applies what came before a failure, and returns the failure after them', async () => {
    const failure = { kind: 'unavailable' as const, grpcCode: 14, errorCode: undefined, rpcId: undefined, message: 'gone' };
    const sub = queue([events(2), { kind: 'failure', failure }, events(9)]);
    const batch = await withBuffered(sub, [event(1)]);
    expect(batch.events.map((e) => e.commitTimestamp)).toEqual([1, 2]);
    expect(batch.failure).toBe(failure);
  });

  it('waits for nothing: with an empty queue the batch is the first response alone', async () => {
    const sub = queue([]);
    expect((await withBuffered(sub, [event(1)])).events).toHaveLength(1);
  });

  it('stops adding once a batch holds 1,000 events, leaving the rest queued', async () => {
    const big = Array.from({ length: 10 }, (_, i) => events(...Array.from({ length: 100 }, (_, j) => i * 100 + j + 1)));
    const sub = queue(big);
    const batch = await withBuffered(
      sub,
      Array.from({ length: 100 }, (_, j) => event(2_000 + j)),
    );
    expect(batch.events).toHaveLength(1_000);
    expect(sub.left).toHaveLength(1);
  });
});
