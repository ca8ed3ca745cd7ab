import type { PgBoss } from 'pg-boss';
import { dedupeKeyOf, type HubSpotWebhookEvent, isContactEvent } from '../adapters/hubspot/webhook-event.ts';
import type { Logger } from '../log.ts';
import type { Database } from '../store/database.ts';
import { type InboxEventInput, type InsertOutcome, insertEventBatches } from '../store/inbox.ts';
import { insertRejectedEvents, type RejectedEventInput } from '../store/rejected-events.ts';
import { groupCommitter } from './group-commit.ts';
import { enqueueContacts } from './handoff-queue.ts';

/** Events stored by one grouped statement at most (ten full HubSpot deliveries). */
const MAX_EVENTS_PER_COMMIT = 1_000;
/** Contacts queued by one grouped pg-boss insert at most. */
const MAX_CONTACTS_PER_ENQUEUE = 1_000;

/** What a delivery's ingest reports: events newly stored, and redelivered ones already held (refused ones are the caller's count). */
export interface IngestResult {
  stored: number;
  duplicates: number;
}

function toInboxEvent(event: HubSpotWebhookEvent): InboxEventInput {
  return {
    dedupeKey: dedupeKeyOf(event),
    source: 'hubspot',
    eventType: event.subscriptionType,
    objectType: isContactEvent(event) ? 'contact' : (event.objectTypeId ?? event.subscriptionType.split('.')[0] ?? 'unknown'),
    objectId: String(event.objectId),
    propertyName: event.propertyName ?? null,
    propertyValue: event.propertyValue ?? null,
    changeSource: event.changeSource ?? null,
    occurredAt: new Date(event.occurredAt),
    payload: event,
  };
}

export interface WebhookIngestDeps {
  db: Database;
  boss: PgBoss;
  logger: Logger;
  /** Called after jobs are queued so a local worker fetches at once instead of at its next poll. */
  wake: () => void;
  /** Told how many events each delivery stored (see intake-pressure.ts). */
  accepted?: (events: number) => void;
  /** Told how many events of a delivery were refused on their own (the rejected-events metric). */
  rejected?: (events: number) => void;
  /** True while webhooks flood in: storing and queueing then gather deliveries (see the holds below). */
  busy?: () => boolean;
}

/**
 * Under a flood, deliveries rarely overlap a commit by themselves (each commit is short), so each would cost a
 * commit of its own, and with fsync on every commit waits for a WAL flush. Holding the first a few milliseconds
 * lets the next ones share its INSERT and its flush: each acknowledgement is that much later, the disk far less busy.
 */
const STORE_HOLD_WHILE_BUSY_MS = 10;

/**
 * Under a flood, one pg-boss insert (a commit and a WAL flush) per delivery costs more than the inbox insert
 * itself; gathering a few tens of milliseconds of deliveries into one insert leaves the database to acknowledging.
 * Handoffs are late by at most this much then, and not at all at a calm rate.
 */
const QUEUE_HOLD_WHILE_BUSY_MS = 100;

/**
 * Persists a verified batch (the inbox is the durable record; a redelivery is stored once), then queues a
 * handoff job per contact. Concurrent deliveries share one INSERT (group commit) and one pg-boss insert,
 * so a burst costs a few commits rather than one per delivery. The caller answers 200 once the inbox
 * rows are committed; queueing follows without holding the answer back. If queueing fails, the inbox
 * sweeper queues the contacts later (and at every start), so nothing acknowledged is lost.
 */
export function createWebhookIngest(
  deps: WebhookIngestDeps,
): (events: HubSpotWebhookEvent[], rejected?: RejectedEventInput[]) => Promise<IngestResult> {
  const log = deps.logger.child({ module: 'ingest' });
  const recordRejected = rejectedRecorder(deps, log);
  const store = groupCommitter<InboxEventInput[], InsertOutcome>((batches) => insertEventBatches(deps.db, batches), {
    maxWeight: MAX_EVENTS_PER_COMMIT,
    weightOf: (batch) => batch.length,
    holdMs: () => (deps.busy?.() ? STORE_HOLD_WHILE_BUSY_MS : 0),
  });
  const queue = groupCommitter<string[], void>(
    async (lists) => {
      await enqueueContacts(deps.boss, lists.flat());
      deps.wake();
      return lists.map(() => undefined);
    },
    { maxWeight: MAX_CONTACTS_PER_ENQUEUE, weightOf: (ids) => ids.length, holdMs: () => (deps.busy?.() ? QUEUE_HOLD_WHILE_BUSY_MS : 0) },
  );
  return async (events, rejected = []) => {
    // Refused events are recorded before the answer: a failure here is a 500, HubSpot retries, and the good
    // events of the retry are duplicates, so nothing is lost either way.
    const [result] = await Promise.all([store(events.map(toInboxEvent)), recordRejected(rejected)]);
    deps.accepted?.(events.length);
    const contactIds = events.filter(isContactEvent).map((event) => String(event.objectId));
    if (contactIds.length > 0) {
      queue(contactIds).catch((error: unknown) => log.warn('queueing handoff jobs failed; the inbox sweeper will retry', { error }));
    }
    return { stored: result.inserted, duplicates: result.duplicates };
  };
}

/**
 * Rejections are rare, so each delivery's are one small insert of their own, outside the grouped inbox insert.
 * The log line says why, with ids only (the reasons are schema paths and our own words, never values).
 */
function rejectedRecorder(deps: WebhookIngestDeps, log: Logger): (rejected: RejectedEventInput[]) => Promise<void> {
  return async (rejected) => {
    if (rejected.length === 0) return;
    await insertRejectedEvents(deps.db, rejected);
    deps.rejected?.(rejected.length);
    log.warn('webhook events rejected', {
      rejected: rejected.length,
      events: rejected.map((event) => ({ eventId: event.eventId, subscriptionType: event.subscriptionType, reason: event.reason })),
    });
  };
}
