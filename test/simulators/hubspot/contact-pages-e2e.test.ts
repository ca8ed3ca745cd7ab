import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createHubSpotAdapter } from '../../../src/adapters/hubspot/adapter.ts';
import { ProviderError } from '../../../src/errors.ts';
import { silentLogger } from '../../../src/log.ts';
import { type HubSpotSimulator, startHubSpotSimulator } from '../../../src/simulators/hubspot/server.ts';

const TOKEN = 'sim-token';
let sim: HubSpotSimulator;
const adapter = () =>
  createHubSpotAdapter({
    accessToken: TOKEN,
    baseUrl: sim.url,
    logger: silentLogger(),
    retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
  });

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  sim = await startHubSpotSimulator({ accessToken: TOKEN, rateLimit: { windowMs: 10_000, max: 1000 } });
  for (let i = 0; i < 250; i += 1) sim.createContact({ email: `p${i}@pages.example`, lifecyclestage: i % 2 === 0 ? 'lead' : 'subscriber' });
});
afterAll(async () => {
  await sim.close();
  nock.enableNetConnect();
  nock.restore(); // leave no interceptor on node's shared http/net modules for later files in this worker
});

describe('walking every contact through the simulated list endpoint', () => {
  it('pages 100 at a time in id order with the after cursor, and a contact created mid-walk is still reached', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await adapter().listContactsPage({ properties: ['email'], limit: 100, ...(after ? { after } : {}) });
      seen.push(...page.contacts.map((contact) => contact.id));
      expect(page.contacts.every((contact) => 'email' in contact.properties)).toBe(true);
      if (pages === 0) sim.createContact({ email: 'late@pages.example' });
      after = page.after;
      pages += 1;
    } while (after && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(251);
    expect(new Set(seen).size).toBe(251);
    expect(seen).toEqual([...seen].sort((a, b) => Number(a) - Number(b)));
  });

  it('refuses a page size above 100, as HubSpot does', async () => {
    const response = await fetch(`${sim.url}/crm/v3/objects/contacts?limit=101`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(400);
  });
});

describe('search caps and totals', () => {
  it('counts the contacts a filter matches', async () => {
    expect(await adapter().countContacts([{ filters: [{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'lead' }] }])).toBe(125);
  });

  it('refuses to page past 10,000 results of one query (400)', async () => {
    const attempt = adapter().searchContacts({ properties: ['email'], limit: 100, after: '9950' });
    await expect(attempt).rejects.toBeInstanceOf(ProviderError);
    await expect(attempt).rejects.toMatchObject({ status: 400 });
  });
});
