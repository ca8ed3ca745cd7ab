import { describe, expect, it } from '@jest/globals';
import type { LoggedCall } from '../../../bench/support/call-log.ts';
import type { Bucket } from '../../../bench/support/histogram-quantile.ts';
import { stageFigures } from '../../../bench/support/stage-figures.ts';

const INF = Number.POSITIVE_INFINITY;
const hubspot = (at: number, endpoint: string): LoggedCall => ({ at, provider: 'hubspot', endpoint });
const salesforce = (at: number, endpoint: string): LoggedCall => ({ at, provider: 'salesforce', endpoint });

describe('stageFigures', () => {
  it('takes quantiles of what the phase added, and the providers’ latency per batch with parallel calls counted once', () => {
    const before = new Map<string, Bucket[]>([
      [
        'read',
        [
          { le: 0.05, count: 5 },
          { le: 0.1, count: 5 },
          { le: INF, count: 5 },
        ],
      ],
    ]);
    const after = new Map<string, Bucket[]>([
      [
        'read',
        [
          { le: 0.05, count: 5 },
          { le: 0.1, count: 9 },
          { le: INF, count: 9 },
        ],
      ],
      [
        'decide',
        [
          { le: 0.05, count: 4 },
          { le: 0.1, count: 4 },
          { le: INF, count: 4 },
        ],
      ],
    ]);
    const calls = [
      // Two batches: a read each, two Salesforce round trips one after the other, the write-back's two calls side by side.
      ...[0, 1_000].flatMap((t) => [
        hubspot(t, 'POST /crm/v3/objects/contacts/batch/read'),
        salesforce(t + 60, 'composite'),
        salesforce(t + 115, 'composite'),
        hubspot(t + 200, 'POST /crm/v3/objects/contacts/batch/update'),
        hubspot(t + 201, 'PUT /crm/v3/lists/{listId}/memberships/add'),
      ]),
      // The notify worker's owner notification is no stage's.
      salesforce(500, 'action'),
    ];
    const figures = new Map(stageFigures(before, after, calls, 50).map((figure) => [figure.stage, figure]));
    expect(figures.get('read')).toEqual({
      stage: 'read',
      count: 4,
      p50Ms: expect.closeTo(75, 6),
      p95Ms: expect.closeTo(97.5, 6),
      providerMsPerBatch: 50,
    });
    expect(figures.get('decide')).toMatchObject({ count: 4, p50Ms: expect.closeTo(25, 6), providerMsPerBatch: 0 });
    expect(figures.get('salesforce')).toMatchObject({ count: 0, p50Ms: Number.NaN, providerMsPerBatch: 100 });
    expect(figures.get('writeback')!.providerMsPerBatch).toBe(51);
    expect([...figures.keys()]).toEqual(['ingest', 'queue', 'read', 'decide', 'salesforce', 'writeback', 'commit']);
  });
});
