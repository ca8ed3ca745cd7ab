import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type SalesforceSimulator, startSalesforceSimulator } from '../../../src/simulators/salesforce/server.ts';

const CREDS = { clientId: 'sim-client', clientSecret: 'sim-secret', refreshToken: 'sim-refresh' };
const USERNAME = 'integration@acme.example';
const NOW = Date.parse('2026-03-02T10:00:00Z');
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

let sim: SalesforceSimulator;
beforeAll(async () => {
  sim = await startSalesforceSimulator({
    ...CREDS,
    jwt: { publicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(), username: USERNAME },
    now: () => NOW,
  });
});
afterAll(async () => {
  await sim?.close();
});

/** A JWT written out here, independently of the service's signer. */
function assertion(
  claims: Record<string, unknown>,
  key: KeyObject = keys.privateKey,
  header: Record<string, unknown> = { alg: 'RS256' },
): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part(header)}.${part({ iss: CREDS.clientId, sub: USERNAME, aud: sim.url, exp: NOW / 1000 + 120, ...claims })}`;
  return `${unsigned}.${sign('sha256', Buffer.from(unsigned), key).toString('base64url')}`;
}

async function token(form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${sim.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('simulated token endpoint (Salesforce Help: OAuth 2.0 Client Credentials Flow / JWT Bearer Flow for Server-to-Server Integration; OAuth 2.0 Authorization Errors)', () => {
  it.each([
    [
      'refresh_token',
      { grant_type: 'refresh_token', client_id: CREDS.clientId, client_secret: CREDS.clientSecret, refresh_token: CREDS.refreshToken },
    ],
    ['client_credentials', { grant_type: 'client_credentials', client_id: CREDS.clientId, client_secret: CREDS.clientSecret }],
  ])('grants %s with an access token, the instance URL and no refresh token', async (_grant, form) => {
    const { status, body } = await token(form);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      access_token: expect.any(String),
      instance_url: sim.url,
      token_type: 'Bearer',
      id: expect.stringContaining('/id/00D'),
    });
    expect(body.refresh_token).toBeUndefined();
  });

  it("grants the JWT bearer flow on a valid assertion alone (aud = login.salesforce.com or the org's own URL)", async () => {
    for (const aud of ['https://login.salesforce.com', sim.url]) {
      const { status, body } = await token({ grant_type: JWT_GRANT, assertion: assertion({ aud }) });
      expect(status).toBe(200);
      expect(body).toMatchObject({ access_token: expect.any(String), instance_url: sim.url, scope: 'api' });
    }
  });

  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  it.each<[string, () => Record<string, string>, { error: string; error_description: string }]>([
    [
      'a signature by another key',
      () => ({ grant_type: JWT_GRANT, assertion: assertion({}, stranger) }),
      { error: 'invalid_grant', error_description: 'invalid assertion' },
    ],
    [
      'an alg other than RS256',
      () => ({ grant_type: JWT_GRANT, assertion: assertion({}, keys.privateKey, { alg: 'HS256' }) }),
      { error: 'invalid_grant', error_description: 'invalid assertion' },
    ],
    ['no assertion', () => ({ grant_type: JWT_GRANT }), { error: 'invalid_grant', error_description: 'invalid assertion' }],
    [
      'another app as issuer',
      () => ({ grant_type: JWT_GRANT, assertion: assertion({ iss: 'other-app' }) }),
      { error: 'invalid_client_id', error_description: 'client identifier invalid' },
    ],
    [
      'a sandbox audience at a production org',
      () => ({ grant_type: JWT_GRANT, assertion: assertion({ aud: 'https://test.salesforce.com' }) }),
      { error: 'invalid_grant', error_description: 'audience is invalid' },
    ],
    [
      'exp more than 3 minutes past',
      () => ({ grant_type: JWT_GRANT, assertion: assertion({ exp: NOW / 1000 - 181 }) }),
      { error: 'invalid_grant', error_description: 'expired authorization code' },
    ],
    [
      'a user not pre-authorized',
      () => ({ grant_type: JWT_GRANT, assertion: assertion({ sub: 'someone@else.example' }) }),
      { error: 'invalid_grant', error_description: "user hasn't approved this consumer" },
    ],
    [
      'client credentials with a wrong secret',
      () => ({ grant_type: 'client_credentials', client_id: CREDS.clientId, client_secret: 'wrong' }),
      { error: 'invalid_client', error_description: 'invalid client credentials' },
    ],
    [
      'client credentials without a secret',
      () => ({ grant_type: 'client_credentials', client_id: CREDS.clientId }),
      { error: 'invalid_client', error_description: 'invalid client credentials' },
    ],
    [
      'an unknown grant type',
      () => ({ grant_type: 'password', client_id: CREDS.clientId }),
      { error: 'unsupported_grant_type', error_description: 'grant type not supported' },
    ],
  ])('refuses %s with 400 and the OAuth error body', async (_case, form, expected) => {
    const { status, body } = await token(form());
    expect(status).toBe(400);
    expect(body).toEqual(expected);
  });

  it('exp within the 3 minutes of clock skew is still accepted', async () => {
    expect((await token({ grant_type: JWT_GRANT, assertion: assertion({ exp: NOW / 1000 - 170 }) })).status).toBe(200);
  });
});

describe('simulated Versions resource (REST API Developer Guide, "List Available REST API Versions")', () => {
  it("lists label, url and version from 31.0 up to the org's current version, 66.0 (Spring '26) by default, without authentication", async () => {
    const res = await fetch(`${sim.url}/services/data/`);
    expect(res.status).toBe(200);
    const list = (await res.json()) as { label: string; url: string; version: string }[];
    expect(list[0]).toEqual({ label: "Summer '14", url: '/services/data/v31.0', version: '31.0' });
    expect(list.at(-3)).toEqual({ label: "Summer '25", url: '/services/data/v64.0', version: '64.0' });
    expect(list.at(-2)).toEqual({ label: "Winter '26", url: '/services/data/v65.0', version: '65.0' });
    expect(list.at(-1)).toEqual({ label: "Spring '26", url: '/services/data/v66.0', version: '66.0' });
    expect(list).toHaveLength(36);
  });
});
