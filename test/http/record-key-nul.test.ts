import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { adminApiRouter } from '../../src/http/admin/admin-api-router.ts';
import type { ParkedWorkPort } from '../../src/http/admin/parked-work.ts';
import { createRecordLookup } from '../../src/http/admin/record-lookup.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { silentLogger } from '../../src/log.ts';
import type { Database } from '../../src/store/database.ts';
import { useFreshDatabase } from '../support/databases.ts';
import { listenOnLoopback } from '../support/http.ts';
import { FakeConfigVersions } from './support/fake-config-versions.ts';

/**
 * `%00` in a record key reached PostgreSQL as U+0000, which text cannot hold ("invalid byte sequence for encoding
 * UTF8: 0x00"): the look-up failed as a whole and answered 500. It is the caller's mistake, named as such.
 */
const TOKEN = 'record-key-token-0123456789';
const noParked = {
  list: async () => [],
  retry: async () => false,
  retryAll: async () => ({ retried: [], failed: [] }),
} as unknown as ParkedWorkPort;

describe('GET /api/records/:key with a NUL byte in the key', () => {
  let db: Database;
  let server: { url: string; close: () => Promise<void> };
  useFreshDatabase((opened) => {
    db = opened;
  });
  beforeAll(async () => {
    const router = adminApiRouter({
      adminToken: TOKEN,
      configVersions: await FakeConfigVersions.seeded(),
      records: createRecordLookup(db),
      parked: noParked,
      logger: silentLogger(),
    });
    server = await listenOnLoopback(createHttpApp({ logger: silentLogger(), routers: [router] }));
  });
  afterAll(async () => server?.close());

  const lookUp = async (key: string) => {
    const response = await fetch(`${server.url}/api/records/${key}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    return { status: response.status, json: (await response.json()) as any };
  };

  it.each([
    ['a contact id', '123%00'],
    ['a Salesforce id', '00Q000000000001%00AAA'],
    ['an e-mail address', 'a%00b%40example.com'],
  ])('answers 400 naming the key for %s', async (_label, key) => {
    const response = await lookUp(key);
    expect(response.status).toBe(400);
    expect(response.json.error).toEqual({
      code: 'invalid_params',
      message: 'key must not contain a NUL character',
      details: [{ path: 'key', message: expect.stringContaining('U+0000') }],
    });
  });

  it('still answers 404 for a plain unknown key', async () => {
    expect((await lookUp('123')).status).toBe(404);
  });
});
