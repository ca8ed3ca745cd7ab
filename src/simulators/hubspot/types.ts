import type { OwnerSeed } from './owner-seed.ts';

/** Shapes shared by the HubSpot simulator's parts. */

export interface WebhookOptions {
  targetUrl: string;
  clientSecret: string;
  appId: number;
  portalId: number;
  /** propertyChange events are sent only for these properties; all properties when absent. */
  subscribedProperties?: string[];
  /** Events are collected this long, then sent as one or more batches of at most 100. */
  batchDelayMs?: number;
  /** Attempts per batch (first try included) before it is dropped. HubSpot retries for a day; tests need less. */
  maxAttempts?: number;
  retryDelayMs?: number;
}

export interface RateLimitOptions {
  windowMs: number;
  max: number;
}

export interface HubSpotSimulatorOptions {
  port?: number;
  host?: string;
  accessToken: string;
  latencyMs?: number;
  rateLimit?: RateLimitOptions;
  /** Told of every API call (under /crm) as it arrives, before the latency; benchmarks time calls with it. */
  onCall?: (call: ApiCallSeen) => void;
  webhook?: WebhookOptions;
  /** Injectable clock for createdate/lastmodifieddate and webhook occurredAt. */
  now?: () => number;
  /** The portal's owners (users who can own records) from the start; `reset` brings them back. */
  owners?: readonly OwnerSeed[];
}

/** One API call as the simulator saw it arrive. */
export interface ApiCallSeen {
  /** Epoch ms, from the simulator's clock. */
  at: number;
  /** Method and route pattern, e.g. "POST /crm/v3/objects/contacts/batch/read". */
  endpoint: string;
}

/** Who made a change, as HubSpot reports it in webhooks (changeSource + sourceId). */
export interface ChangeOrigin {
  changeSource: string;
  sourceId: string;
}

export interface SimContact {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export interface ContactChange {
  /** `deletion` and `privacyDeletion` as HubSpot's webhooks docs name them (contact.deletion, contact.privacyDeletion). */
  kind: 'creation' | 'propertyChange' | 'deletion' | 'privacyDeletion';
  objectId: string;
  propertyName?: string;
  propertyValue?: string;
  origin: ChangeOrigin;
  occurredAt: number;
}

export interface FaultPlan {
  status: number;
  count: number;
  retryAfterSeconds?: number;
  /** Only calls to this endpoint (`METHOD /path`, ids as `{id}`) fail; default every API call. */
  endpoint?: string;
}

export interface CallCounts {
  total: number;
  byEndpoint: Record<string, number>;
}

/** A HubSpot-shaped error the routes throw; the error handler renders it. */
export class SimHttpError extends Error {
  readonly status: number;
  readonly category: string;
  readonly extra: Record<string, unknown>;
  constructor(status: number, category: string, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.status = status;
    this.category = category;
    this.extra = extra;
  }
}
