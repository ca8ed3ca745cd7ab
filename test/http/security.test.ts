import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { adminApiRouter } from '../../src/http/admin/admin-api-router.ts';
import type { ParkedWorkPort } from '../../src/http/admin/parked-work.ts';
import type { RecordLookup } from '../../src/http/admin/record-lookup.ts';
import { adminPageRouter } from '../../src/http/admin-page/admin-page-router.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { REQUEST_BUDGETS } from '../../src/http/security.ts';
import { hubspotWebhookRouter } from '../../src/http/webhooks/hubspot-webhook-route.ts';
import { silentLogger } from '../../src/log.ts';
import { listenOnLoopback } from '../support/http.ts';
import { webhookSignature } from '../support/signed-webhook.ts';
import { FakeConfigVersions } from './support/fake-config-versions.ts';

const SECRET = 'fuzz-secret';
const TOKEN = 'fuzz-admin-token';
const BASE = 'https://handoff.example.com';
let ingested = 0;
let server: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  const logger = silentLogger();
  const noRecords: RecordLookup = { find: async () => undefined };
  const noParked: ParkedWorkPort = {
    list: async () => [],
    retry: async () => ({ status: 'not_found' as const }),
    retryAll: async () => ({ retried: [], failed: [] }),
  };
  const app = createHttpApp({
    logger,
    routers: [
      hubspotWebhookRouter({
        clientSecret: SECRET,
        publicBaseUrl: BASE,
        logger,
        ingest: async (events) => {
          ingested += events.length;
          return { stored: events.length, duplicates: 0 };
        },
      }),
      adminApiRouter({
        adminToken: TOKEN,
        configVersions: await FakeConfigVersions.seeded(),
        records: noRecords,
        parked: noParked,
        logger,
      }),
      adminPageRouter({ adminToken: TOKEN, logger }),
    ],
  });
  // Local proxies are trusted: the fuzzed admin requests speak as many clients with X-Forwarded-For.
  app.set('trust proxy', 'loopback');
  server = await listenOnLoopback(app);
});
afterAll(async () => server.close());

const sign = (body: string, timestamp: string) => webhookSignature({ publicBaseUrl: BASE, secret: SECRET, body, timestamp });

describe('doors facing the network', () => {
  it('sends security headers on every answer', async () => {
    const response = await fetch(`${server.url}/healthz-does-not-exist`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('answers garbage at the webhook with a 4xx and stores nothing, signed or not (fuzzed)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 400 }),
          fc.json({ maxDepth: 4 }),
          fc.array(fc.record({ eventId: fc.anything(), objectId: fc.anything() }), { maxLength: 5 }).map((v) => JSON.stringify(v)),
        ),
        fc.boolean(),
        fc.oneof(fc.constant(String(Date.now())), fc.string({ maxLength: 20 })),
        async (body, signed, timestamp) => {
          const before = ingested;
          const headers: Record<string, string> = { 'content-type': 'application/json', 'x-hubspot-request-timestamp': timestamp };
          headers['x-hubspot-signature-v3'] = signed ? sign(body, timestamp) : 'bm90IGEgc2lnbmF0dXJl';
          const response = await fetch(`${server.url}/webhooks/hubspot`, { method: 'POST', headers, body });
          const valid = response.status === 200;
          if (!valid) expect([400, 401, 413]).toContain(response.status);
          if (!valid) expect(ingested).toBe(before);
          expect((await response.json()) as object).toBeDefined();
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('refuses an oversized webhook body with 413', async () => {
    const body = JSON.stringify([{ pad: 'x'.repeat(1_100_000) }]);
    const timestamp = String(Date.now());
    const response = await fetch(`${server.url}/webhooks/hubspot`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hubspot-request-timestamp': timestamp,
        'x-hubspot-signature-v3': sign(body, timestamp),
      },
      body,
    });
    expect(response.status).toBe(413);
  });

  it('answers wrongly shaped admin requests with a 4xx, never a crash (fuzzed)', async () => {
    let client = 0;
    const paths = [
      '/api/config/versions',
      '/api/config/versions/1/validate',
      '/api/config/versions/1/dry-run',
      '/api/config/versions/1/backtest',
      '/api/config/versions/1/rollback',
      '/api/parked/abc/retry',
      '/api/parked/retry-all',
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.oneof(fc.json({ maxDepth: 3 }), fc.string({ maxLength: 200 })), async (path, body) => {
        // Each request speaks as another client behind the trusted loopback proxy: the API's per-client budget
        // (600 a minute) is tested on its own, this measures validation.
        client += 1;
        const forwarded = `10.8.${(client >> 8) & 255}.${client & 255}`;
        const response = await fetch(`${server.url}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'x-forwarded-for': forwarded },
          body,
        });
        expect(response.status).toBeLessThan(500);
        if (response.status >= 400) expect(((await response.json()) as { error: { code: string } }).error.code).toEqual(expect.any(String));
      }),
      { numRuns: 1_000 },
    );
  });

  it('spends the sign-in budget only on sign-ins: the page asking who is signed in is never refused for it', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < REQUEST_BUDGETS.adminSignIn.limit + 5; i += 1)
      statuses.push((await fetch(`${server.url}/admin/session`, { method: 'GET' })).status);
    expect(new Set(statuses)).toEqual(new Set([401]));
  });

  it('slows down guessing at the admin sign-in', async () => {
    const attempts = REQUEST_BUDGETS.adminSignIn.limit + 1;
    const statuses: number[] = [];
    for (let i = 0; i < attempts; i += 1) {
      const response = await fetch(`${server.url}/admin/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: `guess-${i}`, name: 'Guesser' }),
      });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, -1).every((status) => status === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});
