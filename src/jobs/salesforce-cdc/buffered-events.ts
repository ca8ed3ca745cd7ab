import type { ChangeEvent } from '../../adapters/salesforce/pubsub/change-event.ts';
import type { PubSubSubscription } from '../../adapters/salesforce/pubsub/subscription.ts';
import type { StreamFailure } from '../../core/sales/change-events/decide-stream-failure.ts';

/** At most this many events are carried out as one batch (re-read in chunks of 200 ids). */
const MAX_BATCH_EVENTS = 1_000;

/**
 * The events of `first` plus those of every message already received behind it: under load the stream delivers
 * many small responses while a batch is carried out, and taking them together costs one re-read and one set of
 * writes instead of one per response. A failure behind them is returned after they are applied.
 */
export async function withBuffered(
  subscription: Pick<PubSubSubscription, 'buffered' | 'next'>,
  first: ChangeEvent[],
): Promise<{ events: ChangeEvent[]; failure?: StreamFailure }> {
  const events = [...first];
  while (subscription.buffered() > 0 && events.length < MAX_BATCH_EVENTS) {
    const next = await subscription.next();
    if (next.done) break;
    if (next.value.kind === 'failure') return { events, failure: next.value.failure };
    if (next.value.kind === 'events') events.push(...next.value.events);
  }
  return { events };
}
