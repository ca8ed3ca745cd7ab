import { beforeAll, describe, expect, it } from '@jest/globals';
import { lowerSmbThresholdFiles, seedFebruaryEvaluations } from '../support/backtest-seed.ts';
import { useConfigAdminServer } from '../support/config-admin-server.ts';
import { shippedFiles } from '../unit/core/helpers.ts';

const TOKEN = 'backtest-api-token';
const seed = shippedFiles();

describe('POST /api/config/versions/:id/backtest', () => {
  const admin = useConfigAdminServer(TOKEN);
  let draftId: string;

  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${admin.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as any };
  };

  beforeAll(async () => {
    const draft = await post('/api/config/versions', { files: lowerSmbThresholdFiles(), comment: 'SMB threshold 40' });
    expect(draft.status).toBe(201);
    draftId = draft.json.id;
    await seedFebruaryEvaluations(admin.db, admin.holder.current().mql);
  });

  // The people are described in seedFebruaryEvaluations.
  it('answers the comparison of the draft with the active definition over the period', async () => {
    const { status, json } = await post(`/api/config/versions/${draftId}/backtest`, { from: '2026-02-01', to: '2026-03-01' });
    expect(status).toBe(200);
    expect(json).toMatchObject({
      versionId: draftId,
      from: '2026-02-01T00:00:00.000Z',
      to: '2026-03-01T00:00:00.000Z',
      contacts: { evaluated: 4, replayed: 4, notReplayable: 0 },
      coverage: { notRecorded: [], domainOnly: [] },
      mql: { active: 2, draft: 3 },
      newlyQualifying: { count: 1, contacts: [{ contactId: 'h1', segmentId: 'smb', activeScore: 45, draftScore: 45, status: 'sql' }] },
      noLongerQualifying: { count: 0, contacts: [] },
    });
    expect(json.definitions.active).toMatch(/^2025\.1@/);
    expect(json.definitions.draft).toMatch(/^2025\.2@/);
    expect(json.groups.both).toMatchObject({
      contacts: 2,
      won: 1,
      rejected: 1,
      sqlRate: 0.5,
      winRate: 0.5,
      rejectionReasons: [{ reason: 'bad_fit', count: 1 }],
    });
    expect(json.groups.draftOnly).toMatchObject({ contacts: 1, sql: 1, sqlRate: 1, winRate: null });
    const smb = json.segments.find((s: { segmentId: string }) => s.segmentId === 'smb');
    expect(smb).toMatchObject({ contacts: 4, currentThreshold: 40 });
    expect(smb.thresholds.map((row: { threshold: number }) => row.threshold)).toEqual([0, 15, 40, 45, 53]);
    expect(json.rules.find((rule: { ruleId: string }) => rule.ruleId === 'demo-request')).toMatchObject({
      firedFor: { contacts: 1, mql: 1 },
    });
  });

  it('answers 404 for a version that does not exist', async () => {
    const missing = await post('/api/config/versions/999999/backtest', { from: '2026-02-01', to: '2026-03-01' });
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('not_found');
  });

  it.each([
    [{ from: '2026-03-01', to: '2026-02-01' }, ['to']],
    [{ from: 'yesterday', to: '2026-02-01' }, ['from']],
    [{ to: '2026-02-01' }, ['from']],
    [{ from: '2026-02-01', to: '2026-03-01', segment: 'smb' }, ['(body)']],
  ])('answers 400 naming the path for %j', async (body, paths) => {
    const { status, json } = await post(`/api/config/versions/${draftId}/backtest`, body);
    expect(status).toBe(400);
    expect(json.error.code).toBe('invalid_body');
    expect(json.error.details.map((d: { path: string }) => d.path)).toEqual(paths);
  });

  it('answers 400 naming the file when the version does not parse', async () => {
    const broken = await post('/api/config/versions', {
      files: { ...seed, 'mql-definition.yaml': 'version: 1\nfit: nope\n' },
      comment: 'broken',
    });
    expect(broken.status).toBe(201);
    const { status, json } = await post(`/api/config/versions/${broken.json.id}/backtest`, { from: '2026-02-01', to: '2026-03-01' });
    expect(status).toBe(400);
    expect(json.error.details.map((d: { file: string }) => d.file)).toContain('mql-definition.yaml');
  });
});
