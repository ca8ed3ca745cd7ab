import { createPrivateKey, type KeyObject, sign } from 'node:crypto';

/**
 * The signed JWT of Salesforce's "OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration":
 * header `{"alg":"RS256"}` (the only algorithm Salesforce accepts), claims iss (the app's consumer key),
 * sub (the username the integration runs as), aud (the authorization server) and exp (seconds since the
 * epoch, at most 3 minutes ahead), each part base64url-encoded and the two joined by a dot, signed with
 * RSA SHA-256 by the private key whose certificate is uploaded to the External Client App.
 */
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Salesforce allows an assertion at most 3 minutes of life; we ask for less so clock skew stays harmless. */
export const ASSERTION_LIFETIME_SECONDS = 150;

export interface JwtClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
}

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An RSA private key from PEM text, or a reason it cannot be one (never the key itself). */
export function parsePrivateKey(pem: string): { key: KeyObject } | { problem: string } {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem.includes('\\n') ? pem.replaceAll('\\n', '\n') : pem, format: 'pem' });
  } catch {
    return { problem: 'is not a readable PEM private key (expected -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)' };
  }
  if (key.asymmetricKeyType !== 'rsa')
    return { problem: `must be an RSA key for RS256, got ${key.asymmetricKeyType ?? 'an unknown type'}` };
  return { key };
}

export function signJwtAssertion(input: { clientId: string; username: string; audience: string; key: KeyObject; nowMs: number }): string {
  const claims: JwtClaims = {
    iss: input.clientId,
    sub: input.username,
    aud: input.audience,
    exp: Math.floor(input.nowMs / 1000) + ASSERTION_LIFETIME_SECONDS,
  };
  const unsigned = `${encode({ alg: 'RS256' })}.${encode(claims)}`;
  const signature = sign('sha256', Buffer.from(unsigned), input.key).toString('base64url');
  return `${unsigned}.${signature}`;
}

const PRODUCTION = 'https://login.salesforce.com';
const SANDBOX = 'https://test.salesforce.com';

/**
 * The `aud` claim for a login URL. The JWT bearer flow documents three audiences: https://login.salesforce.com
 * (production), https://test.salesforce.com (sandboxes) and an Experience Cloud site's URL. A My Domain login
 * URL (`*.my.salesforce.com`, sandboxes `*.sandbox.my.salesforce.com`) keeps the audience of its kind of org;
 * any other host (a site, or a local simulator) is its own audience.
 */
export function jwtAudience(loginUrl: string): string {
  const url = new URL(loginUrl);
  const host = url.hostname.toLowerCase();
  if (host === 'test.salesforce.com' || host.endsWith('.sandbox.my.salesforce.com')) return SANDBOX;
  if (host === 'login.salesforce.com' || host.endsWith('.my.salesforce.com')) return PRODUCTION;
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
