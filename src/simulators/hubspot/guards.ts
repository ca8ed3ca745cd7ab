import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { HUBSPOT_LIMITS } from '../../adapters/hubspot/limits.ts';
import type { CallCounts, FaultPlan, RateLimitOptions } from './types.ts';

/** Everything that stands between a request and a route: counting, latency, auth, faults, rate limit. */

const HEADERS = HUBSPOT_LIMITS.rateLimitHeaders;

/** Route patterns for per-endpoint counters (ids and names collapse to placeholders). */
const ENDPOINT_PATTERNS: [RegExp, string][] = [
  [/^\/crm\/v3\/objects\/contacts\/batch\/(read|update|create|upsert|archive)$/, '/crm/v3/objects/contacts/batch/$1'],
  [/^\/crm\/v3\/objects\/contacts\/search$/, '/crm/v3/objects/contacts/search'],
  [/^\/crm\/v3\/objects\/contacts\/[^/]+$/, '/crm/v3/objects/contacts/{id}'],
  [/^\/crm\/v3\/properties\/contacts\/[^/]+$/, '/crm/v3/properties/contacts/{name}'],
  [/^\/crm\/v3\/objects\/companies\/batch\/read$/, '/crm/v3/objects/companies/batch/read'],
  [/^\/crm\/v3\/objects\/companies\/[^/]+$/, '/crm/v3/objects/companies/{id}'],
  [/^\/crm\/v3\/properties\/companies\/[^/]+$/, '/crm/v3/properties/companies/{name}'],
  [/^\/crm\/v3\/lists\/object-type-id\/[^/]+\/name\/[^/]+$/, '/crm/v3/lists/object-type-id/{objectTypeId}/name/{listName}'],
  [/^\/crm\/v3\/lists\/[^/]+\/memberships\/(add|remove)$/, '/crm/v3/lists/{listId}/memberships/$1'],
  [/^\/crm\/v3\/lists\/[^/]+\/memberships$/, '/crm/v3/lists/{listId}/memberships'],
  [/^\/crm\/v3\/owners\/[^/]+$/, '/crm/v3/owners/{ownerId}'],
];

export function endpointKey(method: string, path: string): string {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  for (const [pattern, replacement] of ENDPOINT_PATTERNS) {
    if (pattern.test(trimmed)) return `${method} ${trimmed.replace(pattern, replacement)}`;
  }
  return `${method} ${trimmed}`;
}

export function sendHubSpotError(
  res: Response,
  status: number,
  category: string,
  message: string,
  extra: Record<string, unknown> = {},
): void {
  res.status(status).json({ status: 'error', message, correlationId: randomUUID(), category, ...extra });
}

export class CallCounter {
  private counts: CallCounts = { total: 0, byEndpoint: {} };
  /** API answers with an error status, by status (429s from injected faults and the rate limit alike). */
  private refusals: Record<string, number> = {};
  readonly middleware: RequestHandler = (req, res, next) => {
    const key = endpointKey(req.method, req.baseUrl + req.path); // mounted under /crm
    this.counts.total += 1;
    this.counts.byEndpoint[key] = (this.counts.byEndpoint[key] ?? 0) + 1;
    res.once('finish', () => {
      if (res.statusCode >= 400) this.refusals[res.statusCode] = (this.refusals[res.statusCode] ?? 0) + 1;
    });
    next();
  };
  snapshot(): CallCounts {
    return { total: this.counts.total, byEndpoint: { ...this.counts.byEndpoint } };
  }
  refused(): Record<string, number> {
    return { ...this.refusals };
  }
  reset(): void {
    this.counts = { total: 0, byEndpoint: {} };
    this.refusals = {};
  }
}

export function latency(ms: number): RequestHandler {
  return (_req, _res, next) => {
    if (ms > 0) setTimeout(next, ms);
    else next();
  };
}

export function bearerAuth(accessToken: string): RequestHandler {
  return (req, res, next) => {
    const header = req.get('authorization') ?? '';
    if (header === `Bearer ${accessToken}`) return next();
    const message = header
      ? 'Authentication credentials not found. This API supports OAuth 2.0 authentication.'
      : 'Authentication credentials not found.';
    sendHubSpotError(res, 401, 'INVALID_AUTHENTICATION', message);
  };
}

const FAULT_CATEGORY: Record<number, string> = {
  400: 'VALIDATION_ERROR',
  401: 'INVALID_AUTHENTICATION',
  403: 'MISSING_SCOPES',
  404: 'OBJECT_NOT_FOUND',
  429: 'RATE_LIMITS',
};

/** Makes the next N API calls (to one endpoint, or any) answer a chosen status, in HubSpot's error shape. */
export class FaultInjector {
  private plan: FaultPlan | undefined;
  inject(plan: FaultPlan): void {
    this.plan = plan.count > 0 ? { ...plan } : undefined;
  }
  reset(): void {
    this.plan = undefined;
  }
  readonly middleware: RequestHandler = (req, res, next) => {
    const plan = this.plan;
    if (!plan) return next();
    if (plan.endpoint !== undefined && endpointKey(req.method, req.baseUrl + req.path) !== plan.endpoint) return next();
    plan.count -= 1;
    if (plan.count <= 0) this.plan = undefined;
    if (plan.retryAfterSeconds !== undefined) res.set('Retry-After', String(plan.retryAfterSeconds));
    if (plan.status === 429) {
      return void res.status(429).json(rateLimitBody());
    }
    sendHubSpotError(res, plan.status, FAULT_CATEGORY[plan.status] ?? 'INTERNAL_ERROR', `Injected fault ${plan.status}`);
  };
}

function rateLimitBody() {
  return {
    status: 'error',
    message: 'You have reached your ten_secondly_rolling limit.',
    errorType: 'RATE_LIMIT',
    correlationId: randomUUID(),
    policyName: HUBSPOT_LIMITS.rateLimitPolicies.tenSecondlyRolling,
    requestId: randomUUID(),
  };
}

/** Rolling-window limiter like HubSpot's TEN_SECONDLY_ROLLING policy; only accepted calls use the quota. */
export class RollingRateLimit {
  private hits: number[] = [];
  /** 429s this limiter served (injected faults not included). */
  refused = 0;
  private options: RateLimitOptions;
  private readonly now: () => number;
  constructor(options: RateLimitOptions, now: () => number) {
    this.options = options;
    this.now = now;
  }
  reset(): void {
    this.hits = [];
    this.refused = 0;
  }
  get limits(): RateLimitOptions {
    return { ...this.options };
  }
  /** A new limit starts from an empty window and a zero 429 count. */
  configure(options: RateLimitOptions): void {
    this.options = { ...options };
    this.reset();
  }
  readonly middleware: RequestHandler = (_req: Request, res: Response, next: NextFunction) => {
    const now = this.now();
    this.hits = this.hits.filter((at) => at > now - this.options.windowMs);
    res.set(HEADERS.intervalMs, String(this.options.windowMs));
    res.set(HEADERS.max, String(this.options.max));
    if (this.hits.length >= this.options.max) {
      const oldest = this.hits[0] ?? now;
      res.set(HEADERS.remaining, '0');
      this.refused += 1;
      // HubSpot does not promise Retry-After; the simulator sends it so clients can be tested both ways.
      res.set('Retry-After', String(Math.max(1, Math.ceil((oldest + this.options.windowMs - now) / 1000))));
      return void res.status(429).json(rateLimitBody());
    }
    this.hits.push(now);
    res.set(HEADERS.remaining, String(this.options.max - this.hits.length));
    next();
  };
}
