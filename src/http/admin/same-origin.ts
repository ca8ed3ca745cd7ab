import type { Request } from 'express';
import { HttpError } from '../errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The checks a change made with the session cookie must pass, since the browser attaches the cookie to requests
 * other sites start: it must come from this site (its Origin, else its Referer, is the request's own origin or
 * PUBLIC_BASE_URL's; neither header is refused) and carry JSON, which a plain form or a simple cross-site fetch
 * cannot send. Requests with the bearer token carry no ambient credential and do not need these checks.
 */
export function sessionChangeProblem(req: Request, publicBaseUrl?: string): HttpError | undefined {
  if (SAFE_METHODS.has(req.method)) return undefined;
  // An Origin header, even "null" (a sandboxed frame, a privacy redirect), is the answer; Referer only stands in for none.
  const header = req.get('origin') ?? req.get('referer');
  if (header === undefined) {
    return new HttpError(
      403,
      'origin_required',
      'a change made with the session cookie needs an Origin or Referer header naming this site',
    );
  }
  const from = originOf(header);
  const allowed = [ownOrigin(req), originOf(publicBaseUrl)];
  if (from === undefined || !allowed.includes(from)) {
    return new HttpError(
      403,
      'cross_origin',
      `a change made with the session cookie must come from this site, not from ${from ?? 'an unknown origin'}`,
    );
  }
  const mediaType = (req.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    return new HttpError(415, 'json_required', 'a change made with the session cookie must send Content-Type: application/json');
  }
  return undefined;
}

/** scheme://host[:port] as this server sees the request (X-Forwarded-Proto and -Host count behind a trusted proxy). */
function ownOrigin(req: Request): string | undefined {
  return originOf(`${req.protocol}://${req.host}`);
}

/** The normalised origin of a URL; undefined for none, "null", or anything unparsable (never equal to ours). */
function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}
