import { setTimeout as wait } from 'node:timers/promises';
import type { PubSubMessage, PubSubSubscription } from '../../adapters/salesforce/pubsub/subscription.ts';
import { CHANGE_TOPICS, type FollowedEntity } from '../../core/sales/change-events/change-event-types.ts';
import { decideStreamFailure, type StreamFailure } from '../../core/sales/change-events/decide-stream-failure.ts';
import { type CdcStatus, clearReplayId, type LeaseClaim, LeaseLostError, readReplayId, writeReplayId } from '../../store/cdc-lease.ts';
import { applyChangeBatch } from './apply-change-batch.ts';
import { withBuffered } from './buffered-events.ts';
import type { ChangeSubscriberDeps } from './cdc-types.ts';

export type ReportStatus = (entity: FollowedEntity, status: CdcStatus, detail?: string) => void;

/** The next message, or `silence` when none came within `ms` (then the stream is dead and closed). */
async function nextOrSilence(subscription: PubSubSubscription, ms: number): Promise<IteratorResult<PubSubMessage> | 'silence'> {
  const timer = new AbortController();
  const silence = wait(ms, 'silence' as const, { signal: timer.signal }).catch(() => 'aborted' as const);
  try {
    const first = await Promise.race([subscription.next(), silence]);
    if (first === 'aborted') return { done: true, value: undefined };
    if (first === 'silence') subscription.close();
    return first;
  } finally {
    timer.abort();
  }
}

/** Waits `ms`, or less when the lease term ends; never throws. */
const pause = (ms: number, signal: AbortSignal) => wait(ms, undefined, { signal }).catch(() => undefined);

/**
 * One stream's life: reads until it fails, and returns why; `undefined` when the lease term ended (the stream was
 * closed by us). Keep-alives move the stored position too, so an idle topic's replay id never ages out of the 72
 * hours Salesforce keeps events ("Event Message Durability").
 */
async function readStream(
  entity: FollowedEntity,
  subscription: PubSubSubscription,
  claim: LeaseClaim,
  deps: ChangeSubscriberDeps,
  delivered: () => Promise<void>,
): Promise<StreamFailure | undefined> {
  let position: Buffer | undefined;
  for (;;) {
    const next = await nextOrSilence(subscription, deps.settings.silenceMs);
    if (next === 'silence') return { kind: 'silence', message: `nothing for ${deps.settings.silenceMs} ms` };
    if (next.done) return undefined;
    const message = next.value;
    if (message.kind === 'failure') return message.failure;
    await delivered();
    if (message.kind === 'events') {
      const { events, failure } = await withBuffered(subscription, message.events);
      const applied = await applyChangeBatch(entity, events, claim, deps);
      position = events.at(-1)?.replayId ?? position;
      deps.logger.info('change events applied', { module: 'salesforce-cdc', entity, events: applied.events, records: applied.records });
      if (failure) return failure;
    } else if (!position?.equals(message.latestReplayId)) {
      const latest = message.latestReplayId;
      await deps.db.transaction((tx) => writeReplayId(tx, claim, CHANGE_TOPICS[entity], latest));
      position = latest;
    }
  }
}

/**
 * One topic for as long as the lease term lasts: subscribe after the stored replay id (or at the tip, then let the
 * poll catch up from its watermark so nothing between is missed), read, and on a failure do what core decides.
 */
export async function followTopic(
  entity: FollowedEntity,
  claim: LeaseClaim,
  signal: AbortSignal,
  deps: ChangeSubscriberDeps,
  report: ReportStatus,
): Promise<void> {
  const topic = CHANGE_TOPICS[entity];
  let failuresInARow = 0;
  while (!signal.aborted) {
    const stored = await readReplayId(deps.db, topic);
    const subscription = deps.pubSub.subscribe(topic, stored ? { afterReplayId: stored } : { preset: 'LATEST' }, {
      batchSize: deps.settings.batchSize,
    });
    const close = () => subscription.close();
    signal.addEventListener('abort', close, { once: true });
    // The term may have ended while the replay id was read: an abort that already fired is not heard again.
    if (signal.aborted) close();
    let failure: StreamFailure | undefined;
    try {
      // At the tip the stream's position is fixed only once the server takes the first request, which nothing
      // confirms before the first message: the poll reads what came before now, and again after that message, so
      // a change committed in between is not left to the drift check. A stored replay id is a known position.
      let positioned = stored !== undefined;
      if (positioned) report(entity, 'live');
      else {
        report(entity, 'catching-up', 'subscribed at the newest event; the poll reads what came before');
        await deps.pollRound();
      }
      failure = await readStream(entity, subscription, claim, deps, async () => {
        failuresInARow = 0;
        if (positioned) return;
        positioned = true;
        await deps.pollRound();
        report(entity, 'live');
      });
    } catch (error) {
      // A lost lease ends the term; anything else (a refused re-read, a database error) ends this stream, and the
      // batch it was carrying is delivered again from the stored replay id.
      if (error instanceof LeaseLostError) throw error;
      failure = { kind: 'other', message: error instanceof Error ? error.message : String(error) };
    } finally {
      signal.removeEventListener('abort', close);
      subscription.close();
    }
    if (!failure || signal.aborted) return;
    failuresInARow += 1;
    const action = decideStreamFailure(failure, failuresInARow, deps.settings.reconnect, deps.random);
    deps.logger.warn('change event stream ended', { module: 'salesforce-cdc', entity, failure: failure.kind, ...action });
    deps.changeMetrics?.changeStreamReconnect(failure.kind);
    if (action.action === 'catch-up') {
      deps.changeMetrics?.changeFallback('replay-rejected');
      await deps.db.transaction((tx) => clearReplayId(tx, claim, topic));
    } else if (action.action === 'fall-back') {
      deps.changeMetrics?.changeFallback('unavailable');
      report(entity, 'unavailable', action.reason);
      await pause(action.retryAfterMs, signal);
    } else {
      report(entity, 'reconnecting', action.reason);
      await pause(action.waitMs, signal);
    }
  }
}
