/**
 * HubSpot's webhook redelivery, as its developer docs describe it, in our own words: a batch of events that
 * failed is sent again, up to 10 more times. A delivery has failed when no connection could be opened, when
 * no answer came within a few seconds, or when the answer's status is anything but 2xx and also not one of
 * 400, 401, 403, 404, 405 (those are final: HubSpot drops the batch). So 5xx and 429 are retried, a 429
 * after its Retry-After. Retries back off exponentially (minutes apart, spread over about a day) and carry
 * the same events (same eventId) with a higher attemptNumber.
 *
 * The harness keeps the rule and compresses the clock: the first retry waits 200 ms, each later one twice
 * as long, at most 3 s, so ten retries span ~21 s, longer than a restart of the service takes.
 */
export const HUBSPOT_REDELIVERY = {
  retries: 10,
  finalStatuses: [400, 401, 403, 404, 405],
  timeoutMs: 5_000,
  firstDelayMs: 200,
  maxDelayMs: 3_000,
} as const;

export type WebhookEvent = Record<string, unknown> & { eventId: number };

export interface SenderStats {
  /** Batches handed to the sender (first sends and deliberate redeliveries). */
  batches: number;
  /** HTTP attempts, retries included. */
  attempts: number;
  retries: number;
  /** Batches sent again after they had been accepted, as HubSpot sometimes does. */
  redeliveries: number;
  /** Events the service reported as already stored (a redelivery, or a retry after a lost answer). */
  duplicatesReported: number;
  /** Batches dropped: a final status, or every retry failed. Their events count as not accepted. */
  givenUp: number;
  connectionFailures: number;
  statuses: Record<string, number>;
}

export interface WebhookSenderOptions {
  /** Where deliveries go; with several, each attempt takes the next (a load balancer's round robin). */
  targets: () => string[];
  /** Signed headers for a body (the signature covers body and timestamp). */
  headers: (body: string) => Record<string, string>;
  sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Delivers signed webhook batches and redelivers failed ones by HubSpot's rule; remembers which events were accepted. */
export class WebhookSender {
  readonly accepted = new Set<number>();
  readonly stats: SenderStats = {
    batches: 0,
    attempts: 0,
    retries: 0,
    redeliveries: 0,
    duplicatesReported: 0,
    givenUp: 0,
    connectionFailures: 0,
    statuses: {},
  };
  /** HTTP requests sent and not yet answered. */
  inFlight = 0;
  private next = 0;
  private readonly options: WebhookSenderOptions;

  constructor(options: WebhookSenderOptions) {
    this.options = options;
  }

  /** Resolves true once the batch was answered 200, false if it was given up. */
  async deliver(events: WebhookEvent[], options: { redelivery?: boolean } = {}): Promise<boolean> {
    this.stats.batches += 1;
    if (options.redelivery) this.stats.redeliveries += 1;
    for (let attempt = 0; attempt <= HUBSPOT_REDELIVERY.retries; attempt += 1) {
      if (attempt > 0) this.stats.retries += 1;
      const outcome = await this.attempt(events.map((event) => ({ ...event, attemptNumber: attempt })));
      if (outcome.ok) {
        for (const event of events) this.accepted.add(event.eventId);
        return true;
      }
      if (outcome.final) break;
      const backoff = Math.min(HUBSPOT_REDELIVERY.maxDelayMs, HUBSPOT_REDELIVERY.firstDelayMs * 2 ** attempt);
      await (this.options.sleep ?? wait)(Math.max(backoff, outcome.retryAfterMs ?? 0));
    }
    this.stats.givenUp += 1;
    return false;
  }

  private async attempt(events: WebhookEvent[]): Promise<{ ok: boolean; final?: boolean; retryAfterMs?: number }> {
    const targets = this.options.targets();
    const target = targets[this.next++ % targets.length];
    const body = JSON.stringify(events);
    this.stats.attempts += 1;
    this.inFlight += 1;
    try {
      const response = await fetch(`${target}/webhooks/hubspot`, {
        method: 'POST',
        headers: this.options.headers(body),
        body,
        signal: AbortSignal.timeout(HUBSPOT_REDELIVERY.timeoutMs),
      });
      const text = await response.text();
      this.stats.statuses[response.status] = (this.stats.statuses[response.status] ?? 0) + 1;
      if (response.ok) {
        this.stats.duplicatesReported += Number((JSON.parse(text || '{}') as { duplicates?: number }).duplicates ?? 0);
        return { ok: true };
      }
      const retryAfter = Number(response.headers.get('retry-after'));
      return {
        ok: false,
        final: (HUBSPOT_REDELIVERY.finalStatuses as readonly number[]).includes(response.status),
        ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
      };
    } catch {
      // Connection refused or reset (the service is down or was killed mid-request), or no answer in time.
      this.stats.connectionFailures += 1;
      return { ok: false };
    } finally {
      this.inFlight -= 1;
    }
  }
}
