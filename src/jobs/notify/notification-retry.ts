import type { DeliveryOutcome } from '../../core/routing/owner-notification.ts';

/** After this many attempts a notification that still could not be delivered is parked (about 21 minutes of tries). */
export const MAX_NOTIFICATION_ATTEMPTS = 8;
/** The first retry waits this long; each further one twice as long as the one before, up to the cap. */
export const NOTIFICATION_BACKOFF_BASE_MS = 10_000;
export const NOTIFICATION_BACKOFF_MAX_MS = 30 * 60_000;

export type NotificationStep =
  | { state: 'delivered' }
  | { state: 'pending'; waitMs: number; reason: string }
  | { state: 'parked'; reason: string };

/**
 * Pure: what a channel's answer means for the row, given the attempts made so far (this one included). A retry
 * waits exponentially longer each time, and never less than the provider's Retry-After; past the last attempt, or
 * when the channel says it can never deliver, the row is parked with the reason.
 */
export function nextNotificationStep(outcome: DeliveryOutcome, attempts: number): NotificationStep {
  if (outcome.status === 'delivered') return { state: 'delivered' };
  if (outcome.status === 'undeliverable') return { state: 'parked', reason: outcome.reason };
  if (attempts >= MAX_NOTIFICATION_ATTEMPTS) return { state: 'parked', reason: `gave up after ${attempts} attempts: ${outcome.reason}` };
  const backoff = Math.min(NOTIFICATION_BACKOFF_MAX_MS, NOTIFICATION_BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
  return { state: 'pending', waitMs: Math.max(backoff, outcome.retryAfterMs ?? 0), reason: outcome.reason };
}
