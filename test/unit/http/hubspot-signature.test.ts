import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { signV3, verifyV3 } from '../../../src/adapters/hubspot/signature.ts';

const secret = 'test-client-secret';
const now = 1_770_000_000_000;

/** Computed independently of signV3, from HubSpot's written recipe. */
function referenceSignature(method: string, uri: string, body: string, timestamp: string): string {
  return createHmac('sha256', secret)
    .update(method + uri + body + timestamp)
    .digest('base64');
}

describe('HubSpot v3 signature', () => {
  const request = { method: 'POST', uri: 'https://handoff.example.com/webhooks/hubspot', body: '[{"eventId":1}]', timestamp: String(now) };

  it('matches the documented recipe', () => {
    expect(signV3(request, secret)).toBe(referenceSignature(request.method, request.uri, request.body, request.timestamp));
  });

  it.each([
    ['a valid signature', { signature: referenceSignature('POST', request.uri, request.body, request.timestamp) }, now, true],
    ['a missing signature', { signature: undefined }, now, false],
    ['a signature from another secret', { signature: createHmac('sha256', 'other').update('x').digest('base64') }, now, false],
    ['a truncated signature', { signature: 'abc' }, now, false],
    ['a request older than five minutes', { signature: signV3(request, secret) }, now + 5 * 60 * 1000 + 1, false],
    ['a request just inside five minutes', { signature: signV3(request, secret) }, now + 5 * 60 * 1000 - 1, true],
    ['a request from the future', { signature: signV3(request, secret) }, now - 60 * 1000, false],
  ])('%s', (_label, extra, at, ok) => {
    expect(verifyV3({ ...request, ...extra }, secret, at).ok).toBe(ok);
  });

  it('refuses a body changed after signing', () => {
    const signature = signV3(request, secret);
    expect(verifyV3({ ...request, body: '[{"eventId":2}]', signature }, secret, now)).toEqual({
      ok: false,
      reason: 'signature does not match',
    });
  });

  it('refuses a malformed timestamp', () => {
    const check = verifyV3({ ...request, timestamp: 'yesterday', signature: signV3(request, secret) }, secret, now);
    expect(check.ok).toBe(false);
  });
});
