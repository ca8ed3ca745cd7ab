import { describe, expect, it } from '@jest/globals';
import { type BacktestContact, summariseBacktest, withOutcome } from '../../../../src/core/calibration/backtest.ts';
import { mqlEvaluationRecord } from '../../../../src/core/calibration/evaluation-record.ts';
import type { ContactOutcome } from '../../../../src/core/calibration/outcome.ts';
import { replayEvaluation, replayPlan, type StoredEvaluation } from '../../../../src/core/calibration/replay.ts';
import { qualifyMql } from '../../../../src/core/definitions/qualify-mql.ts';
import { contact, mql } from '../helpers.ts';

/**
 * Active: Director title 20, software 10, 10 per click (max 30); SMB threshold 40; demo fast track; competitor
 * exclusion on; student exclusion off. Draft: the same, threshold 30, +5 for any e-mail, student exclusion on.
 * So every draft score is the active one + 5.
 */
const activeDefinition = {
  version: 'a1',
  fit: [
    { id: 'title', label: 'Director title', points: 20, when: { property: 'jobtitle', op: 'matches', value: '\\bdirector\\b' } },
    { id: 'industry', label: 'Software', points: 10, when: { property: 'industry', op: 'eq', value: 'COMPUTER_SOFTWARE' } },
  ],
  behaviour: [{ id: 'clicks', label: 'Clicks', perUnit: { property: 'email_clicks', points: 10, max: 30 } }],
  segments: [{ id: 'smb', label: 'SMB', default: true, threshold: { total: 40 } }],
  fastTrack: [{ id: 'demo', label: 'Demo requested', when: { property: 'demo_requested', op: 'isTrue' } }],
  exclusions: [
    { id: 'competitor', label: 'Competitor', when: { property: 'email', op: 'emailDomainIn', values: ['rival.example'] } },
    { id: 'student', label: 'Student', enabled: false, when: { property: 'jobtitle', op: 'matches', value: '\\bstudent\\b' } },
  ],
};
const active = mql(activeDefinition);
const draft = mql({
  ...activeDefinition,
  version: 'd1',
  fit: [...activeDefinition.fit, { id: 'known-email', label: 'Any e-mail', points: 5, when: { property: 'email', op: 'exists' } }],
  segments: [{ id: 'smb', label: 'SMB', default: true, threshold: { total: 30 } }],
  exclusions: [activeDefinition.exclusions[0]!, { ...activeDefinition.exclusions[1]!, enabled: true }],
});
const plan = replayPlan({ active, draft });

const AT = new Date('2026-02-01T00:00:00Z');
const won: ContactOutcome = { becameSql: true, won: true, lost: false, rejectionReason: null };
const lost: ContactOutcome = { becameSql: true, won: false, lost: true, rejectionReason: null };
const sql: ContactOutcome = { becameSql: true, won: false, lost: false, rejectionReason: null };
const rejected = (reason: string): ContactOutcome => ({ becameSql: false, won: false, lost: false, rejectionReason: reason });

/** Contact id → (properties, outcome); draft scores in the comments. */
const PEOPLE: Record<string, [Record<string, string>, ContactOutcome | undefined]> = {
  c1: [{ jobtitle: 'Director', industry: 'COMPUTER_SOFTWARE', email_clicks: '1' }, won], // 45, both
  c2: [{ jobtitle: 'Director', email_clicks: '1' }, sql], // 35, draft only
  c3: [{ industry: 'COMPUTER_SOFTWARE', email_clicks: '1' }, undefined], // 25, neither (recorded under an older version)
  c4: [{ jobtitle: 'Director' }, undefined], // 25, neither
  c5: [{ email_clicks: '3' }, rejected('bad_fit')], // 35, draft only
  c6: [{ demo_requested: 'true' }, lost], // 5, both (fast track)
  c7: [{ jobtitle: 'Director', industry: 'COMPUTER_SOFTWARE', email_clicks: '3' }, rejected('no_budget')], // 65, both
  c8: [{ jobtitle: 'Director', industry: 'COMPUTER_SOFTWARE' }, undefined], // 35, draft only
  c9: [{ jobtitle: 'Director (student)', industry: 'COMPUTER_SOFTWARE', email_clicks: '1' }, rejected('bad_fit')], // 45, active only
};

function stored(id: string, properties: Record<string, string>): StoredEvaluation {
  const person = contact({ email: `${id}@buyer.example`, ...properties }, id);
  const record = mqlEvaluationRecord(person, qualifyMql(person, active), active, AT);
  if (id !== 'c3') return record;
  // Made under an earlier definition that did not read demo_requested.
  const { demo_requested: _dropped, ...values } = record.values;
  return { ...record, definitionVersion: 'a0', values };
}

function backtestContacts(): BacktestContact[] {
  return Object.entries(PEOPLE).map(([id, [properties, outcome]]) => withOutcome(replayEvaluation(stored(id, properties), plan)!, outcome));
}

