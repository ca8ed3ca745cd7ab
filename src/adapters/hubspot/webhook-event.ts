import { z } from 'zod';

/** HubSpot sends at most 100 events in one webhook request. */
export const MAX_EVENTS_PER_REQUEST = 100;

/** 9999-12-31T23:59:59.999Z */
const MAX_EPOCH_MS = 253_402_300_799_999;

const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, 'must be a numeric id')]);

/**
 * One HubSpot webhook event (v3 delivery). Fields we do not use are kept in the stored payload.
 * `contact.*` legacy subscriptions and generic `object.*` ones (objectTypeId 0-1) both describe contacts.
 */
export const hubspotEventSchema = z.looseObject({
  eventId: id,
  subscriptionId: id,
  portalId: id,
  appId: id.optional(),
  /** Milliseconds since 1970; bounded to a real date (a later one would fail to store and be retried forever). */
  occurredAt: z.number().int().positive().max(MAX_EPOCH_MS, 'must be a time in milliseconds before the year 10000'),
  subscriptionType: z.string().regex(/^[a-z_]+\.[a-zA-Z_]+$/, 'must look like contact.propertyChange'),
  attemptNumber: z.number().int().nonnegative().optional(),
  objectId: id,
  objectTypeId: z.string().optional(),
  propertyName: z.string().min(1).max(256).optional(),
  propertyValue: z.string().max(65536).nullable().optional(),
  changeSource: z.string().max(128).optional(),
  sourceId: z.string().max(256).nullable().optional(),
});

export type HubSpotWebhookEvent = z.infer<typeof hubspotEventSchema>;

/** HubSpot may deliver the same event again (attemptNumber grows); these fields identify it. */
export function dedupeKeyOf(event: HubSpotWebhookEvent): string {
  return `hubspot:${event.portalId}:${event.subscriptionId}:${event.eventId}`;
}

export function isContactEvent(event: HubSpotWebhookEvent): boolean {
  return event.subscriptionType.startsWith('contact.') || (event.subscriptionType.startsWith('object.') && event.objectTypeId === '0-1');
}

/** What identifies an event that could not be accepted, read only from fields of a plain, safe shape. */
export interface WebhookEventIdentity {
  dedupeKey: string | null;
  eventId: string | null;
  subscriptionType: string | null;
  objectId: string | null;
}

const READABLE_ID = /^\d{1,40}$/;
const READABLE_TYPE = /^[a-z_]{1,64}\.[a-zA-Z_]{1,64}$/;

/**
 * The identity of a raw event, each field null unless it is plainly an id (or a subscription type): the sender's
 * other text is neither trusted nor kept. Reads only top-level fields, so any nesting below them costs nothing.
 */
export function identityOf(raw: unknown): WebhookEventIdentity {
  const record = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const idOf = (value: unknown): string | null => {
    const text = typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value) : value;
    return typeof text === 'string' && READABLE_ID.test(text) ? text : null;
  };
  const [eventId, subscriptionId, portalId] = [idOf(record.eventId), idOf(record.subscriptionId), idOf(record.portalId)];
  const type = record.subscriptionType;
  return {
    dedupeKey: eventId !== null && subscriptionId !== null && portalId !== null ? `hubspot:${portalId}:${subscriptionId}:${eventId}` : null,
    eventId,
    subscriptionType: typeof type === 'string' && READABLE_TYPE.test(type) ? type : null,
    objectId: idOf(record.objectId),
  };
}
