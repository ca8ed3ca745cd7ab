import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createHubSpotAdapter } from '../../../src/adapters/hubspot/adapter.ts';
import { forEachBounded, OWNER_LOOKUP_CONCURRENCY } from '../../../src/adapters/hubspot/owner-api.ts';
import { ProviderError } from '../../../src/errors.ts';
import { silentLogger } from '../../../src/log.ts';
import { countedPort } from '../../../src/metrics/counted-port.ts';

const BASE = 'https://api.hubapi.com';
const TOKEN = 'pat-test-token';
const JSON_HEADERS = { 'Content-Type': 'application/json' };

function adapter(waits: number[] = []) {
  return createHubSpotAdapter({
    accessToken: TOKEN,
    baseUrl: BASE,
    logger: silentLogger(),
    retryPolicy: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 1_000 },
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
}

/** An owner as "Retrieve an owner" answers it (HubSpot API reference, CRM Owners v3, GET /crm/v3/owners/{ownerId}). */
function owner(id: string, email: string | undefined, extra: Record<string, unknown> = {}) {
  return {
    id,
    ...(email === undefined ? {} : { email }),
    type: 'PERSON',
    firstName: 'Riley',
    lastName: 'Rep',
    userId: 9_586_504,
    userIdIncludingInactive: 9_586_504,
    createdAt: '2019-10-30T03:30:17.883Z',
    updatedAt: '2019-12-07T16:50:06.678Z',
    archived: false,
    teams: [{ id: '178588', name: 'West Coast Sales', primary: true }],
    ...extra,
  };
}

const notFound = { status: 'error', message: 'Owner not found', correlationId: 'c-1', category: 'OBJECT_NOT_FOUND' };

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

describe('ownerEmails (HubSpot Owners API v3, "Retrieve an owner": GET /crm/v3/owners/{ownerId}, scope crm.objects.owners.read)', () => {
  it('asks once per distinct owner id, by the owner id and without query; 404 and an owner without e-mail are absent', async () => {
    const scope = nock(BASE)
      .matchHeader('authorization', `Bearer ${TOKEN}`)
      .get('/crm/v3/owners/70001')
      .reply(200, owner('70001', 'riley.rep@sales.example'), JSON_HEADERS)
      .get('/crm/v3/owners/70002')
      .reply(200, owner('70002', ' sam.seller@sales.example '), JSON_HEADERS)
      .get('/crm/v3/owners/404404')
      .reply(404, notFound, JSON_HEADERS)
      // A queue owner has no e-mail (the reference marks `email` optional; `type` is PERSON or QUEUE).
      .get('/crm/v3/owners/70003')
      .reply(200, owner('70003', undefined, { type: 'QUEUE', userId: undefined }), JSON_HEADERS);

    const emails = await adapter().ownerEmails(['70002', '70001', '404404', '70001', '70003', '70002']);

    expect([...emails]).toEqual([
      ['70002', 'sam.seller@sales.example'],
      ['70001', 'riley.rep@sales.example'],
    ]);
    scope.done();
  });

  it.each([
    ['letters', 'abc'],
    ['nothing in it', ''],
    ['a leading zero', '07001'],
    ['a sign', '-7001'],
    ['a path', '70001/../contacts'],
    ['spaces', ' 70001'],
    ['too many digits to be exact as a number', '1234567890123456'],
  ])('an id with %s is absent without a call', async (_what, id) => {
    // disableNetConnect and no interceptor: any request would fail the call.
    await expect(adapter().ownerEmails([id])).resolves.toEqual(new Map());
  });

  it('asks nothing for no ids', async () => {
    await expect(adapter().ownerEmails([])).resolves.toEqual(new Map());
  });

  it('retries a 503 through the one door, then answers', async () => {
    const waits: number[] = [];
    const scope = nock(BASE)
      .get('/crm/v3/owners/70001')
      .reply(503, { status: 'error', message: 'Service unavailable', category: 'INTERNAL_ERROR' }, JSON_HEADERS)
      .get('/crm/v3/owners/70001')
      .reply(200, owner('70001', 'riley.rep@sales.example'), JSON_HEADERS);
    expect(await adapter(waits).ownerEmails(['70001'])).toEqual(new Map([['70001', 'riley.rep@sales.example']]));
    expect(waits).toHaveLength(1);
    scope.done();
  });

  it('a missing scope (403) is a permanent ProviderError, not an absent owner', async () => {
    const scope = nock(BASE)
      .get('/crm/v3/owners/70001')
      .reply(
        403,
        { status: 'error', message: 'This app hasn\u2019t been granted all required scopes', category: 'MISSING_SCOPES' },
        JSON_HEADERS,
      );
    const failure = await adapter()
      .ownerEmails(['70001'])
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderError);
    expect(failure).toMatchObject({ provider: 'hubspot', status: 403, retryable: false, code: 'MISSING_SCOPES' });
    expect((failure as Error).message).toMatch(/^HubSpot owners\.getById failed with 403 MISSING_SCOPES/);
    scope.done();
  });

  it('an answer without the documented id is a permanent ProviderError naming the field, not an absent owner', async () => {
    const scope = nock(BASE).get('/crm/v3/owners/70001').reply(200, { email: 'riley.rep@sales.example' }, JSON_HEADERS);
    const failure = await adapter()
      .ownerEmails(['70001'])
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderError);
    expect(failure).toMatchObject({ retryable: false, message: expect.stringContaining('(id)') });
    scope.done();
  });

  it(`has at most ${OWNER_LOOKUP_CONCURRENCY} lookups in flight, and uses that many`, async () => {
    const ids = Array.from({ length: 12 }, (_, i) => String(70_001 + i));
    let inFlight = 0;
    let most = 0;
    const scope = nock(BASE)
      .get(/^\/crm\/v3\/owners\/700\d\d$/)
      .times(ids.length)
      .reply(async (request: Request) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        // Let the other requests already sent arrive before this one is answered.
        await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
        const id = new URL(request.url).pathname.split('/').pop() as string;
        return [200, owner(id, `owner-${id}@sales.example`), JSON_HEADERS];
      });
    const emails = await adapter().ownerEmails(ids);
    expect([...emails.keys()]).toEqual(ids);
    expect(most).toBeLessThanOrEqual(OWNER_LOOKUP_CONCURRENCY);
    expect(most).toBeGreaterThan(1);
    scope.done();
  });
});

