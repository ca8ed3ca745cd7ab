import { verify } from 'node:crypto';
import type { SimContext } from './context.ts';
import type { OAuthRefusal } from './oauth-refusal.ts';

/** "OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration": exp may be up to 3 minutes past, for clock skew. */
const CLOCK_SKEW_MS = 3 * 60_000;
/** The production audience; a sandbox org would take https://test.salesforce.com instead. */
const PRODUCTION_AUDIENCE = 'https://login.salesforce.com';

function decodePart(part: string | undefined): Record<string, unknown> | undefined {
  if (!part) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks a JWT bearer assertion as the token endpoint does: an RS256 signature made by the key whose
 * certificate the app holds, iss = the consumer key, aud = an audience this org answers to (production's
 * https://login.salesforce.com, or its own URL as a My Domain / site), exp not past (3 minutes' grace),
 * sub = the pre-authorized user. Errors follow the documented standard OAuth error answers.
 */
export function checkAssertion(assertion: string | undefined, context: SimContext): OAuthRefusal | undefined {
  const invalid: OAuthRefusal = { error: 'invalid_grant', description: 'invalid assertion' };
  const jwt = context.settings.jwt;
  const parts = (assertion ?? '').split('.');
  const [headerPart, claimsPart, signaturePart] = parts;
  const header = decodePart(headerPart);
  const claims = decodePart(claimsPart);
  if (parts.length !== 3 || !header || !claims || !signaturePart || header.alg !== 'RS256' || !jwt) return invalid;
  const signed = verify('sha256', Buffer.from(`${headerPart}.${claimsPart}`), jwt.publicKey, Buffer.from(signaturePart, 'base64url'));
  if (!signed) return invalid;
  if (claims.iss !== context.settings.clientId) return { error: 'invalid_client_id', description: 'client identifier invalid' };
  if (claims.aud !== PRODUCTION_AUDIENCE && claims.aud !== context.baseUrl)
    return { error: 'invalid_grant', description: 'audience is invalid' };
  const exp = Number(claims.exp);
  if (!Number.isFinite(exp) || exp * 1000 + CLOCK_SKEW_MS < jwt.now())
    return { error: 'invalid_grant', description: 'expired authorization code' };
  if (claims.sub !== jwt.username) return { error: 'invalid_grant', description: "user hasn't approved this consumer" };
  return undefined;
}
