import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PgBoss } from 'pg-boss';
import { createHttpApp } from '../../src/http/app.ts';
import { hubspotWebhookRouter } from '../../src/http/webhooks/hubspot-webhook-route.ts';
import { createWebhookIngest } from '../../src/jobs/ingest-webhooks.ts';
import { createLogger } from '../../src/log.ts';
import type { Database } from '../../src/store/database.ts';
import { recentRejectedEvents } from '../../src/store/rejected-events.ts';
import { useFreshDatabase } from '../support/databases.ts';
import { listenOnLoopback } from '../support/http.ts';
import { postSignedWebhook } from '../support/signed-webhook.ts';

/**
 * One bad event must not sink its delivery. Before, a lone surrogate made PostgreSQL refuse the inbox insert
 * ("invalid input syntax for type json: Unicode low surrogate must follow a high surrogate", the rows travel as one
 * jsonb array) and 50,000 levels of nesting made JSON.stringify throw a RangeError: either way the whole signed
 * delivery answered 500, HubSpot retried it the same way, and its good events were lost with it.
 */
const SECRET = 'bad-events-secret';
const BASE = 'http://127.0.0.1';
const DEPTH = 50_000;

let nextEventId = 7_000;
function event(objectId: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  nextEventId += 1;
  return {
    eventId: nextEventId,
    subscriptionId: 5,
    portalId: 77,
    occurredAt: Date.now(),
    subscriptionType: 'contact.propertyChange',
    attemptNumber: 0,
    objectId,
    propertyName: 'jobtitle',
    propertyValue: 'Director',
    changeSource: 'CRM_UI',
    ...overrides,
  };
}

/** A body written by hand, as HubSpot's bytes would be: JSON.stringify could not write either bad event. */
function deliveryBody(parts: string[]): string {
  return `[${parts.join(',')}]`;
}

