import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HubSpot webhook signature v3: base64(HMAC-SHA256(clientSecret, method + uri + body + timestamp)),
 * sent in X-HubSpot-Signature-v3 with the millisecond timestamp in X-HubSpot-Request-Timestamp.
 * HubSpot rejects its own requests older than five minutes; we apply the same window both ways.
 */
export const SIGNATURE_HEADER = 'x-hubspot-signature-v3';
export const TIMESTAMP_HEADER = 'x-hubspot-request-timestamp';
const MAX_SIGNATURE_AGE_MS = 5 * 60 * 1000;
/** A sender's clock may run slightly ahead of ours; anything further in the future is refused. */
const MAX_CLOCK_SKEW_MS = 30 * 1000;

export interface SignedRequest {
  method: string;
  uri: string;
  body: string | Buffer;
  timestamp: string;
}

export function signV3(request: SignedRequest, clientSecret: string): string {
  const body = typeof request.body === 'string' ? request.body : request.body.toString('utf8');
  return createHmac('sha256', clientSecret)
    .update(`${request.method.toUpperCase()}${request.uri}${body}${request.timestamp}`, 'utf8')
    .digest('base64');
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export function verifyV3(request: SignedRequest & { signature: string | undefined }, clientSecret: string, now: number): SignatureCheck {
  if (!request.signature) return { ok: false, reason: `missing ${SIGNATURE_HEADER} header` };
  if (!/^\d{10,16}$/.test(request.timestamp)) return { ok: false, reason: `missing or malformed ${TIMESTAMP_HEADER} header` };
  const age = now - Number(request.timestamp);
  if (age > MAX_SIGNATURE_AGE_MS) return { ok: false, reason: 'timestamp is older than five minutes' };
  if (age < -MAX_CLOCK_SKEW_MS) return { ok: false, reason: 'timestamp is in the future' };
  const expected = Buffer.from(signV3(request, clientSecret), 'utf8');
  const given = Buffer.from(request.signature, 'utf8');
  // Equal lengths first: timingSafeEqual throws otherwise, and length leaks nothing about the secret.
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'signature does not match' };
  }
  return { ok: true };
}
