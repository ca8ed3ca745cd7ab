import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createHubSpotAdapter } from '../../../src/adapters/hubspot/adapter.ts';
import { writeContactChanges } from '../../../src/adapters/hubspot/contact-writes.ts';
import { silentLogger } from '../../../src/log.ts';

const BASE = 'https://api.hubapi.com';
const UPDATE = '/crm/v3/objects/contacts/batch/update';
const JSON_HEADERS = { 'Content-Type': 'application/json' };

type Input = { id: string; properties: Record<string, string> };

function adapter() {
  return createHubSpotAdapter({
    accessToken: 'pat-test',
    baseUrl: BASE,
    logger: silentLogger(),
    retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
  });
}

function answer(inputs: Input[], errors?: unknown[]) {
  return {
    status: 'COMPLETE',
    results: inputs.map(({ id, properties }) => ({
      id,
      properties,
      createdAt: '2024-01-01T00:00:00Z',
      updatedAt: '2024-01-02T00:00:00Z',
      archived: false,
    })),
    startedAt: '2024-01-02T00:00:00Z',
    completedAt: '2024-01-02T00:00:01Z',
    ...(errors ? { errors, numErrors: errors.length } : {}),
  };
}

/**
 * Expects batch updates with exactly these inputs and records the order they arrive in.
 * (A reply function would read the body too, but function replies hang under this jest/nock setup.)
 */
function expectBatches(
  batches: Input[][],
  seen: Input[][],
  reply: (inputs: Input[]) => [number, unknown] = (inputs) => [200, answer(inputs)],
) {
  const scope = nock(BASE);
  for (const inputs of batches) {
    const [status, payload] = reply(inputs);
    scope.post(UPDATE, { inputs }).reply(status, payload as Record<string, unknown>, JSON_HEADERS);
  }
  scope.on('request', (_req: unknown, _interceptor: unknown, body: string) => seen.push((JSON.parse(body) as { inputs: Input[] }).inputs));
  return scope;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

describe('writeContactChanges', () => {
  it('sends forward moves in one batch, then clears backward stages, then sets them in a separate batch', async () => {
    const forward: Input[] = [
      { id: '1', properties: { hs_lead_status: 'OPEN', lifecyclestage: 'salesqualifiedlead' } },
      { id: '2', properties: { handoff_rejection_reason: 'bad_fit' } },
    ];
    const clear = [{ id: '3', properties: { lifecyclestage: '' } }];
    const set = [{ id: '3', properties: { handoff_rejection_reason: 'bad_timing', lifecyclestage: 'lead' } }];
    const seen: Input[][] = [];
    const scope = expectBatches([forward, clear, set], seen);

    const result = await writeContactChanges(adapter(), [
      { id: '1', properties: { hs_lead_status: 'OPEN' }, lifecyclestage: { value: 'salesqualifiedlead', backward: false } },
      { id: '2', properties: { handoff_rejection_reason: 'bad_fit' } },
      { id: '3', properties: { handoff_rejection_reason: 'bad_timing' }, lifecyclestage: { value: 'lead', backward: true } },
    ]);

    scope.done();
    expect(seen).toEqual([forward, clear, set]); // three requests, in this order
    expect(result).toEqual({ updated: ['1', '2', '3'], failed: [] });
  });

  it('clears every backward contact before setting any, across chunks of 100', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => String(i + 1));
    const clears = ids.map((id) => ({ id, properties: { lifecyclestage: '' } }));
    const sets = ids.map((id) => ({ id, properties: { lifecyclestage: 'lead' } }));
    const seen: Input[][] = [];
    const scope = expectBatches([clears.slice(0, 100), clears.slice(100), sets.slice(0, 100), sets.slice(100)], seen);

    const result = await writeContactChanges(
      adapter(),
      ids.map((id) => ({ id, properties: {}, lifecyclestage: { value: 'lead', backward: true } })),
    );

    scope.done();
    expect(seen.map((batch) => [batch.length, batch[0]!.properties.lifecyclestage])).toEqual([
      [100, ''],
      [50, ''],
      [100, 'lead'],
      [50, 'lead'],
    ]);
    expect(result.updated).toHaveLength(150);
  });

  it('does not set the stage of a contact whose clear failed, and says which step failed', async () => {
    const seen: Input[][] = [];
    const missing = {
      status: 'error',
      category: 'OBJECT_NOT_FOUND',
      message: 'Could not get some CONTACT objects',
      context: { ids: ['8'] },
    };
    const scope = expectBatches(
      [
        [
          { id: '7', properties: { lifecyclestage: '' } },
          { id: '8', properties: { lifecyclestage: '' } },
        ],
        [{ id: '7', properties: { lifecyclestage: 'lead' } }],
      ],
      seen,
      (inputs) => (inputs.length === 2 ? [207, answer(inputs.slice(0, 1), [missing])] : [200, answer(inputs)]),
    );

    const result = await writeContactChanges(adapter(), [
      { id: '7', properties: {}, lifecyclestage: { value: 'lead', backward: true } },
      { id: '8', properties: {}, lifecyclestage: { value: 'lead', backward: true } },
    ]);

    scope.done();
    expect(result.updated).toEqual(['7']);
    expect(result.failed).toEqual([
      { id: '8', status: 404, message: expect.stringMatching(/^clearing the lifecycle stage failed: OBJECT_NOT_FOUND/) },
    ]);
  });

  it('reports a contact left cleared when setting the earlier stage is refused', async () => {
    const seen: Input[][] = [];
    const scope = expectBatches(
      [[{ id: '9', properties: { lifecyclestage: '' } }], [{ id: '9', properties: { lifecyclestage: 'nonsense' } }]],
      seen,
      (inputs) =>
        inputs[0]!.properties.lifecyclestage === ''
          ? [200, answer(inputs)]
          : [
              400,
              { status: 'error', category: 'VALIDATION_ERROR', message: 'nonsense was not one of the allowed options', correlationId: 'c' },
            ],
    );

    const result = await writeContactChanges(adapter(), [
      { id: '9', properties: {}, lifecyclestage: { value: 'nonsense', backward: true } },
    ]);

    scope.done();
    expect(result.updated).toEqual([]);
    expect(result.failed).toEqual([
      {
        id: '9',
        status: 400,
        message: expect.stringMatching(/^lifecycle stage cleared, but setting the earlier stage failed: .*allowed options/),
      },
    ]);
  });

  it('merges repeated writes for one contact and sends nothing when there is nothing to write', async () => {
    const seen: Input[][] = [];
    const scope = expectBatches([[{ id: '1', properties: { a: '2', b: '1', lifecyclestage: 'opportunity' } }]], seen);

    const result = await writeContactChanges(adapter(), [
      { id: '1', properties: { a: '1', b: '1' } },
      { id: '2', properties: {} },
      { id: '1', properties: { a: '2', lifecyclestage: 'ignored' }, lifecyclestage: { value: 'opportunity', backward: false } },
    ]);

    scope.done();
    expect(seen).toHaveLength(1);
    expect(result).toEqual({ updated: ['1'], failed: [] });
  });
});
