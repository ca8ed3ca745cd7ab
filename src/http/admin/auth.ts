import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { HttpError } from '../errors.ts';

/** The admin page's session cookie; the API accepts it as well as the bearer token. */
export const SESSION_COOKIE = 'handoff_admin';
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
const SESSION_CONTEXT = 'handoff-admin-session-v1';

export const ADMIN_DISABLED_MESSAGE = 'admin API disabled: set ADMIN_TOKEN';

/** Constant-time comparison: both sides are hashed first, so the lengths compared are always equal. */
export function tokensMatch(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/**
 * A session is `${expiresAtMs}.${hmac}` keyed by the admin token: nothing is stored, every replica
 * sharing ADMIN_TOKEN accepts it, and rotating the token ends every session.
 */
export function issueSession(adminToken: string, nowMs: number): { value: string; expiresAt: number } {
  const expiresAt = nowMs + SESSION_TTL_MS;
  return { value: `${expiresAt}.${sessionMac(adminToken, expiresAt)}`, expiresAt };
}

export function sessionIsValid(value: string, adminToken: string, nowMs: number): boolean {
  const match = /^(\d{1,16})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!match) return false;
  const expiresAt = Number(match[1]);
  if (!(expiresAt > nowMs)) return false;
  // The text is compared, not the decoded bytes: base64url's last character carries 2 unused bits, so four
  // spellings decode alike and a decoded comparison would accept an altered cookie.
  const given = Buffer.from(match[2] ?? '', 'ascii');
  const expected = Buffer.from(sessionMac(adminToken, expiresAt), 'ascii');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function sessionMac(adminToken: string, expiresAt: number): string {
  return createHmac('sha256', adminToken).update(`${SESSION_CONTEXT}.${expiresAt}`).digest('base64url');
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

function bearerOf(req: Request): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return match?.[1];
}

/**
 * Every admin route: 503 while ADMIN_TOKEN is unset (the API is off, not open), 401 unless the
 * request carries the bearer token or a valid session cookie.
 */
export function requireAdmin(adminToken: string | undefined, now: () => number = Date.now): RequestHandler {
  return (req, res, next) => {
    if (!adminToken) return next(new HttpError(503, 'admin_disabled', ADMIN_DISABLED_MESSAGE));
    const bearer = bearerOf(req);
    if (bearer !== undefined && tokensMatch(bearer, adminToken)) return next();
    const session = readCookie(req, SESSION_COOKIE);
    if (bearer === undefined && session !== undefined && sessionIsValid(session, adminToken, now())) return next();
    res.set('WWW-Authenticate', 'Bearer realm="handoff-admin"');
    next(new HttpError(401, 'unauthorized', bearer === undefined ? 'admin token required' : 'admin token rejected'));
  };
}
