import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { PgBoss } from 'pg-boss';
import { createHttpApp } from '../../src/http/app.ts';
import { hubspotWebhookRouter } from '../../src/http/webhooks/hubspot-webhook-route.ts';
import { createWebhookIngest } from '../../src/jobs/ingest-webhooks.ts';
import { silentLogger } from '../../src/log.ts';
import type { Database } from '../../src/store/database.ts';
import { useFreshDatabase } from '../support/databases.ts';
import { listenOnLoopback } from '../support/http.ts';
import { postSignedWebhook } from '../support/signed-webhook.ts';

/**
 * The webhook door fuzzed against the real inbox: correctly signed deliveries whose events have fields of every
 * wrong type and size. Each answer is a 200 that stored exactly the new events, or a 4xx that stored nothing;
 * never a 5xx (which HubSpot would retry until it gives up), whatever the database makes of the values.
 */
const SECRET = 'fuzz-inbox-secret';
const BASE = 'http://127.0.0.1';

const idLike = fc.oneof(
  fc.nat(),
  fc.bigInt({ min: 0n, max: 10n ** 30n }).map(String),
  fc.string({ maxLength: 12 }),
  fc.constant(-1),
  fc.double(),
  fc.constant(null),
);
const text = fc.oneof(
  fc.string({ maxLength: 50 }),
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.constant('\u0000'),
  fc.constant('x'.repeat(70_000)),
  fc.integer(),
  fc.constant(null),
);
const wild = {
  eventId: idLike,
  subscriptionId: idLike,
  portalId: idLike,
  appId: idLike,
  occurredAt: fc.oneof(
    fc.integer({ min: 1, max: 2 ** 31 }),
    fc.double({ min: 1, max: 1e22 }),
    fc.constant(8.64e15 + 1),
    fc.constant(Number.MAX_SAFE_INTEGER),
    fc.string({ maxLength: 10 }),
  ),
  subscriptionType: fc.oneof(
    fc.constantFrom('contact.creation', 'contact.propertyChange', 'contact.deletion', 'object.propertyChange', 'company.creation'),
    fc.string({ maxLength: 30 }),
  ),
  attemptNumber: fc.oneof(fc.nat(5), fc.constant(-1), fc.string({ maxLength: 3 })),
  objectId: idLike,
  objectTypeId: fc.oneof(fc.constant('0-1'), fc.string({ maxLength: 8 })),
  propertyName: text,
  propertyValue: text,
  changeSource: text,
  sourceId: text,
  extra: fc.jsonValue({ maxDepth: 2 }),
};
type Field = keyof typeof wild;
const fields = Object.keys(wild) as Field[];

/** A genuine-looking event, then up to three of its fields replaced by anything at all (or left out). */
const eventArb = fc
  .record({
    eventId: fc.nat(),
    subscriptionId: fc.nat(1000),
    portalId: fc.constant(77),
    occurredAt: fc.constant(Date.now()),
    subscriptionType: fc.constantFrom('contact.creation', 'contact.propertyChange'),
    attemptNumber: fc.nat(3),
    objectId: fc.nat(10_000),
    propertyName: fc.constant('jobtitle'),
    propertyValue: fc.string({ maxLength: 20 }),
    changeSource: fc.constant('CRM_UI'),
  })
  .chain((event) =>
    fc.array(fc.constantFrom(...fields), { maxLength: 3 }).chain((picked) =>
      fc
        .tuple(
          ...picked.map((field) =>
            fc.option(wild[field] as fc.Arbitrary<unknown>, { nil: undefined }).map((value) => [field, value] as const),
          ),
        )
        .map((changes) => {
          const out: Record<string, unknown> = { ...event };
          for (const [field, value] of changes) {
            if (value === undefined) delete out[field];
            else out[field] = value;
          }
          return out;
        }),
    ),
  );

describe('the webhook door against the real inbox', () => {
  let db: Database;
  let server: { url: string; close: () => Promise<void> };
  useFreshDatabase((opened) => {
    db = opened;
  });
  beforeAll(async () => {
    const boss = { insert: async () => undefined } as unknown as PgBoss;
    const ingest = createWebhookIngest({ db, boss, logger: silentLogger(), wake: () => undefined });
    server = await listenOnLoopback(
      createHttpApp({
        logger: silentLogger(),
        routers: [hubspotWebhookRouter({ clientSecret: SECRET, publicBaseUrl: BASE, ingest, logger: silentLogger() })],
      }),
    );
  });
  afterAll(async () => server?.close());

  const stored = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_inbox')).rows[0]?.n ?? 0;

  it('stores exactly the accepted events and nothing else, and never answers 5xx (fuzzed, signed)', async () => {
    let client = 0;
    const answered: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(fc.array(eventArb, { minLength: 0, maxLength: 4 }), async (events) => {
        client += 1;
        const before = await stored();
        const body = JSON.stringify(events);
        const response = await postSignedWebhook<{
          stored?: number;
          duplicates?: number;
          rejected?: number;
          error?: { code: string; details?: { path: string }[] };
        }>({
          url: server.url,
          publicBaseUrl: BASE,
          secret: SECRET,
          body,
          // Each delivery comes from another client behind the trusted loopback proxy, so the per-client
          // request budget does not turn the fuzzing into a rate-limit test.
          headers: { 'x-forwarded-for': `10.7.${(client >> 8) & 255}.${client & 255}` },
        });
        answered[response.status] = (answered[response.status] ?? 0) + 1;
        const { json } = response;
        expect(response.status).toBeLessThan(500);
        if (response.status === 200) {
          expect((await stored()) - before).toBe(json.stored);
          // A malformed event is refused on its own (recorded as rejected); the rest of its delivery is stored.
          expect((json.stored ?? 0) + (json.duplicates ?? 0) + (json.rejected ?? 0)).toBe(events.length);
        } else {
          expect([400, 413]).toContain(response.status);
          expect(json.error?.code).toEqual(expect.any(String));
          expect(await stored()).toBe(before);
        }
      }),
      { numRuns: 1_000 },
    );
    process.stdout.write(`answers: ${JSON.stringify(answered)}\n`);
    expect(answered[200]).toBeGreaterThan(0);
    expect(answered[400]).toBeGreaterThan(0);
  }, 300_000);
});
