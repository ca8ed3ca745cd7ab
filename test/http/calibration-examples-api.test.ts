import { beforeAll, describe, expect, it } from '@jest/globals';
import type { CalibrationExamplesAnswer } from '../../src/config/versions/calibration-examples-schema.ts';
import { useConfigAdminServer } from '../support/config-admin-server.ts';
import { HOSTILE_LABEL, seedReviewExamples, UNKNOWN_VERSION } from '../support/review-seed.ts';

const TOKEN = 'calibration-examples-token';

describe('GET /api/calibration/examples', () => {
  const admin = useConfigAdminServer(TOKEN);
  let version: string;

  const get = async (query: string) => {
    const response = await fetch(`${admin.url}/api/calibration/examples?${query}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    return { status: response.status, body: (await response.json()) as CalibrationExamplesAnswer & { error?: { details: unknown } } };
  };
  const ids = (examples: { contactId: string }[]) => examples.map((e) => e.contactId);

  beforeAll(async () => {
    version = admin.holder.current().mql.version;
    await seedReviewExamples(admin.db, version);
  });

  // The contacts are described in seedReviewExamples.
  it('lists rejected high scorers highest first and accepted low scorers lowest first', async () => {
    const { status, body } = await get('from=2026-11-01&to=2026-12-01');
    expect(status).toBe(200);
    expect(body).toMatchObject({ from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z', limit: 10 });
    expect(ids(body.rejectedHighScorers)).toEqual(['r1', 'r2', 'r4']);
    expect(ids(body.acceptedLowScorers)).toEqual(['l1', 'l3', 'l2', 'l6']);
  });

  it('gives each example its verdict, threshold, breakdown without values, and outcome', async () => {
    const { body } = await get('from=2026-11-01&to=2026-12-01');
    const [r1, r2, r4] = body.rejectedHighScorers;
    expect(r1).toEqual({
      contactId: 'r1',
      evaluatedAt: '2026-11-05T09:00:00.000Z',
      definitionVersion: version,
      segmentId: 'smb',
      score: 80,
      threshold: 50,
      qualified: true,
      fastTrack: null,
      breakdown: [
        { ruleId: 'title', label: HOSTILE_LABEL, category: 'fit', points: 50 },
        { ruleId: 'size', label: 'Company size', category: 'fit', points: 30 },
      ],
      outcome: { status: 'rejected', at: '2026-11-07T09:00:00.000Z', reasonCode: 'bad_fit', reasonLabel: HOSTILE_LABEL },
    });
    expect(r2?.outcome).toEqual({ status: 'rejected', at: '2026-11-08T09:00:00.000Z', reasonCode: 'no_budget', reasonLabel: 'No budget' });
    expect(r4?.outcome).toMatchObject({ reasonCode: 'unspecified', reasonLabel: null });
    const [l1, l3, l2, l6] = body.acceptedLowScorers;
    expect(l1?.outcome).toEqual({ status: 'won', at: '2026-11-20T09:00:00.000Z', reasonCode: null, reasonLabel: null });
    expect(l3).toMatchObject({ qualified: true, fastTrack: 'demo-request', score: 20, threshold: 50 });
    expect(l3?.outcome).toMatchObject({ status: 'lost', at: '2026-11-22T09:00:00.000Z' });
    expect(l2?.outcome).toMatchObject({ status: 'sql', at: '2026-11-09T09:00:00.000Z' });
    expect(l6).toMatchObject({ definitionVersion: UNKNOWN_VERSION, threshold: null });
    // Personal data: no values read, no detail, no e-mail address.
    const text = JSON.stringify(body);
    expect(text).not.toContain('VP Sales');
    expect(text).not.toContain('.example');
    expect(text).not.toContain('detail');
  });

  it('keeps to the limit per list', async () => {
    const { body } = await get('from=2026-11-01&to=2026-12-01&limit=2');
    expect(ids(body.rejectedHighScorers)).toEqual(['r1', 'r2']);
    expect(ids(body.acceptedLowScorers)).toEqual(['l1', 'l3']);
    const none = await get('from=2025-01-01&to=2025-02-01&limit=100');
    expect(none.body).toMatchObject({ limit: 100, rejectedHighScorers: [], acceptedLowScorers: [] });
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['limit=2.5', 'limit'],
    ['to=2026-12-01', 'from'],
    ['from=2026-12-01&to=2026-11-01', 'to'],
    ['from=yesterday&to=2026-11-01', 'from'],
    ['from=2026-11-01&to=2026-12-01&segment=smb', '(body)'],
  ])('answers 400 naming the path for %s', async (query, path) => {
    const complete = query.includes('from=') || query.startsWith('to=') ? query : `from=2026-11-01&to=2026-12-01&${query}`;
    const { status, body } = await get(complete);
    expect(status).toBe(400);
    expect(body.error?.details).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
  });

  it('is in the OpenAPI document and needs the admin token', async () => {
    const doc = (await (await fetch(`${admin.url}/api/openapi.json`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as {
      paths: Record<string, { get?: { parameters?: { name: string }[] } }>;
    };
    expect(doc.paths['/api/calibration/examples']?.get?.parameters?.map((p) => p.name)).toEqual(['from', 'to', 'limit']);
    const anonymous = await fetch(`${admin.url}/api/calibration/examples?from=2026-11-01&to=2026-12-01`);
    expect(anonymous.status).toBe(401);
  });
});