describe('ownerEmails in the API call metrics', () => {
  it('counts one hubspot ownerEmails operation however many owners it asks about', async () => {
    const scope = nock(BASE)
      .get('/crm/v3/owners/70001')
      .reply(200, owner('70001', 'riley.rep@sales.example'), JSON_HEADERS)
      .get('/crm/v3/owners/70002')
      .reply(404, notFound, JSON_HEADERS);
    const counted: [string, string][] = [];
    const port = countedPort(adapter(), 'hubspot', { apiCall: (provider, operation) => counted.push([provider, operation]) });
    await port.ownerEmails(['70001', '70002']);
    expect(counted).toEqual([['hubspot', 'ownerEmails']]);
    scope.done();
  });
});

describe('forEachBounded', () => {
  function controlled() {
    const started: number[] = [];
    const finish = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
    const work = (item: number) =>
      new Promise<void>((resolve, reject) => {
        started.push(item);
        finish.set(item, { resolve, reject });
      });
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    return { started, finish, work, settle };
  }

  it('starts `limit` items at once and one more each time one ends', async () => {
    const { started, finish, work, settle } = controlled();
    const done = forEachBounded([1, 2, 3, 4], 2, work);
    expect(started).toEqual([1, 2]);
    finish.get(2)?.resolve();
    await settle();
    expect(started).toEqual([1, 2, 3]);
    for (const item of [1, 3]) finish.get(item)?.resolve();
    await settle();
    expect(started).toEqual([1, 2, 3, 4]);
    finish.get(4)?.resolve();
    await expect(done).resolves.toBeUndefined();
  });

  it('starts nothing new after a failure, waits for the rest in flight, then throws the first error', async () => {
    const { started, finish, work, settle } = controlled();
    let settled = false;
    const done = forEachBounded([1, 2, 3, 4], 2, work).finally(() => {
      settled = true;
    });
    done.catch(() => {});
    finish.get(1)?.reject(new Error('first'));
    await settle();
    expect(started).toEqual([1, 2]);
    expect(settled).toBe(false);
    finish.get(2)?.reject(new Error('second'));
    await expect(done).rejects.toThrow('first');
    expect(started).toEqual([1, 2]);
  });
});
