import { describe, expect, it } from '@jest/globals';
import type { MqlEvaluationRecord } from '../../src/core/calibration/evaluation-record.ts';
import { purgePersonalData } from '../../src/jobs/privacy/purge-personal-data.ts';
import { silentLogger } from '../../src/log.ts';
import { contactOutcomes } from '../../src/store/contact-outcomes.ts';
import type { Database } from '../../src/store/database.ts';
import { appendHistory, type HistoryEntryInput } from '../../src/store/history.ts';
import { evaluationsByIds, evaluationsForContact, latestEvaluationIds, recordMqlEvaluations } from '../../src/store/mql-evaluations.ts';
import { eraseContactData } from '../../src/store/personal-data.ts';
import { useFreshDatabase } from '../support/databases.ts';

const DAY = 86_400_000;

function evaluation(contactId: string, at: string, over: Partial<MqlEvaluationRecord> = {}): MqlEvaluationRecord {
  return {
    contactId,
    evaluatedAt: new Date(at),
    definitionVersion: '2025.1@abc1234',
    segmentId: 'smb',
    score: 42.5,
    qualified: true,
    fastTrack: null,
    breakdown: [{ ruleId: 'title', label: 'Decision-maker job title', category: 'fit', points: 15, detail: 'jobtitle = Chief Pilot' }],
    source: 'PAID_SEARCH',
    values: { jobtitle: 'Chief Pilot', numemployees: null },
    emailDomains: { email: 'air.example' },
    ...over,
  };
}

describe('MQL evaluations kept for backtests', () => {
  let db: Database;
  useFreshDatabase((opened) => {
    db = opened;
  });

  it('writes a batch in one statement and reads it back as recorded', async () => {
    const records = [evaluation('101', '2026-01-10T10:00:00Z'), evaluation('102', '2026-01-10T10:00:00Z', { qualified: false, score: 3 })];
    expect(await recordMqlEvaluations(db, records)).toBe(2);
    expect(await evaluationsForContact(db, '101')).toEqual([{ ...records[0], purged: false }]);
  });

  it("finds each contact's latest evaluation in the period, and reads those rows by id", async () => {
    await recordMqlEvaluations(db, [
      evaluation('201', '2026-02-01T00:00:00Z', { score: 1 }),
      evaluation('201', '2026-02-15T00:00:00Z', { score: 2 }),
      // After the period: not the one replayed.
      evaluation('201', '2026-03-01T00:00:00Z', { score: 3 }),
      evaluation('202', '2026-02-20T00:00:00Z', { score: 4 }),
      // Before the period: contact 203 was not evaluated in it.
      evaluation('203', '2026-01-31T23:59:59Z', { score: 5 }),
      evaluation('204', '2026-02-28T23:59:59Z', { score: 6 }),
    ]);
    const period = { from: new Date('2026-02-01T00:00:00Z'), to: new Date('2026-03-01T00:00:00Z') };
    const ids = await latestEvaluationIds(db, period, 10);
    expect(await latestEvaluationIds(db, period, 2)).toHaveLength(2);
    const evaluations = await evaluationsByIds(db, ids);
    expect(ids).toHaveLength(3);
    const byContact = new Map(evaluations.map((e) => [e.contactId, e]));
    expect(evaluations.map((e) => [e.contactId, e.score]).sort()).toEqual([
      ['201', 2],
      ['202', 4],
      ['204', 6],
    ]);
    expect(byContact.get('204')).toEqual({
      contactId: '204',
      evaluatedAt: new Date('2026-02-28T23:59:59Z'),
      definitionVersion: '2025.1@abc1234',
      segmentId: 'smb',
      score: 6,
      qualified: true,
      values: { jobtitle: 'Chief Pilot', numemployees: null },
      emailDomains: { email: 'air.example' },
    });
    expect(await evaluationsByIds(db, [])).toEqual([]);
  });
});

describe('MQL evaluations past their retention', () => {
  let db: Database;
  useFreshDatabase((opened) => {
    db = opened;
  });

  it('drops the values and breakdown details past MQL_EVALUATION_RETENTION_DAYS and keeps the verdict', async () => {
    const now = Date.now();
    await recordMqlEvaluations(db, [
      evaluation('301', new Date(now - 40 * DAY).toISOString()),
      evaluation('302', new Date(now - 10 * DAY).toISOString()),
    ]);
    const purge = (evaluationRetentionDays?: number) =>
      purgePersonalData({
        db,
        logger: silentLogger(),
        now: () => new Date(now),
        retentionDays: 30,
        ...(evaluationRetentionDays ? { evaluationRetentionDays } : {}),
      });
    // Kept for a quarter: neither is due yet.
    expect((await purge(92)).mqlEvaluations).toBe(0);
    // Unset, the general retention applies: the 40-day-old one goes.
    expect((await purge()).mqlEvaluations).toBe(1);
    const [purged] = await evaluationsForContact(db, '301');
    expect(purged).toMatchObject({
      purged: true,
      values: null,
      emailDomains: null,
      score: 42.5,
      qualified: true,
      segmentId: 'smb',
      source: 'PAID_SEARCH',
      breakdown: [{ ruleId: 'title', label: 'Decision-maker job title', category: 'fit', points: 15 }],
    });
    expect(JSON.stringify(purged)).not.toMatch(/Pilot|air\.example/);
    expect((await evaluationsForContact(db, '302'))[0]).toMatchObject({ purged: false, values: { jobtitle: 'Chief Pilot' } });
  });
});

