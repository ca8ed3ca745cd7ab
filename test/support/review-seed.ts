import type { MqlEvaluationRecord } from '../../src/core/calibration/evaluation-record.ts';
import type { BreakdownLine } from '../../src/core/definitions/qualify-mql.ts';
import type { Queryable } from '../../src/store/database-types.ts';
import { appendHistory, type HistoryEntryInput } from '../../src/store/history.ts';
import { recordMqlEvaluations } from '../../src/store/mql-evaluations.ts';

/** The review period: November 2026, the same month as the KPI seed (test/kpis/seed.ts). */
export const REVIEW_PERIOD = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') };

const nov = (d: number, hour = 9) => new Date(Date.UTC(2026, 10, d, hour));

/** A value a rep or an admin could type: the review must show it as text, never run it. */
export const HOSTILE_LABEL = '<script>alert("review")</script> & more';

/** A definition version no stored configuration version holds: its thresholds are unknown. */
export const UNKNOWN_VERSION = '2019.1@0000000';

const line = (ruleId: string, label: string, points: number, category: BreakdownLine['category'] = 'fit'): BreakdownLine => ({
  ruleId,
  label,
  category,
  points,
  // A detail shows the values read: the examples must leave it out.
  detail: `seen jane@${ruleId}.example`,
});

interface Seeded {
  id: string;
  score: number;
  qualified: boolean;
  fastTrack?: string;
  version?: string;
  at?: Date;
  breakdown?: BreakdownLine[];
}

/**
 * Evaluations in November 2026 (segment smb, threshold 50 under `version`, the active definition) and what became
 * of them, so the examples' lists are known by hand:
 * - rejected high scorers (MQLs rejected and not accepted since), highest score first: r1 80 (bad_fit, hostile
 *   label), r2 65 (timing, then no_budget: the latest counts), r4 55 (no reason code: unspecified). Not listed: r3 90
 *   (rejected, then converted), r5 95 (rejected before its latest evaluation only), r6 70 (excluded: no MQL),
 *   r7 (evaluated in October).
 * - accepted low scorers, lowest score first: l1 10 (no MQL; converted, won), l3 20 (fast track under the threshold;
 *   converted, lost), l2 30 (no MQL; SQL), l6 40 (no MQL, unknown version). Not listed: l4 60 (MQL over the
 *   threshold), l5 20 (fast track, unknown version: its threshold is unknown), l7 (evaluated in December).
 */
export async function seedReviewExamples(db: Queryable, version: string): Promise<void> {
  const seeded: Seeded[] = [
    { id: 'r1', score: 80, qualified: true, breakdown: [line('title', HOSTILE_LABEL, 50), line('size', 'Company size', 30)] },
    { id: 'r2', score: 65, qualified: true },
    { id: 'r3', score: 90, qualified: true },
    { id: 'r4', score: 55, qualified: true },
    { id: 'r5', score: 95, qualified: true, at: nov(2) },
    { id: 'r5', score: 95, qualified: true, at: nov(10) },
    { id: 'r6', score: 70, qualified: false },
    { id: 'r7', score: 99, qualified: true, at: new Date('2026-10-20T09:00:00Z') },
    { id: 'l1', score: 10, qualified: false },
    { id: 'l2', score: 30, qualified: false },
    { id: 'l3', score: 20, qualified: true, fastTrack: 'demo-request' },
    { id: 'l4', score: 60, qualified: true },
    { id: 'l5', score: 20, qualified: true, fastTrack: 'demo-request', version: UNKNOWN_VERSION },
    { id: 'l6', score: 40, qualified: false, version: UNKNOWN_VERSION },
    { id: 'l7', score: 5, qualified: false, at: new Date('2026-12-02T09:00:00Z') },
  ];
  const records: MqlEvaluationRecord[] = seeded.map((s) => ({
    contactId: s.id,
    evaluatedAt: s.at ?? nov(5),
    definitionVersion: s.version ?? version,
    segmentId: 'smb',
    score: s.score,
    qualified: s.qualified,
    fastTrack: s.fastTrack ?? null,
    breakdown: s.breakdown ?? [
      line('pricing', 'Pricing page views', s.score, 'behaviour'),
      ...(s.fastTrack ? [line(s.fastTrack, 'Demo requested', 0, 'fastTrack')] : []),
    ],
    source: 'PAID_SEARCH',
    values: { jobtitle: 'VP Sales' },
    emailDomains: { email: 'buyer.example' },
  }));
  await recordMqlEvaluations(db, records);
  // The Opportunity follow-up's actions are not in HistoryAction's older list everywhere: written by name.
  const won = 'opportunity_won' as HistoryEntryInput['action'];
  const lost = 'opportunity_lost' as HistoryEntryInput['action'];
  const rejected = (id: string, day: number, detail: Record<string, unknown>): HistoryEntryInput => ({
    hubspotContactId: id,
    action: 'rejected',
    stage: 'rejected',
    detail,
    at: nov(day),
  });
  await appendHistory(db, [
    rejected('r1', 7, { reasonCode: 'bad_fit', reasonLabel: HOSTILE_LABEL }),
    rejected('r2', 6, { reasonCode: 'timing', reasonLabel: 'Bad timing' }),
    { hubspotContactId: 'r2', action: 'recycled', detail: { reasonCode: 'no_budget', reasonLabel: 'No budget' }, at: nov(8) },
    rejected('r3', 6, { reasonCode: 'bad_fit' }),
    { hubspotContactId: 'r3', action: 'converted', stage: 'opportunity', at: nov(9) },
    rejected('r4', 6, {}),
    rejected('r5', 3, { reasonCode: 'bad_fit' }),
    rejected('r6', 6, { reasonCode: 'bad_fit' }),
    rejected('r7', 6, { reasonCode: 'bad_fit' }),
    { hubspotContactId: 'l1', action: 'converted', stage: 'opportunity', at: nov(8) },
    { hubspotContactId: 'l1', action: won, detail: { amount: 12000 }, at: nov(20) },
    { hubspotContactId: 'l2', action: 'sql_qualified', stage: 'sql', at: nov(9) },
    { hubspotContactId: 'l3', action: 'converted', stage: 'opportunity', at: nov(8) },
    { hubspotContactId: 'l3', action: lost, detail: { lossReason: 'price' }, at: nov(22) },
    { hubspotContactId: 'l4', action: 'converted', stage: 'opportunity', at: nov(8) },
    { hubspotContactId: 'l5', action: 'converted', stage: 'opportunity', at: nov(8) },
    { hubspotContactId: 'l6', action: 'sql_qualified', stage: 'sql', at: nov(11) },
    { hubspotContactId: 'l7', action: 'converted', stage: 'opportunity', at: new Date('2026-12-03T09:00:00Z') },
  ]);
}