const report = summariseBacktest(backtestContacts(), plan, 10);
const rounded = (value: unknown) =>
  JSON.parse(JSON.stringify(value, (_key, v) => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : v)));

describe('backtest of a draft MQL definition (hand-checked on nine contacts)', () => {
  it('counts MQLs under each definition and lists who changes sides', () => {
    expect(report.definitions).toEqual({ active: 'a1', draft: 'd1' });
    expect(report.contacts).toEqual({ evaluated: 10, replayed: 9, notReplayable: 1 });
    expect(report.mql).toEqual({ active: 4, draft: 6 });
    expect(report.newlyQualifying).toEqual({
      count: 3,
      truncated: false,
      contacts: [
        { contactId: 'c2', segmentId: 'smb', activeScore: 30, draftScore: 35, status: 'sql' },
        { contactId: 'c5', segmentId: 'smb', activeScore: 30, draftScore: 35, status: 'rejected' },
        { contactId: 'c8', segmentId: 'smb', activeScore: 30, draftScore: 35, status: 'open' },
      ],
    });
    expect(report.noLongerQualifying.contacts).toEqual([
      { contactId: 'c9', segmentId: 'smb', activeScore: 40, draftScore: 45, status: 'rejected' },
    ]);
  });

  it('says which properties the evaluations did not record', () => {
    expect(report.coverage).toEqual({ notRecorded: [{ property: 'demo_requested', contacts: 1 }], domainOnly: [] });
  });

  // SQL rate = accepted ÷ (accepted + rejected); win rate = won ÷ (won + lost + rejected); open ones count in neither.
  it.each([
    [
      'both',
      { contacts: 3, open: 0, sql: 0, won: 1, lost: 1, rejected: 1, sqlRate: 0.667, winRate: 0.333 },
      [{ reason: 'no_budget', count: 1 }],
    ],
    [
      'activeOnly',
      { contacts: 1, open: 0, sql: 0, won: 0, lost: 0, rejected: 1, sqlRate: 0, winRate: 0 },
      [{ reason: 'bad_fit', count: 1 }],
    ],
    [
      'draftOnly',
      { contacts: 3, open: 1, sql: 1, won: 0, lost: 0, rejected: 1, sqlRate: 0.5, winRate: 0 },
      [{ reason: 'bad_fit', count: 1 }],
    ],
  ] as const)('group %s: outcomes, rates and rejection reasons', (group, tally, reasons) => {
    expect(rounded(report.groups[group])).toEqual({ ...tally, rejectionReasons: reasons });
  });

  it('gives precision and recall at every score seen and the draft threshold, and marks the best F1 (ties: higher threshold)', () => {
    const [smb] = report.segments;
    expect(smb).toMatchObject({ segmentId: 'smb', label: 'SMB', contacts: 9, currentThreshold: 30, best: { sql: 35, won: 45 } });
    // Became SQL is known for c1 c2 c6 (yes) and c5 c7 c9 (no); won for c1 (yes) and c5 c6 c7 c9 (no).
    // c6 is fast-tracked (MQL at every threshold), c9 excluded (at none).
    expect(rounded(smb!.thresholds)).toEqual([
      row(5, 8, [0.6, 1, 0.75], [0.25, 1, 0.4]),
      row(25, 8, [0.6, 1, 0.75], [0.25, 1, 0.4]),
      { ...row(30, 6, [0.6, 1, 0.75], [0.25, 1, 0.4]), current: true },
      { ...row(35, 6, [0.6, 1, 0.75], [0.25, 1, 0.4]), bestFor: ['sql'] },
      { ...row(45, 3, [0.667, 0.667, 0.667], [0.333, 1, 0.5]), bestFor: ['won'] },
      row(65, 2, [0.5, 0.333, 0.4], [0, 0, 0]),
    ]);
  });

  it('compares each rule with the baseline of all draft MQLs and flags rules that never fire or fire for everyone', () => {
    expect(rounded(report.baseline)).toEqual({ contacts: 6, open: 1, sql: 1, won: 1, lost: 1, rejected: 2, sqlRate: 0.6, winRate: 0.25 });
    const lift = Object.fromEntries(
      report.rules.map((r) => [r.ruleId, rounded([r.firedFor.contacts, r.firedFor.mql, r.shareOfMql, r.sqlLift, r.winLift, r.flag])]),
    );
    expect(lift).toEqual({
      // fired for, of them MQL, share of MQLs, SQL lift, win lift, flag
      title: [6, 4, 0.667, 1.111, 2, null], // MQLs c1 c2 c7 c8: SQL 2/3, won 1/2
      industry: [5, 3, 0.5, 0.833, 2, null], // MQLs c1 c7 c8: SQL 1/2, won 1/2
      'known-email': [9, 6, 1, 1, 1, 'fires_for_everyone'],
      clicks: [6, 4, 0.667, 0.833, 1.333, null], // MQLs c1 c2 c5 c7: SQL 2/4, won 1/3
      demo: [1, 1, 0.167, 1.667, 0, null], // c6 lost
      competitor: [0, 0, 0, null, null, 'never_fires'],
      student: [1, 0, 0, null, null, null], // c9, excluded
    });
    expect(report.rules.map((r) => [r.category, r.enabled])).toEqual([
      ['fit', true],
      ['fit', true],
      ['fit', true],
      ['behaviour', true],
      ['fastTrack', true],
      ['exclusion', true],
      ['exclusion', true],
    ]);
  });

  it('cuts draft scores in bands of 10 with their SQL and win rates', () => {
    expect(
      report.scoreBands.map((b) => [b.from, b.to, b.outcomes.contacts, b.mql, rounded(b.outcomes.sqlRate), rounded(b.outcomes.winRate)]),
    ).toEqual([
      [0, 10, 1, 1, 1, 0], // c6 lost
      [20, 30, 2, 0, null, null], // c3 c4 open
      [30, 40, 3, 3, 0.5, 0], // c2 sql, c5 rejected, c8 open
      [40, 50, 2, 1, 0.5, 0.5], // c1 won, c9 rejected
      [60, 70, 1, 1, 0, 0], // c7 rejected
    ]);
  });

  it('states its objective', () => {
    expect(report.objective).toMatch(/^f1: the threshold with the highest F1/);
  });
});

