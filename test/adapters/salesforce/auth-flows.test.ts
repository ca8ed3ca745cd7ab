import { generateKeyPairSync } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createAlertSender } from '../../../src/adapters/alerts/alert-sender.ts';
import { createSalesforceAdapter } from '../../../src/adapters/salesforce/adapter.ts';
import type { SalesforceAuth } from '../../../src/adapters/salesforce/auth.ts';
import { type ApiBudgets, createApiBudgets } from '../../../src/budgets/api-budgets.ts';
import { waitingForOf } from '../../../src/budgets/budget-errors.ts';
import { DEFAULT_SHARES } from '../../../src/core/budget/priority.ts';
import { ProviderError } from '../../../src/errors.ts';
import { createLogger, silentLogger } from '../../../src/log.ts';
import { type SalesforceSimulator, startSalesforceSimulator } from '../../../src/simulators/salesforce/server.ts';
import type { Database } from '../../../src/store/database.ts';
import { alertReceiver } from '../../support/alert-receiver.ts';
import { useFreshDatabase } from '../../support/databases.ts';

const CREDS = { clientId: 'sim-client', clientSecret: 'sim-secret', refreshToken: 'sim-refresh' };
const USERNAME = 'integration@acme.example';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const FLOWS: [string, SalesforceAuth][] = [
  ['OAuth 2.0 Refresh Token Flow', { flow: 'refresh_token', ...CREDS }],
  [
    'OAuth 2.0 Client Credentials Flow for Server-to-Server Integration',
    { flow: 'client_credentials', clientId: CREDS.clientId, clientSecret: CREDS.clientSecret },
  ],
  [
    'OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration',
    { flow: 'jwt_bearer', clientId: CREDS.clientId, username: USERNAME, privateKey: keys.privateKey },
  ],
];

let sim: SalesforceSimulator;
let db: Database;
let receiver: Awaited<ReturnType<typeof alertReceiver>>;

beforeAll(async () => {
  sim = await startSalesforceSimulator({ ...CREDS, jwt: { publicKey: keys.publicKey, username: USERNAME } });
  receiver = await alertReceiver();
});
afterAll(async () => {
  await sim?.close();
  await receiver?.close();
});
useFreshDatabase((opened) => {
  db = opened;
});
beforeEach(async () => {
  sim.reset();
  receiver.received.length = 0;
  await db.exec('DELETE FROM api_call_counts; DELETE FROM api_reported_usage; DELETE FROM api_outages;');
});

function budgetsFor(): ApiBudgets {
  return createApiBudgets({
    db,
    logger: silentLogger(),
    hubspot: { burstLimit: 100, dailyLimit: 250_000, timezone: 'UTC', shares: DEFAULT_SHARES },
    salesforce: {
      allocation: undefined,
      allocationShares: DEFAULT_SHARES,
      orgShares: DEFAULT_SHARES,
      probeIntervalMs: 60_000,
      authRecheckMs: 60_000,
    },
    alerts: createAlertSender({ opsWebhookUrl: `${receiver.url}/ops` }, silentLogger()),
    metrics: { budgetRefused: () => {}, rateLimitWait: () => {}, authFailure: () => {} },
  });
}

/** Neither new flow gets an instance URL up front: the token answer names it. */
const adapterFor = (auth: SalesforceAuth, extra: Partial<Parameters<typeof createSalesforceAdapter>[0]> = {}) =>
  createSalesforceAdapter({
    loginUrl: sim.url,
    ...(auth.flow === 'refresh_token' ? { instanceUrl: sim.url } : {}),
    auth,
    apiVersion: '66.0',
    logger: silentLogger(),
    retryPolicy: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
    sleep: async () => {},
    ...extra,
  });

