import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PgBoss } from 'pg-boss';
import { createHttpApp } from '../../src/http/app.ts';
import { hubspotWebhookRouter } from '../../src/http/webhooks/hubspot-webhook-route.ts';
import { createWebhookIngest } from '../../src/jobs/ingest-webhooks.ts';
import { silentLogger } from '../../src/log.ts';
import type { Database } from '../../src/store/database.ts';
import { pendingEvents } from '../../src/store/inbox.ts';
import { useFreshDatabase } from '../support/databases.ts';
import { listenOnLoopback } from '../support/http.ts';
import { postSignedWebhook } from '../support/signed-webhook.ts';

/**
 * Text the database cannot hold (U+0000 in jsonb or text) must not turn a genuine HubSpot delivery into a 500
 * that HubSpot retries until it gives up: the event is stored, with the character replaced.
 */
const SECRET = 'nul-secret';
const BASE = 'http://127.0.0.1';

describe('webhook text the database cannot store', () => {
  let db: Database;
  let server: { url: string; close: () => Promise<void> };
  const queued: string[] = [];
  useFreshDatabase((opened) => {
    db = opened;
  });
  beforeAll(async () => {
    const boss = {
      insert: async (_queue: string, jobs: { data: { contactId: string } }[]) => void queued.push(...jobs.map((job) => job.data.contactId)),
    } as unknown as PgBoss;
    const ingest = createWebhookIngest({ db, boss, logger: silentLogger(), wake: () => undefined });
    server = await listenOnLoopback(
      createHttpApp({
        logger: silentLogger(),
        routers: [hubspotWebhookRouter({ clientSecret: SECRET, publicBaseUrl: BASE, ingest, logger: silentLogger() })],
      }),
    );
  });
  afterAll(async () => server?.close());

  it('stores an event whose values and unknown fields hold U+0000, replaced by U+FFFD', async () => {
    const event = {
      eventId: 901,
      subscriptionId: 3,
      portalId: 77,
      occurredAt: Date.now(),
      subscriptionType: 'contact.propertyChange',
      objectId: 4242,
      propertyName: 'jobtitle',
      propertyValue: 'VP\u0000Sales',
      changeSource: 'CRM_UI',
      extra: { 'k\u0000': ['a\u0000'] },
    };
    const body = JSON.stringify([event]);
    const response = await postSignedWebhook({ url: server.url, publicBaseUrl: BASE, secret: SECRET, body });
    expect(response.status).toBe(200);
    const [stored] = await pendingEvents(db, ['4242']);
    expect(stored?.propertyValue).toBe('VP\uFFFDSales');
    expect((stored!.payload as { extra: unknown }).extra).toEqual({ 'k\uFFFD': ['a\uFFFD'] });
    // Queueing follows the acknowledgement (the inbox row is what makes it durable).
    for (let waited = 0; queued.length === 0 && waited < 5_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(queued).toEqual(['4242']);
  });
});
