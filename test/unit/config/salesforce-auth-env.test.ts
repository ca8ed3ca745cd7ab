import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseEnv, runModeOf } from '../../../src/config/env.ts';
import { type SalesforceAuthVars, salesforceAuthFromEnv } from '../../../src/config/salesforce-auth-env.ts';
import { envProblemsOf } from '../../support/env-fixtures.ts';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const EC_PEM = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const MY_DOMAIN = 'https://acme.my.salesforce.com';
const LOGIN = 'https://login.salesforce.com';

let dir: string;
let keyFile: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sf-auth-env-'));
  keyFile = join(dir, 'server.key');
  await writeFile(keyFile, PEM);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const vars = (given: Partial<SalesforceAuthVars>): SalesforceAuthVars => ({ SALESFORCE_LOGIN_URL: LOGIN, ...given });
const refresh = {
  SALESFORCE_CLIENT_ID: 'cid',
  SALESFORCE_CLIENT_SECRET: 'cs',
  SALESFORCE_REFRESH_TOKEN: 'rt',
  SALESFORCE_INSTANCE_URL: MY_DOMAIN,
};
const clientCredentials = { SALESFORCE_CLIENT_ID: 'cid', SALESFORCE_CLIENT_SECRET: 'cs', SALESFORCE_LOGIN_URL: MY_DOMAIN };
const jwt = { SALESFORCE_CLIENT_ID: 'cid', SALESFORCE_USERNAME: 'integration@acme.example', SALESFORCE_JWT_PRIVATE_KEY: PEM };