describe('a delivery holding events the inbox cannot store', () => {
  let db: Database;
  let server: { url: string; close: () => Promise<void> };
  const logLines: string[] = [];
  const queued: string[] = [];
  useFreshDatabase((opened) => {
    db = opened;
  });
  beforeAll(async () => {
    const boss = {
      insert: async (_queue: string, jobs: { data: { contactId: string } }[]) => void queued.push(...jobs.map((job) => job.data.contactId)),
    } as unknown as PgBoss;
    const logger = createLogger(
      'info',
      new Writable({ write: (chunk: Buffer, _encoding, done) => done(void logLines.push(chunk.toString('utf8'))) }),
    );
    const ingest = createWebhookIngest({ db, boss, logger, wake: () => undefined });
    server = await listenOnLoopback(
      createHttpApp({ logger, routers: [hubspotWebhookRouter({ clientSecret: SECRET, publicBaseUrl: BASE, ingest, logger })] }),
    );
  });
  afterAll(async () => server?.close());

  const deliver = (body: string) => postSignedWebhook<Record<string, any>>({ url: server.url, publicBaseUrl: BASE, secret: SECRET, body });

  const inboxObjects = async () =>
    (await db.query<{ objectId: string }>('SELECT object_id AS "objectId" FROM webhook_inbox ORDER BY object_id')).rows.map(
      (row) => row.objectId,
    );

  it('stores the good events and records a lone-surrogate event and a 50,000-deep event as rejected, with reasons', async () => {
    const surrogate = event(9002, { eventId: 8_001 });
    const deep = event(9003, { eventId: 8_002, propertyValue: 'Director' });
    const body = deliveryBody([
      JSON.stringify(event(9001)),
      // JSON's own escape for an unpaired high surrogate: valid JSON, refused by PostgreSQL's jsonb.
      JSON.stringify(surrogate).replace('"Director"', '"VP \\ud800 Sales"'),
      JSON.stringify(deep).replace('"changeSource"', `"nested":${'['.repeat(DEPTH)}${']'.repeat(DEPTH)},"changeSource"`),
      JSON.stringify(event(9004)),
    ]);
    const response = await deliver(body);
    expect(response).toEqual({ status: 200, json: { received: 4, stored: 2, duplicates: 0, rejected: 2 } });
    expect(await inboxObjects()).toEqual(['9001', '9004']);

    const rejected = await recentRejectedEvents(db);
    expect(rejected.map(({ id: _id, receivedAt, ...row }) => ({ ...row, recent: Date.now() - receivedAt.getTime() < 60_000 }))).toEqual(
      expect.arrayContaining([
        {
          source: 'hubspot',
          dedupeKey: 'hubspot:77:5:8001',
          eventId: '8001',
          subscriptionType: 'contact.propertyChange',
          objectId: '9002',
          reason: '[1]: text holds a lone UTF-16 surrogate (in propertyValue)',
          recent: true,
        },
        {
          source: 'hubspot',
          dedupeKey: 'hubspot:77:5:8002',
          eventId: '8002',
          subscriptionType: 'contact.propertyChange',
          objectId: '9003',
          reason: '[2]: nested deeper than 32 levels (in nested)',
          recent: true,
        },
      ]),
    );
    expect(rejected).toHaveLength(2);
    // The good contacts are queued; the refused ones are not.
    for (let waited = 0; queued.length < 2 && waited < 5_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(queued.sort()).toEqual(['9001', '9004']);
  });

  it('says in its log how many events were refused and why, without their values', () => {
    const line = logLines.find((text) => text.includes('webhook events rejected'));
    expect(line).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({
      level: 'warn',
      rejected: 2,
      events: [
        { eventId: '8001', reason: expect.stringContaining('surrogate') },
        { eventId: '8002', reason: expect.stringContaining('nested') },
      ],
    });
    expect(line).not.toContain('VP ');
  });

  it('refuses an event that is not an object, or whose ids are unreadable, with what can be read of it', async () => {
    const response = await deliver(
      JSON.stringify([42, event(9005, { eventId: 'x\u0000y', subscriptionType: 'contact.\u0000' }), event(9006)]),
    );
    expect(response).toEqual({ status: 200, json: { received: 3, stored: 1, duplicates: 0, rejected: 2 } });
    const [second, first] = await recentRejectedEvents(db, 2);
    expect(first).toMatchObject({
      dedupeKey: null,
      eventId: null,
      subscriptionType: null,
      objectId: null,
      reason: expect.stringMatching(/^\[0\]: /),
    });
    expect(second).toMatchObject({
      dedupeKey: null,
      eventId: null,
      subscriptionType: null,
      objectId: '9005',
      reason: expect.stringMatching(/^\[1\]\.eventId: .*; \[1\]\.subscriptionType: /),
    });
  });

  it('replaces U+0000 in the good events of a delivery that also holds a deep one (the whole body was walked recursively)', async () => {
    const deep = event(9011, { eventId: 8_011 });
    const body = deliveryBody([
      JSON.stringify(event(9010, { propertyValue: 'VP\u0000Sales' })),
      JSON.stringify(deep).replace('"changeSource"', `"nested":${'['.repeat(DEPTH)}${']'.repeat(DEPTH)},"changeSource"`),
    ]);
    expect(await deliver(body)).toEqual({ status: 200, json: { received: 2, stored: 1, duplicates: 0, rejected: 1 } });
    const stored = await db.query<{ value: string }>("SELECT property_value AS value FROM webhook_inbox WHERE object_id = '9010'");
    expect(stored.rows).toEqual([{ value: 'VP\uFFFDSales' }]);
  });

  it('still answers 400, storing nothing, for a body that is not an array of 1 to 100 events', async () => {
    const before = (await inboxObjects()).length;
    for (const body of [JSON.stringify(event(9100)), '[]', JSON.stringify(Array.from({ length: 101 }, (_, i) => event(9200 + i)))]) {
      const response = await deliver(body);
      expect(response.status).toBe(400);
      expect(response.json.error.code).toBe('invalid_webhook');
    }
    expect((await inboxObjects()).length).toBe(before);
  });
});