describe.each(FLOWS)('Salesforce login against the simulator over HTTP: %s', (_doc, auth) => {
  it('asks for a token with the grant at first use, then reuses it', async () => {
    const sf = adapterFor(auth);
    await sf.query('SELECT Id FROM Lead');
    await sf.query('SELECT Id FROM Lead');
    expect(sim.calls.token).toBe(1);
    expect(sim.calls.query).toBe(2);
  });

  it('after the access token expires (401 INVALID_SESSION_ID) asks again with the same grant, once, and the call succeeds', async () => {
    const sf = adapterFor(auth);
    await sf.query('SELECT Id FROM Lead');
    sim.expireAccessTokens();
    sim.createRecord('Lead', { LastName: 'Rep', Company: 'Acme' });
    expect(await sf.query('SELECT Id FROM Lead')).toHaveLength(1);
    expect(sim.calls.token).toBe(2);
  });

  it('a refused grant after a 401 is invalid_grant, never retried: a salesforce_auth outage with one operations alert', async () => {
    const budgets = budgetsFor();
    const sf = adapterFor(auth, { budget: budgets.salesforce, priority: 'handoff' });
    await sf.query('SELECT Id FROM Lead');
    sim.revokeRefreshToken();
    const error = await sf.query('SELECT Id FROM Lead').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: 'salesforce', code: 'invalid_grant', retryable: false });
    expect(waitingForOf(error)).toBe('salesforce_auth');
    expect(sim.calls.token).toBe(2);
    expect(await budgets.isBudgetAvailable('salesforce_auth')).toBe(false);
    // The outage refuses the next call before anything is sent: no further token request, still one alert.
    await expect(sf.query('SELECT Id FROM Lead')).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(sim.calls.token).toBe(2);
    expect(receiver.received.map((alert) => alert.event)).toEqual(['salesforce_auth_failed']);
  });
});

describe('what the token endpoint refuses, as documented', () => {
  it('client credentials without a run-as user: invalid_grant "no client credentials user enabled"', async () => {
    const noUser = await startSalesforceSimulator({ ...CREDS, clientCredentialsUser: false });
    try {
      const sf = createSalesforceAdapter({ loginUrl: noUser.url, auth: FLOWS[1]![1], apiVersion: '66.0', logger: silentLogger() });
      await expect(sf.query('SELECT Id FROM Lead')).rejects.toMatchObject({ code: 'invalid_grant', retryable: false });
    } finally {
      await noUser.close();
    }
  });

  it('a JWT signed by a key the app does not hold: invalid_grant, and JWT for a user not pre-authorized: invalid_grant', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const wrongKey = adapterFor({ flow: 'jwt_bearer', clientId: CREDS.clientId, username: USERNAME, privateKey: stranger });
    await expect(wrongKey.query('SELECT Id FROM Lead')).rejects.toMatchObject({ code: 'invalid_grant', retryable: false });
    const wrongUser = adapterFor({
      flow: 'jwt_bearer',
      clientId: CREDS.clientId,
      username: 'someone@else.example',
      privateKey: keys.privateKey,
    });
    await expect(wrongUser.query('SELECT Id FROM Lead')).rejects.toMatchObject({ code: 'invalid_grant' });
    const wrongApp = adapterFor({ flow: 'jwt_bearer', clientId: 'other-app', username: USERNAME, privateKey: keys.privateKey });
    await expect(wrongApp.query('SELECT Id FROM Lead')).rejects.toMatchObject({ code: 'invalid_client_id' });
  });

  it('no secret reaches the logs: client secret, private key, tokens or the signed assertion', async () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    const logger = createLogger('debug', stream);
    for (const [, auth] of FLOWS) {
      const sf = adapterFor(auth, { logger });
      await sf.query('SELECT Id FROM Lead');
      sim.expireAccessTokens();
      await sf.query('SELECT Id FROM Lead');
    }
    sim.revokeRefreshToken();
    await adapterFor(FLOWS[2]![1], { logger })
      .query('SELECT Id FROM Lead')
      .catch(() => undefined);
    const logs = chunks.join('');
    expect(logs).toContain('salesforce access token');
    for (const secret of [CREDS.clientSecret, CREDS.refreshToken, PEM.split('\n')[1]!, 'eyJhbGciOiJSUzI1NiJ9', '00DHs0000000Sim!']) {
      expect(logs).not.toContain(secret);
    }
  });
});
