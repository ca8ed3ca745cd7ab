import type { PgBoss } from 'pg-boss';
import type { HubSpotWebhookEvent } from '../http/webhooks/hubspot-event-schema.ts';
import { dedupeKeyOf, isContactEvent } from '../http/webhooks/hubspot-event-schema.ts';
import type { IngestResult } from '../http/webhooks/hubspot-webhook-route.ts';
import type { Logger } from '../log.ts';
import type { Database } from '../store/database.ts';
import { insertEvents, markProcessed, type InboxEventInput } from '../store/inbox.ts';
import { enqueueContacts } from './handoff-queue.ts';

export function toInboxEvent(event: HubSpotWebhookEvent): InboxEventInput {
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
}

/**
 * Persists a verified batch (the inbox is the durable record; a redelivery is stored once), then queues a
 * handoff job per contact. If queueing fails after the commit, the inbox sweeper queues them later.
 */
export function createWebhookIngest(deps: WebhookIngestDeps): (events: HubSpotWebhookEvent[]) => Promise<IngestResult> {
  const log = deps.logger.child({ module: 'ingest' });
  return async (events) => {
    const result = await insertEvents(deps.db, events.map(toInboxEvent));
    const contactIds = events.filter(isContactEvent).map((event) => String(event.objectId));
    try {
      await enqueueContacts(deps.boss, contactIds);
      deps.wake();
    } catch (error) {
      log.warn('queueing handoff jobs failed; the inbox sweeper will retry', { error });
    }
    return { stored: result.inserted, duplicates: result.duplicates };
  };
}

/** Events about other objects are kept for the record but have nothing to do here yet. */
export async function settleNonContactEvents(db: Database, ids: string[]): Promise<void> {
  if (ids.length > 0) await markProcessed(db, ids, 'ignored: not a contact event');
}
