import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createHubSpotAdapter } from '../../../src/adapters/hubspot/adapter.ts';
import { createListIdResolver, MissingHubSpotListError } from '../../../src/adapters/hubspot/list-ids.ts';
import { ensureHubSpotSetup } from '../../../src/adapters/hubspot/setup.ts';
import { createLogger } from '../../../src/log.ts';

const BASE = 'https://api.hubapi.com';
const JSON_HEADERS = { 'Content-Type': 'application/json' };
const NOT_FOUND = {
  status: 'error',
  message: 'List with name Nurture does not exist.',
  correlationId: 'c-1',
  category: 'OBJECT_NOT_FOUND',
};
const created = { list: { listId: '9', name: 'Nurture', objectTypeId: '0-1', processingType: 'MANUAL', listVersion: 1, size: 0 } };

/** An adapter whose log lines are kept, parsed, for the test to read. */
function loggedAdapter() {
  const stream = new PassThrough();
  const lines: Record<string, unknown>[] = [];
  stream.on('data', (chunk: Buffer) =>
    lines.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    ),
  );
  const adapter = createHubSpotAdapter({
    accessToken: 'pat',
    baseUrl: BASE,
    logger: createLogger('debug', stream),
    retryPolicy: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
  });
  // Winston writes through the stream asynchronously; the lines are read once it has.
  const warnings = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return lines.filter((line) => line.level === 'warn');
  };
  return { adapter, warnings };
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
// nock patches Node's HTTP for the whole worker: later files in it must get it back untouched.
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

describe('a HubSpot list that does not exist', () => {
  it('is a warning naming the list when the mappings use it (live: the list is really missing), not a failed call', async () => {
    const scope = nock(BASE).get('/crm/v3/lists/object-type-id/0-1/name/Nurture').reply(404, NOT_FOUND, JSON_HEADERS);
    const { adapter, warnings } = loggedAdapter();
    await expect(createListIdResolver(adapter).resolve(['Nurture'])).rejects.toBeInstanceOf(MissingHubSpotListError);
    // Asked once: a 404 is an answer, not retried.
    scope.done();
    const warned = await warnings();
    expect(warned).toEqual([expect.objectContaining({ list: 'Nurture', message: expect.stringMatching(/no contact list/) })]);
  });

  it('is no warning when setup (as the sandbox runs it) is about to create it', async () => {
    const scope = nock(BASE)
      .get('/crm/v3/lists/object-type-id/0-1/name/Nurture')
      .reply(404, NOT_FOUND, JSON_HEADERS)
      .post('/crm/v3/lists', { name: 'Nurture', objectTypeId: '0-1', processingType: 'MANUAL' })
      .reply(200, created, JSON_HEADERS);
    const { adapter, warnings } = loggedAdapter();
    const report = await ensureHubSpotSetup(adapter, { properties: [], lists: ['Nurture'] });
    scope.done();
    expect(report.lists.created).toEqual([{ listId: '9', name: 'Nurture' }]);
    expect(await warnings()).toEqual([]);
  });
});
