import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signV3 } from '../../src/adapters/hubspot/signature.ts';
import type { HubSpotWebhookEvent } from '../../src/adapters/hubspot/webhook-event.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { hubspotWebhookRouter, signedUriOf } from '../../src/http/webhooks/hubspot-webhook-route.ts';
import { silentLogger } from '../../src/log.ts';
import type { HandoffStage } from '../../src/metrics/stage-metrics.ts';
import type { RejectedEventInput } from '../../src/store/rejected-events.ts';
import { listenOnLoopback } from '../support/http.ts';

const secret = 'route-secret';
const publicBaseUrl = 'https://handoff.example.com';
const received: HubSpotWebhookEvent[][] = [];
const refused: RejectedEventInput[][] = [];
const stages: { stage: HandoffStage; seconds: number; contacts: number | undefined }[] = [];
/** How long each ingest call took inside, from its first line to its answer. */
const ingestMs: number[] = [];
let server: { url: string; close: () => Promise<void> };

function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventId: 100,
    subscriptionId: 7,
    portalId: 42,
    appId: 9,
    occurredAt: Date.now(),
    subscriptionType: 'contact.creation',
    attemptNumber: 0,
    objectId: 501,
    changeSource: 'CRM_UI',
    ...overrides,
  };
}

async function post(body: string, options: { timestamp?: number; signature?: string | null; path?: string } = {}) {
  const path = options.path ?? '/webhooks/hubspot';
  const timestamp = String(options.timestamp ?? Date.now());
  const signature =
    options.signature === undefined
      ? signV3({ method: 'POST', uri: `${publicBaseUrl}${path}`, body, timestamp }, secret)
      : options.signature;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-hubspot-request-timestamp': timestamp };
  if (signature !== null) headers['x-hubspot-signature-v3'] = signature;
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers, body });
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}

beforeAll(async () => {
  const router = hubspotWebhookRouter({
    clientSecret: secret,
    publicBaseUrl,
    logger: silentLogger(),
    metrics: { stage: (stage, seconds, contacts) => void stages.push({ stage, seconds, contacts }) },
    ingest: async (events, rejected) => {
      const startedAt = performance.now();
      // One turn of the event loop, as a real inbox commit yields: the ingest stage must span it.
      await new Promise((resolve) => setImmediate(resolve));
      ingestMs.push(performance.now() - startedAt);
      received.push(events);
      refused.push(rejected);
      return { stored: events.length, duplicates: 0 };
    },
  });
  server = await listenOnLoopback(createHttpApp({ logger: silentLogger(), routers: [router] }));
});
afterAll(async () => server.close());

describe('POST /webhooks/hubspot', () => {
  it('accepts a signed batch and hands the parsed events to ingest', async () => {
    received.length = 0;
    const response = await post(JSON.stringify([event(), event({ eventId: 101, objectId: '502' })]));
    expect(response).toEqual({ status: 200, json: { received: 2, stored: 2, duplicates: 0, rejected: 0 } });
    expect(received).toHaveLength(1);
    expect(received[0]!.map((e) => e.objectId)).toEqual([501, '502']);
  });

  it.each([
    ['no signature', { signature: null }],
    ['a forged signature', { signature: 'Zm9yZ2Vk' }],
    ['a stale timestamp', { timestamp: Date.now() - 6 * 60 * 1000 }],
    ['a timestamp in the future', { timestamp: Date.now() + 2 * 60 * 1000 }],
  ])('answers 401 and ingests nothing for %s', async (_label, options) => {
    received.length = 0;
    const body = JSON.stringify([event()]);
    const signature =
      'timestamp' in options
        ? signV3({ method: 'POST', uri: `${publicBaseUrl}/webhooks/hubspot`, body, timestamp: String(options.timestamp) }, secret)
        : undefined;
    const response = await post(body, { ...options, ...(signature ? { signature } : {}) });
    expect(response.status).toBe(401);
    expect(response.json.error.code).toBe('invalid_signature');
    expect(received).toHaveLength(0);
  });

  it('stores the good events and refuses a malformed one on its own, its reason naming the path of each problem', async () => {
    received.length = 0;
    refused.length = 0;
    const response = await post(JSON.stringify([event(), event({ eventId: 102, objectId: 'abc', occurredAt: 'soon' })]));
    expect(response).toEqual({ status: 200, json: { received: 2, stored: 1, duplicates: 0, rejected: 1 } });
    expect(received).toEqual([[expect.objectContaining({ eventId: 100 })]]);
    expect(refused).toEqual([
      [
        {
          source: 'hubspot',
          dedupeKey: 'hubspot:42:7:102',
          eventId: '102',
          subscriptionType: 'contact.creation',
          objectId: null,
          reason: expect.stringMatching(/^\[1\]\.occurredAt: .+; \[1\]\.objectId: .+$/),
        },
      ],
    ]);
  });

  it('times the ingest stage of a delivery across its inbox write, once per accepted event (none for a refused delivery)', async () => {
    stages.length = 0;
    ingestMs.length = 0;
    expect((await post(JSON.stringify([event()]), { signature: 'Zm9yZ2Vk' })).status).toBe(401);
    expect(stages).toEqual([]);
    const response = await post(JSON.stringify([event(), event({ eventId: 103, objectId: 503 }), event({ eventId: 104, objectId: 'x' })]));
    expect(response.json).toMatchObject({ stored: 2, rejected: 1 });
    expect(stages).toEqual([{ stage: 'ingest', seconds: expect.any(Number), contacts: 2 }]);
    expect(stages[0]!.seconds * 1000).toBeGreaterThanOrEqual(ingestMs[0]!);
  });

  it('answers 400 for a body that is not JSON, not an array, an empty batch and an oversized batch', async () => {
    expect((await post('{not json')).json.error.code).toBe('invalid_json');
    const notArray = await post(JSON.stringify(event()));
    expect(notArray.status).toBe(400);
    expect(notArray.json.error.details).toEqual([{ path: '(body)', message: expect.stringMatching(/expected array/) }]);
    expect((await post('[]')).status).toBe(400);
    const many = JSON.stringify(Array.from({ length: 101 }, (_, i) => event({ eventId: i })));
    const response = await post(many);
    expect(response.status).toBe(400);
    expect(response.json.error.details[0].message).toMatch(/at most 100/);
  });

  it('signs over the query string as HubSpot sends it', async () => {
    received.length = 0;
    const response = await post(JSON.stringify([event()]), { path: '/webhooks/hubspot?portal=42' });
    expect(response.status).toBe(200);
    expect(signedUriOf('https://x.test/', '/a%3Ab?c=%2Fd%20e')).toBe('https://x.test/a:b?c=/d%20e');
  });
});