describe('contacts that change sides, when many do', () => {
  it('counts them all and lists the first 100 by draft score, then contact id', () => {
    // Directors with one or two clicks, alternately: 30 → 35 (newly qualifying) or 40 → 45 (both).
    const many = Array.from({ length: 2_500 }, (_, i) => {
      const id = `m${String(i).padStart(4, '0')}`;
      const person = contact({ email: `${id}@buyer.example`, jobtitle: 'Director', email_clicks: String(1 + (i % 2)) }, id);
      return withOutcome(replayEvaluation(mqlEvaluationRecord(person, qualifyMql(person, active), active, AT), plan)!);
    });
    const changed = summariseBacktest(many, plan, many.length).newlyQualifying;
    // Half of them change: more than the list keeps between two trims (1,000).
    expect(changed.count).toBe(1_250);
    expect(changed.truncated).toBe(true);
    expect(changed.contacts).toHaveLength(100);
    expect(changed.contacts[0]).toEqual({ contactId: 'm0000', segmentId: 'smb', activeScore: 30, draftScore: 35, status: 'open' });
    expect(changed.contacts.at(-1)?.contactId).toBe('m0198');
  });
});

describe('replaying one stored evaluation', () => {
  it('uses the stored verdict under the active version and re-qualifies under any other', () => {
    const person = contact({ email: 'x@buyer.example', jobtitle: 'Director', industry: 'COMPUTER_SOFTWARE' }, 'c20');
    const record = mqlEvaluationRecord(person, qualifyMql(person, active), active, AT);
    // A stored verdict is what the active definition said then; it is taken as it stands.
    expect(replayEvaluation({ ...record, score: 99, qualified: true }, plan)?.active).toEqual({
      qualified: true,
      score: 99,
      segmentId: 'smb',
    });
    expect(replayEvaluation({ ...record, definitionVersion: 'a0', score: 99 }, plan)?.active).toEqual({
      qualified: false,
      score: 30,
      segmentId: 'smb',
    });
  });

  it('cannot replay an evaluation whose values were purged', () => {
    const person = contact({ email: 'x@buyer.example' }, 'c21');
    const record = mqlEvaluationRecord(person, qualifyMql(person, active), active, AT);
    expect(replayEvaluation({ ...record, values: null, emailDomains: null }, plan)).toBeUndefined();
  });

  it('flags a domain the draft reads with an operator that needs the whole address', () => {
    const wholeEmail = mql({
      ...activeDefinition,
      version: 'd2',
      fit: [{ id: 'edu', label: 'University', points: 5, when: { property: 'email', op: 'contains', value: '.edu' } }],
    });
    const person = contact({ email: 'ada@uni.edu' }, 'c22');
    const record = mqlEvaluationRecord(person, qualifyMql(person, active), active, AT);
    const replayed = replayEvaluation(record, replayPlan({ active, draft: wholeEmail }))!;
    expect(replayed.domainOnly).toEqual(['email']);
    // `contains .edu` still holds on the domain alone.
    expect(replayed.draft.fired).toEqual(['edu']);
  });
});

function row(threshold: number, mqlCount: number, sqlFigures: number[], wonFigures: number[]) {
  const figures = ([precision, recall, f1]: number[]) => ({ precision, recall, f1 });
  return { threshold, mql: mqlCount, sql: figures(sqlFigures), won: figures(wonFigures), current: false, bestFor: [] };
}
