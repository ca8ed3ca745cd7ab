import type { Request, RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';

/**
 * Per-client request budgets on the doors that face the network. HubSpot sends up to ten webhook requests at
 * once, each answered in milliseconds, so genuine deliveries can reach several hundred requests a second: the
 * webhook budget sits above that (refusing HubSpot would only delay its events by its retry schedule) and still
 * blunts a flood from one address before signatures are checked. The admin sign-in is tight against guessing, and
 * so are failed admin authentications (a wrong bearer token or an unknown session cookie), counted on their own so
 * the admin API's own budget, which successful requests draw on, stays generous.
 * Budgets are per process (a replica behind a load balancer gets its share): they guard against floods,
 * while provider API budgets, which must be shared, live elsewhere.
 */
export const REQUEST_BUDGETS = {
  webhooks: { windowMs: 60_000, limit: 60_000 },
  adminApi: { windowMs: 60_000, limit: 600 },
  adminSignIn: { windowMs: 60_000, limit: 10 },
  adminFailedAuth: { windowMs: 60_000, limit: 10 },
} as const;

function limiter(budget: { windowMs: number; limit: number }, code: string, counts?: (req: Request) => boolean): RequestHandler {
  return rateLimit({
    ...(counts ? { skip: (req: Request) => !counts(req) } : {}),
    windowMs: budget.windowMs,
    limit: budget.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => {
      res.status(429).json({ error: { code, message: `too many requests: at most ${budget.limit} per ${budget.windowMs / 1000} s` } });
    },
  });
}

/** Security headers on every answer (the admin page tightens its own content security policy further). */
export function securityHeaders(): RequestHandler {
  return helmet();
}

export function requestBudgets(): { path: string; handler: RequestHandler }[] {
  return [
    { path: '/webhooks', handler: limiter(REQUEST_BUDGETS.webhooks, 'rate_limited') },
    { path: '/api', handler: limiter(REQUEST_BUDGETS.adminApi, 'rate_limited') },
    // Only a sign-in spends the sign-in budget; the page asking who is signed in (GET) does not.
    { path: '/admin/session', handler: limiter(REQUEST_BUDGETS.adminSignIn, 'rate_limited', (req) => req.method === 'POST') },
  ];
}
