import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../src/config/env.ts';
import { liveSystemsFromEnv } from '../../src/config/versions/live-systems.ts';
import { silentLogger } from '../../src/log.ts';
import { type SalesforceSimulator, startSalesforceSimulator } from '../../src/simulators/salesforce/server.ts';

const CREDS = { clientId: 'sim-client', clientSecret: 'sim-secret', refreshToken: 'sim-refresh' };
const USERNAME = 'integration@acme.example';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

let sim: SalesforceSimulator;
beforeAll(async () => {
  sim = await startSalesforceSimulator({ ...CREDS, jwt: { publicKey: keys.publicKey, username: USERNAME } });
});
afterAll(async () => {
  await sim?.close();
});

const systems = (salesforce: Record<string, string>) =>
  liveSystemsFromEnv(
    { HUBSPOT_ACCESS_TOKEN: 'pat', HUBSPOT_BASE_URL: 'http://127.0.0.1:9', SALESFORCE_LOGIN_URL: sim.url, ...salesforce },
    {
      logger: silentLogger(),
      leadExternalIdField: 'Handoff_HubSpot_Id__c',
      retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    },
  );

describe('validate --live logs in to Salesforce with the flow the environment chooses', () => {
  it.each([
    [
      'refresh token (OAuth 2.0 Refresh Token Flow)',
      {
        SALESFORCE_CLIENT_ID: CREDS.clientId,
        SALESFORCE_CLIENT_SECRET: CREDS.clientSecret,
        SALESFORCE_REFRESH_TOKEN: CREDS.refreshToken,
        SALESFORCE_INSTANCE_URL: 'http://127.0.0.1:9',
      },
    ],
    [
      'client credentials (OAuth 2.0 Client Credentials Flow for Server-to-Server Integration)',
      { SALESFORCE_CLIENT_ID: CREDS.clientId, SALESFORCE_CLIENT_SECRET: CREDS.clientSecret },
    ],
    [
      'JWT bearer (OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration)',
      { SALESFORCE_CLIENT_ID: CREDS.clientId, SALESFORCE_USERNAME: USERNAME, SALESFORCE_JWT_PRIVATE_KEY: PEM },
    ],
  ])('%s: the instance comes from the token answer and describe works', async (_flow, vars) => {
    const before = sim.calls.token ?? 0;
    const lead = await systems(vars).salesforce.describe('Lead');
    expect(lead.fields.map((field) => field.name)).toContain('Email');
    expect(sim.calls.token).toBe(before + 1);
  });

  it('names every Salesforce problem with the HubSpot one, as a ConfigError', () => {
    const attempt = () => liveSystemsFromEnv({ SALESFORCE_USERNAME: USERNAME }, { logger: silentLogger(), leadExternalIdField: 'X' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'HUBSPOT_ACCESS_TOKEN: required to validate against the live systems',
        'SALESFORCE_CLIENT_ID: required by the JWT bearer flow',
        'SALESFORCE_JWT_PRIVATE_KEY or SALESFORCE_JWT_PRIVATE_KEY_FILE: required by the JWT bearer flow',
      ]);
    }
  });
});
