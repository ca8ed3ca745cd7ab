import { beforeAll, describe, expect, it } from '@jest/globals';
import { mqlEvaluationRecord } from '../../src/core/calibration/evaluation-record.ts';
import { qualifyMql } from '../../src/core/definitions/qualify-mql.ts';
import { appendHistory } from '../../src/store/history.ts';
import { recordMqlEvaluations } from '../../src/store/mql-evaluations.ts';
import { useConfigAdminServer } from '../support/config-admin-server.ts';
import { shippedFiles } from '../unit/core/helpers.ts';

const TOKEN = 'backtest-api-token';
const seed = shippedFiles();
/** The shipped definition with the SMB threshold lowered from 50 to 40. */
const draftFiles = {
  ...seed,
  'mql-definition.yaml': seed['mql-definition.yaml']!.replace('version: "2025.1"', 'version: "2025.2"').replace(
    'threshold: { total: 50, minFit: 15 }',
    'threshold: { total: 40, minFit: 15 }',
  ),
};

/**
 * Four contacts evaluated under the shipped (active) definition, all SMB (no company of 1,000+):
 * h1 fit 35 (VP 15, contact's software industry 15, Canada 5) + 2 pricing views 10 = 45: draft only; converted.
 * h2 the same + one webinar 8 = 53: both; won.  h3 fit 5 + 10 = 15 (below min fit): neither; open.
 * h4 demo requested (fast track): both; rejected as bad_fit.
 */
const PEOPLE: Record<string, Record<string, string>> = {
  h1: { jobtitle: 'VP Sales', industry: 'COMPUTER_SOFTWARE', country: 'Canada', pricing_page_views: '2' },
  h2: { jobtitle: 'VP Sales', industry: 'COMPUTER_SOFTWARE', country: 'Canada', pricing_page_views: '2', webinars_attended: '1' },
  h3: { jobtitle: 'Engineer', country: 'Canada', pricing_page_views: '2' },
  h4: { demo_requested: 'true' },
};

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
    const draft = await post('/api/config/versions', { files: draftFiles, comment: 'SMB threshold 40' });
    expect(draft.status).toBe(201);
    draftId = draft.json.id;
    const active = admin.holder.current().mql;
    const at = new Date('2026-02-10T09:00:00Z');
    await recordMqlEvaluations(
      admin.db,
      Object.entries(PEOPLE).map(([id, properties]) => {
        const contact = { id, properties: { email: `${id}@buyer.example`, ...properties } };
        return mqlEvaluationRecord(contact, qualifyMql(contact, active), active, at);
      }),
    );
    // Outside the period: not replayed.
    const late = { id: 'h9', properties: { demo_requested: 'true' } };
    await recordMqlEvaluations(admin.db, [mqlEvaluationRecord(late, qualifyMql(late, active), active, new Date('2026-03-05T00:00:00Z'))]);
    const onDay = (day: number) => new Date(Date.UTC(2026, 1, day));
    await appendHistory(admin.db, [
      { hubspotContactId: 'h1', action: 'converted', at: onDay(12) },
      { hubspotContactId: 'h2', action: 'converted', at: onDay(12) },
      { hubspotContactId: 'h2', action: 'opportunity_won' as never, at: onDay(20) },
      { hubspotContactId: 'h4', action: 'rejected', at: onDay(11), detail: { reasonCode: 'bad_fit' } },
    ]);
  });

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
