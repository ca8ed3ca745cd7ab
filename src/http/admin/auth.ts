import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { HttpError } from '../errors.ts';
import type { FailedAuthCounter } from './failed-auth.ts';
import { sessionChangeProblem } from './same-origin.ts';
import type { AdminSessions } from './sessions.ts';

/** The admin page's session cookie; the API accepts it as well as the bearer token. */
export const SESSION_COOKIE = 'handoff_admin';

export const ADMIN_DISABLED_MESSAGE = 'admin API disabled: set ADMIN_TOKEN';

/** Constant-time comparison: both sides are hashed first, so the lengths compared are always equal. */
export function tokensMatch(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** One cookie's value from the Cookie header (no dependency needed for a single name). */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0 || part.slice(0, index).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(index + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * The name the request's session was opened with, set by requireAdmin; undefined for the bearer token (whose
 * callers name themselves with X-Admin-Name).
 */
export function sessionNameOf(res: Response): string | undefined {
  const name: unknown = res.locals.adminSessionName;
  return typeof name === 'string' ? name : undefined;
}

function bearerOf(authorization: string): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
}

/** The client a failure is counted against: its address as Express sees it (behind a trusted proxy, the forwarded one). */
function clientOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

export interface RequireAdminOptions {
  adminToken: string | undefined;
  sessions: AdminSessions;
  failures: FailedAuthCounter;
  /** Told once per window when a client reaches the failure limit (for the log: someone may be guessing). */
  onBlocked?: (client: string) => void;
  /** Also accepted as the origin of a change made with the session cookie. */
  publicBaseUrl?: string;
  now: () => number;
}

/**
 * Every admin route: 503 while ADMIN_TOKEN is unset (the API is off, not open); 429 while the client has failed
 * too often; 401 unless the request carries the bearer token or a live session cookie. An Authorization header is
 * judged on its own (a wrong one is refused even beside a good cookie). Changes made with the cookie must also
 * pass the same-origin checks.
 */
export function requireAdmin(options: RequireAdminOptions): RequestHandler {
  const { adminToken, sessions, failures, now } = options;
  const failed = (req: Request, message: string) => {
    if (failures.fail(clientOf(req))) options.onBlocked?.(clientOf(req));
    return new HttpError(401, 'unauthorized', message);
  };
  async function problemOf(req: Request, res: Response, token: string): Promise<HttpError | undefined> {
    const authorization = req.get('authorization');
    if (authorization !== undefined) {
      const bearer = bearerOf(authorization);
      return bearer !== undefined && tokensMatch(bearer, token) ? undefined : failed(req, 'admin token rejected');
    }
    const session = readCookie(req, SESSION_COOKIE);
    if (session === undefined) return new HttpError(401, 'unauthorized', 'admin token required');
    const found = await sessions.find(session, token, now());
    if (!found) return failed(req, 'session ended or unknown: sign in again');
    res.locals.adminSessionName = found.name;
    return sessionChangeProblem(req, options.publicBaseUrl);
  }
  return async (req, res, next) => {
    if (!adminToken) return next(new HttpError(503, 'admin_disabled', ADMIN_DISABLED_MESSAGE));
    const retryAfterMs = failures.retryAfterMs(clientOf(req));
    if (retryAfterMs !== undefined) {
      res.set('Retry-After', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
      return next(new HttpError(429, 'auth_rate_limited', 'too many failed admin authentications from this client: try again later'));
    }
    const problem = await problemOf(req, res, adminToken);
    if (problem?.status === 401) res.set('WWW-Authenticate', 'Bearer realm="handoff-admin"');
    next(problem);
  };
}
