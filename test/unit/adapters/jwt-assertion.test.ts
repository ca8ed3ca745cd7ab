import { generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ASSERTION_LIFETIME_SECONDS, jwtAudience, signJwtAssertion } from '../../../src/adapters/salesforce/jwt-assertion.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
const NOW = Date.parse('2026-03-02T10:00:00Z');
const decode = (part: string | undefined) => JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

describe('JWT assertion (Salesforce Help, "OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration")', () => {
  const assertion = signJwtAssertion({
    clientId: '3MVG9-consumer-key',
    username: 'integration@acme.example',
    audience: 'https://login.salesforce.com',
    key: privateKey,
    nowMs: NOW,
  });
  const [header, claims, signature] = assertion.split('.');

  it('has the header {"alg":"RS256"} and the claims iss, sub, aud and exp (seconds, within 3 minutes), base64url without padding', () => {
    expect(assertion.split('.')).toHaveLength(3);
    expect(assertion).not.toMatch(/[=+/]/);
    expect(decode(header)).toEqual({ alg: 'RS256' });
    expect(decode(claims)).toEqual({
      iss: '3MVG9-consumer-key',
      sub: 'integration@acme.example',
      aud: 'https://login.salesforce.com',
      exp: NOW / 1000 + ASSERTION_LIFETIME_SECONDS,
    });
    expect(ASSERTION_LIFETIME_SECONDS).toBeLessThanOrEqual(180);
  });

  it('is signed with RSA SHA-256 over "header.claims": the certificate\'s public key verifies it, another key does not', () => {
    const signed = Buffer.from(`${header}.${claims}`);
    const bytes = Buffer.from(signature ?? '', 'base64url');
    expect(verify('sha256', signed, publicKey, bytes)).toBe(true);
    expect(verify('sha256', signed, other, bytes)).toBe(false);
    expect(verify('sha256', Buffer.from(`${header}.${claims}x`), publicKey, bytes)).toBe(false);
  });

  it.each([
    ['https://login.salesforce.com', 'https://login.salesforce.com'],
    ['https://test.salesforce.com/', 'https://test.salesforce.com'],
    ['https://acme.my.salesforce.com', 'https://login.salesforce.com'],
    ['https://acme--uat.sandbox.my.salesforce.com', 'https://test.salesforce.com'],
    ['https://acme.my.site.com/customers/', 'https://acme.my.site.com/customers'],
    ['http://127.0.0.1:4321', 'http://127.0.0.1:4321'],
  ])('the audience for login URL %s is %s (production, sandbox, or an Experience Cloud site)', (loginUrl, audience) => {
    expect(jwtAudience(loginUrl)).toBe(audience);
  });
});