describe('Salesforce login chosen by the variables set (Salesforce Help: OAuth 2.0 Refresh Token Flow, Client Credentials Flow and JWT Bearer Flow for Server-to-Server Integration)', () => {
  it.each([
    ['refresh token', refresh, 'refresh_token'],
    ['client credentials against the My Domain', clientCredentials, 'client_credentials'],
    ['client credentials with an instance URL as well', { ...clientCredentials, SALESFORCE_INSTANCE_URL: MY_DOMAIN }, 'client_credentials'],
    ['JWT bearer with an inline key', jwt, 'jwt_bearer'],
    [
      'JWT bearer with an inline key in one line (\\n escapes)',
      { ...jwt, SALESFORCE_JWT_PRIVATE_KEY: PEM.replaceAll('\n', '\\n') },
      'jwt_bearer',
    ],
  ])('%s', (_name, given, flow) => {
    const result = salesforceAuthFromEnv(vars(given));
    expect(result.problems).toEqual([]);
    expect(result.auth?.flow).toBe(flow);
  });

  it('JWT bearer reads the key from SALESFORCE_JWT_PRIVATE_KEY_FILE', () => {
    const { SALESFORCE_JWT_PRIVATE_KEY: _inline, ...rest } = jwt;
    expect(salesforceAuthFromEnv(vars({ ...rest, SALESFORCE_JWT_PRIVATE_KEY_FILE: keyFile })).auth?.flow).toBe('jwt_bearer');
  });

  it.each<[string, Partial<SalesforceAuthVars>, string[]]>([
    [
      'refresh token without its client secret and instance URL',
      { SALESFORCE_CLIENT_ID: 'cid', SALESFORCE_REFRESH_TOKEN: 'rt' },
      ['SALESFORCE_CLIENT_SECRET: required by the refresh-token flow', 'SALESFORCE_INSTANCE_URL: required by the refresh-token flow'],
    ],
    [
      'client credentials without the secret, at login.salesforce.com',
      { SALESFORCE_CLIENT_ID: 'cid' },
      [
        'SALESFORCE_CLIENT_SECRET: required by the client credentials flow',
        "SALESFORCE_LOGIN_URL: the client credentials flow needs the org's My Domain URL (https://MyDomainName.my.salesforce.com), not login.salesforce.com; for the refresh-token flow set SALESFORCE_REFRESH_TOKEN instead",
      ],
    ],
    [
      'client credentials at test.salesforce.com',
      { ...clientCredentials, SALESFORCE_LOGIN_URL: 'https://test.salesforce.com' },
      [
        "SALESFORCE_LOGIN_URL: the client credentials flow needs the org's My Domain URL (https://MyDomainName.my.salesforce.com), not test.salesforce.com; for the refresh-token flow set SALESFORCE_REFRESH_TOKEN instead",
      ],
    ],
    [
      'JWT bearer without client id, username or key',
      { SALESFORCE_JWT_PRIVATE_KEY_FILE: '/nonexistent/server.key' },
      [
        'SALESFORCE_CLIENT_ID: required by the JWT bearer flow',
        'SALESFORCE_USERNAME: required by the JWT bearer flow',
        'SALESFORCE_JWT_PRIVATE_KEY_FILE: cannot read /nonexistent/server.key (ENOENT)',
      ],
    ],
    [
      'JWT bearer with no key at all',
      { SALESFORCE_CLIENT_ID: 'cid', SALESFORCE_USERNAME: 'u@acme.example' },
      ['SALESFORCE_JWT_PRIVATE_KEY or SALESFORCE_JWT_PRIVATE_KEY_FILE: required by the JWT bearer flow'],
    ],
    [
      'JWT bearer with text that is no PEM key',
      { ...jwt, SALESFORCE_JWT_PRIVATE_KEY: 'not a key' },
      [
        'SALESFORCE_JWT_PRIVATE_KEY: is not a readable PEM private key (expected -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)',
      ],
    ],
    [
      'JWT bearer with an EC key (RS256 needs RSA)',
      { ...jwt, SALESFORCE_JWT_PRIVATE_KEY: EC_PEM },
      ['SALESFORCE_JWT_PRIVATE_KEY: must be an RSA key for RS256, got ec'],
    ],
  ])('names every missing piece of the chosen flow: %s', (_name, given, problems) => {
    expect(salesforceAuthFromEnv(vars(given))).toEqual({ problems });
  });

  it('refuses mixes of two flows instead of guessing, and says what each flow needs', () => {
    const both = salesforceAuthFromEnv(vars({ ...refresh, SALESFORCE_USERNAME: 'u@acme.example' }));
    expect(both.auth).toBeUndefined();
    expect(both.problems).toHaveLength(1);
    expect(both.problems[0]).toMatch(
      /^SALESFORCE_REFRESH_TOKEN, SALESFORCE_USERNAME: variables of two flows \(refresh token and JWT bearer\) are set; keep one/,
    );
    expect(both.problems[0]).toContain('client credentials (SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET, SALESFORCE_LOGIN_URL');
    expect(both.problems[0]).toContain(
      'JWT bearer (SALESFORCE_CLIENT_ID, SALESFORCE_USERNAME, SALESFORCE_JWT_PRIVATE_KEY or SALESFORCE_JWT_PRIVATE_KEY_FILE)',
    );

    const secretWithJwt = salesforceAuthFromEnv(vars({ ...jwt, SALESFORCE_CLIENT_SECRET: 'cs', SALESFORCE_JWT_PRIVATE_KEY_FILE: keyFile }));
    expect(secretWithJwt.problems).toEqual([
      'SALESFORCE_CLIENT_SECRET: not used by the JWT bearer flow; remove it or the JWT variables (SALESFORCE_USERNAME, SALESFORCE_JWT_PRIVATE_KEY…)',
      'SALESFORCE_JWT_PRIVATE_KEY, SALESFORCE_JWT_PRIVATE_KEY_FILE: set one of them, not both',
    ]);
  });

  it('parseEnv reports Salesforce problems together with every other one, schema problems included, and never falls back to the sandbox', () => {
    expect(
      envProblemsOf({
        HUBSPOT_ACCESS_TOKEN: 'pat',
        PORT: 'eighty',
        SALESFORCE_USERNAME: 'u@acme.example',
        SALESFORCE_JWT_PRIVATE_KEY: 'nope',
      }),
    ).toEqual([
      expect.stringMatching(/^PORT: /),
      'HUBSPOT_CLIENT_SECRET: required when any provider credential is set (live mode)',
      'SALESFORCE_CLIENT_ID: required by the JWT bearer flow',
      expect.stringMatching(/^SALESFORCE_JWT_PRIVATE_KEY: is not a readable PEM private key/),
      'PUBLIC_BASE_URL: required in live mode (HubSpot signs requests against it)',
    ]);
  });

  it('runs live with the JWT bearer flow, and the key never appears in a problem', () => {
    const env = parseEnv({
      PUBLIC_BASE_URL: 'https://handoff.example.com',
      HUBSPOT_ACCESS_TOKEN: 'pat',
      HUBSPOT_CLIENT_SECRET: 's',
      ...jwt,
    });
    expect(runModeOf(env).kind).toBe('live');
    const broken = salesforceAuthFromEnv(vars({ ...jwt, SALESFORCE_JWT_PRIVATE_KEY: PEM.slice(0, 200) }));
    expect(broken.problems.join('\n')).not.toContain(PEM.slice(40, 120));
  });
});
