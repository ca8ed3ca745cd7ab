import { z } from 'zod';
import { type HubSpotWebhookEvent, hubspotEventSchema, identityOf, MAX_EVENTS_PER_REQUEST } from '../../adapters/hubspot/webhook-event.ts';
import { unstorableJsonReason } from '../../core/storable-json.ts';
import { withoutNul } from '../../core/storable-text.ts';
import type { RejectedEventInput } from '../../store/rejected-events.ts';
import { describeIssues, formatPath, HttpError } from '../errors.ts';

/**
 * Nesting an event may have. HubSpot's events are flat objects of scalars; the bound leaves room for fields
 * HubSpot may add while keeping JSON.stringify, zod and PostgreSQL far from their recursion limits.
 */
const MAX_EVENT_DEPTH = 32;
/** A reason is our own text and schema paths; the cap only keeps a row small. */
const MAX_REASON_LENGTH = 500;

/** The delivery's outer shape; each element is looked at on its own below, so none is parsed here. */
const deliverySchema = z
  .array(z.unknown())
  .min(1, 'a webhook batch holds at least one event')
  .max(MAX_EVENTS_PER_REQUEST, `HubSpot sends at most ${MAX_EVENTS_PER_REQUEST} events per request`);

export interface ScreenedDelivery {
  events: HubSpotWebhookEvent[];
  rejected: RejectedEventInput[];
}

/**
 * Splits a parsed, signed delivery into events to store and events refused one by one, so one bad event (a lone
 * surrogate PostgreSQL refuses, nesting that would overflow a recursive serialiser, a field of the wrong shape)
 * never sinks the good ones: answering 500 would only make HubSpot retry the same delivery, and a 400 would make it
 * drop the whole of it (HubSpot webhooks overview, "Retries": 5xx are retried, 400/401/403/404/405 are not).
 * Throws a 400 when the body is not an array of 1 to 100 events.
 */
export function screenDelivery(json: unknown, options: { mayHoldNul: boolean }): ScreenedDelivery {
  const delivery = deliverySchema.safeParse(json);
  if (!delivery.success) {
    throw new HttpError(
      400,
      'invalid_webhook',
      'webhook body does not match the HubSpot event format',
      describeIssues(delivery.error.issues),
    );
  }
  const screened: ScreenedDelivery = { events: [], rejected: [] };
  delivery.data.forEach((raw, index) => {
    const outcome = screenEvent(raw, index, options.mayHoldNul);
    if (outcome.ok) screened.events.push(outcome.event);
    else screened.rejected.push({ source: 'hubspot', ...identityOf(raw), reason: outcome.reason });
  });
  return screened;
}

type EventOutcome = { ok: true; event: HubSpotWebhookEvent } | { ok: false; reason: string };

function screenEvent(raw: unknown, index: number, mayHoldNul: boolean): EventOutcome {
  // Shape first, without recursion: zod and everything after it may then walk the event safely.
  const unstorable = unstorableJsonReason(raw, { maxDepth: MAX_EVENT_DEPTH });
  if (unstorable) return { ok: false, reason: `[${index}]: ${unstorable}` };
  // PostgreSQL refuses U+0000 (see withoutNul): it is replaced, not refused, as it always was.
  const parsed = hubspotEventSchema.safeParse(mayHoldNul ? withoutNul(raw) : raw);
  if (parsed.success) return { ok: true, event: parsed.data };
  const reason = parsed.error.issues.map((issue) => `${formatPath([index, ...issue.path])}: ${issue.message}`).join('; ');
  return { ok: false, reason: storableReason(reason) };
}

/** Paths name the sender's fields, so the reason is made safe to store as text too. */
function storableReason(reason: string): string {
  const safe = (withoutNul(reason) as string).toWellFormed();
  return safe.length > MAX_REASON_LENGTH ? `${safe.slice(0, MAX_REASON_LENGTH - 1)}…` : safe;
}
