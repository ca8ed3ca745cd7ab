import { HUBSPOT_LIMITS } from '../../adapters/hubspot/limits.ts';
import { signV3 } from '../../adapters/hubspot/signature.ts';
import type { ContactChange, WebhookOptions } from './types.ts';

/** One event of a HubSpot v3 webhook batch (legacy contact.* subscription types). */
export interface WebhookEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: 'contact.creation' | 'contact.propertyChange' | 'contact.deletion' | 'contact.privacyDeletion';
  attemptNumber: number;
  objectId: number;
  propertyName?: string;
  propertyValue?: string;
  changeSource: string;
  sourceId: string;
}

export interface DeliveryRecord {
  attemptNumber: number;
  eventCount: number;
  status?: number;
  error?: string;
}

const CREATION_SUBSCRIPTION_ID = 1000;
const DELETION_SUBSCRIPTION_ID = 1001;
const PRIVACY_DELETION_SUBSCRIPTION_ID = 1002;
const PROPERTY_SUBSCRIPTION_BASE = 2000;

/** Collects contact changes for batchDelayMs, then POSTs them signed (v3) to the target, retrying non-2xx. */
export class WebhookDispatcher {
  readonly deliveries: DeliveryRecord[] = [];
  private pending: WebhookEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = new Set<Promise<void>>();
  private nextEventId = 1;
  private closed = false;
  private readonly options: WebhookOptions;
  private readonly now: () => number;

  constructor(options: WebhookOptions, now: () => number) {
    this.options = options;
    this.now = now;
  }

  /** Turns a store change into an event if a subscription covers it, and schedules a batch. */
  record(change: ContactChange): void {
    const event = this.toEvent(change);
    if (!event || this.closed) return;
    this.pending.push(event);
    this.timer ??= setTimeout(() => this.flushPending(), this.options.batchDelayMs ?? 50);
  }

  /** Resolves once nothing is pending or being delivered (retries included). */
  async idle(): Promise<void> {
    while (this.pending.length > 0 || this.inFlight.size > 0) {
      if (this.pending.length > 0) this.flushPending();
      await Promise.all([...this.inFlight]);
    }
  }

  async close(): Promise<void> {
    await this.idle();
    this.closed = true;
  }

  reset(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
    this.deliveries.length = 0;
  }

  private toEvent(change: ContactChange): WebhookEvent | undefined {
    const base = {
      eventId: this.nextEventId,
      portalId: this.options.portalId,
      appId: this.options.appId,
      occurredAt: change.occurredAt,
      attemptNumber: 0,
      objectId: Number(change.objectId),
      changeSource: change.origin.changeSource,
      sourceId: change.origin.sourceId,
    };
    if (change.kind === 'creation') {
      this.nextEventId += 1;
      return { ...base, subscriptionId: CREATION_SUBSCRIPTION_ID, subscriptionType: 'contact.creation' };
    }
    // Deletions carry the envelope only, no property (HubSpot webhooks docs).
    if (change.kind === 'deletion' || change.kind === 'privacyDeletion') {
      this.nextEventId += 1;
      return change.kind === 'deletion'
        ? { ...base, subscriptionId: DELETION_SUBSCRIPTION_ID, subscriptionType: 'contact.deletion' }
        : { ...base, subscriptionId: PRIVACY_DELETION_SUBSCRIPTION_ID, subscriptionType: 'contact.privacyDeletion' };
    }
    const subscribed = this.options.subscribedProperties;
    const index = subscribed ? subscribed.indexOf(change.propertyName ?? '') : 0;
    if (index < 0) return undefined;
    this.nextEventId += 1;
    return {
      ...base,
      subscriptionId: PROPERTY_SUBSCRIPTION_BASE + index,
      subscriptionType: 'contact.propertyChange',
      propertyName: change.propertyName,
      propertyValue: change.propertyValue,
    };
  }

  private flushPending(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const events = this.pending;
    this.pending = [];
    for (let start = 0; start < events.length; start += HUBSPOT_LIMITS.batchMaxInputs) {
      const delivery = this.deliver(events.slice(start, start + HUBSPOT_LIMITS.batchMaxInputs), 0);
      this.inFlight.add(delivery);
      void delivery.finally(() => this.inFlight.delete(delivery));
    }
  }

  private async deliver(events: WebhookEvent[], attemptNumber: number): Promise<void> {
    const body = JSON.stringify(events.map((event) => ({ ...event, attemptNumber })));
    const timestamp = String(this.now());
    const signature = signV3({ method: 'POST', uri: this.options.targetUrl, body, timestamp }, this.options.clientSecret);
    const record: DeliveryRecord = { attemptNumber, eventCount: events.length };
    try {
      const response = await fetch(this.options.targetUrl, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-HubSpot-Signature-v3': signature,
          'X-HubSpot-Signature-Version': 'v3',
          'X-HubSpot-Request-Timestamp': timestamp,
        },
        body,
        signal: AbortSignal.timeout(5_000),
      });
      await response.arrayBuffer();
      record.status = response.status;
    } catch (error) {
      record.error = (error as Error).message;
    }
    this.deliveries.push(record);
    const ok = record.status !== undefined && record.status >= 200 && record.status < 300;
    if (ok || attemptNumber + 1 >= (this.options.maxAttempts ?? 4)) return;
    await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs ?? 100));
    await this.deliver(events, attemptNumber + 1);
  }
}