describe('MQL evaluations of a contact HubSpot deleted', () => {
  let db: Database;
  useFreshDatabase((opened) => {
    db = opened;
  });

  it("erases a deleted contact's values with the rest of its data, and no other contact's", async () => {
    await recordMqlEvaluations(db, [evaluation('401', '2026-01-10T10:00:00Z'), evaluation('402', '2026-01-10T10:00:00Z')]);
    const counts = await db.transaction((tx) =>
      eraseContactData(tx, { contactId: '401', eventType: 'contact.deletion', eventIds: [], now: new Date() }),
    );
    expect(counts.mqlEvaluations).toBe(1);
    const [erased] = await evaluationsForContact(db, '401');
    expect(erased).toMatchObject({ purged: true, values: null, emailDomains: null, score: 42.5 });
    expect(JSON.stringify(erased)).not.toMatch(/Pilot|air\.example/);
    expect((await evaluationsForContact(db, '402'))[0]).toMatchObject({ purged: false, emailDomains: { email: 'air.example' } });
  });
});

describe('contact outcomes from the audit trail', () => {
  let db: Database;
  useFreshDatabase((opened) => {
    db = opened;
  });
  const since = new Date('2026-02-01T00:00:00Z');
  const at = (day: number) => new Date(Date.UTC(2026, 1, day));
  const entry = (contact: string, action: string, day: number, extra: Partial<HistoryEntryInput> = {}): HistoryEntryInput => ({
    hubspotContactId: contact,
    action: action as HistoryEntryInput['action'],
    at: at(day),
    ...extra,
  });

  it.each([
    ['sql_qualified', [entry('a', 'sql_qualified', 3)], { becameSql: true, won: false, lost: false, rejectionReason: null }],
    ['converted', [entry('a', 'converted', 3)], { becameSql: true, won: false, lost: false, rejectionReason: null }],
    [
      'an opportunity stage',
      [entry('a', 'status_synced', 3, { stage: 'opportunity' })],
      { becameSql: true, won: false, lost: false, rejectionReason: null },
    ],
    [
      'won',
      [entry('a', 'converted', 3), entry('a', 'opportunity_won', 9)],
      { becameSql: true, won: true, lost: false, rejectionReason: null },
    ],
    [
      'lost (alone is still an SQL)',
      [entry('a', 'opportunity_lost', 9)],
      { becameSql: true, won: false, lost: true, rejectionReason: null },
    ],
    [
      'rejected twice: the latest reason',
      [
        entry('a', 'rejected', 3, { detail: { reasonCode: 'bad_fit' } }),
        entry('a', 'recycled', 5, { detail: { reasonCode: 'bad_timing' } }),
      ],
      { becameSql: false, won: false, lost: false, rejectionReason: 'bad_timing' },
    ],
    ['rejected without a code', [entry('a', 'rejected', 3)], { becameSql: false, won: false, lost: false, rejectionReason: 'unspecified' }],
  ])('%s', async (_case, entries, outcome) => {
    const contact = `c-${Math.random().toString(36).slice(2)}`;
    await appendHistory(
      db,
      entries.map((e) => ({ ...e, hubspotContactId: contact })),
    );
    expect(await contactOutcomes(db, [{ contactId: contact, since }])).toEqual(new Map([[contact, outcome]]));
  });

  it('reads only what happened from the evaluation on; other actions and contacts with nothing are open (absent)', async () => {
    await appendHistory(db, [
      // Before its evaluation: an earlier round, not this evaluation's outcome.
      { hubspotContactId: 'old', action: 'rejected', at: new Date('2026-01-20T00:00:00Z'), detail: { reasonCode: 'bad_fit' } },
      { hubspotContactId: 'old', action: 'handed_off', at: at(2) },
      { hubspotContactId: 'quiet', action: 'not_qualified', at: at(2) },
    ]);
    expect(
      await contactOutcomes(db, [
        { contactId: 'old', since },
        { contactId: 'quiet', since },
        { contactId: 'never-seen', since },
      ]),
    ).toEqual(new Map());
  });
});
