import { describe, expect, it } from '@jest/globals';
import { replayProperties } from '../../../src/core/calibration/evaluation-record.ts';
import { qualifyMql } from '../../../src/core/definitions/qualify-mql.ts';
import { generateHistory, type HistoryPlan, seededSalesforceId } from '../../../src/sandbox/history/generate-history.ts';
import { startOfToday } from '../../../src/sandbox/seed-history.ts';
import { shippedBundle } from '../core/helpers.ts';

const bundle = shippedBundle();
const end = new Date('2026-05-14T00:00:00Z');
const DAY_MS = 86_400_000;
const plan: HistoryPlan = { bundle, end, days: 90, contacts: 3_000, seed: 18, reps: ['005A', '005B', '005C', '005D'] };
const seeded = generateHistory(plan);

describe('a seeded quarter of sandbox history', () => {
  it('is the same on every run with the same seed, and different with another', () => {
    const again = generateHistory(plan);
    expect(again.counts).toEqual(seeded.counts);
    expect(JSON.stringify(again.history)).toBe(JSON.stringify(seeded.history));
    expect(generateHistory({ ...plan, seed: 19 }).counts).not.toEqual(seeded.counts);
  });

  it('stores real qualifyMql results under the shipped definition, which replay to the same verdict', () => {
    expect(seeded.evaluations).toHaveLength(3_000);
    for (const evaluation of seeded.evaluations) {
      expect(evaluation.definitionVersion).toBe(bundle.mql.version);
      const replayed = qualifyMql({ id: evaluation.contactId, properties: replayProperties(evaluation) }, bundle.mql);
      expect([replayed.score, replayed.qualified, replayed.segment.id]).toEqual([
        evaluation.score,
        evaluation.qualified,
        evaluation.segmentId,
      ]);
    }
  });

  it('exercises the definition: both segments, the fast track, every enabled exclusion, every fit and behaviour rule', () => {
    const fired = new Set(
      seeded.evaluations.flatMap((e) =>
        e.breakdown
          .filter((line) => line.points !== 0 || (line.category !== 'fit' && line.category !== 'behaviour'))
          .map((line) => line.ruleId),
      ),
    );
    const rules = [
      ...bundle.mql.fit,
      ...bundle.mql.behaviour,
      ...bundle.mql.fastTrack,
      ...bundle.mql.exclusions.filter((rule) => rule.enabled),
    ];
    expect(rules.map((rule) => rule.id).filter((id) => !fired.has(id))).toEqual([]);
    const mqlSegments = new Set(seeded.evaluations.filter((e) => e.qualified).map((e) => e.segmentId));
    expect([...mqlSegments].sort()).toEqual(['enterprise', 'smb']);
    // An MQL share a marketing team would recognise, and no e-mail address kept beyond its domain.
    expect(seeded.counts.mql / seeded.counts.contacts).toBeGreaterThan(0.15);
    expect(seeded.counts.mql / seeded.counts.contacts).toBeLessThan(0.4);
    expect(JSON.stringify(seeded.evaluations)).not.toMatch(/contact\d+@/);
  });

  it('happens within the quarter: nothing today, nothing before its first day', () => {
    const moments = [
      ...seeded.evaluations.map((e) => e.evaluatedAt),
      ...seeded.history.map((h) => h.at!),
      ...seeded.timers.flatMap((t) => [t.handedOffAt, t.stoppedAt, t.breachedAt].filter((at): at is Date => at !== null)),
      ...seeded.opportunities.flatMap((o) => [o.linkedAt, o.closedAt].filter((at): at is Date => at !== null)),
    ];
    expect(moments.every((at) => at < end && at.getTime() >= end.getTime() - 90 * DAY_MS)).toBe(true);
  });

  it('follows MQLs through sales with odds that rise with the score, and shows non-MQLs that sales accepted anyway', () => {
    const handedOff = seeded.history.filter((h) => h.action === 'handed_off');
    expect(handedOff).toHaveLength(seeded.counts.mql);
    const accepted = new Set(seeded.history.filter((h) => h.action === 'sql_qualified').map((h) => h.hubspotContactId));
    const rate = (scores: (s: number) => boolean) => {
      const group = handedOff.filter((h) => scores(h.score!));
      return group.filter((h) => accepted.has(h.hubspotContactId)).length / group.length;
    };
    expect(rate((s) => s >= 75)).toBeGreaterThan(rate((s) => s < 60) + 0.1);
    expect(seeded.counts.won).toBeGreaterThan(20);
    expect(seeded.counts.lost).toBeGreaterThan(20);
    expect(seeded.counts.nonMqlSql).toBeGreaterThan(10);
    const lossCodes = new Set(bundle.revenue.lost?.reasons.map((r) => r.code));
    expect(seeded.opportunities.filter((o) => o.status === 'lost').every((o) => o.lossReason && lossCodes.has(o.lossReason))).toBe(true);
    const rejectionCodes = new Set(bundle.rejection.reasons.map((r) => r.code));
    const rejections = seeded.history.filter((h) => h.action === 'rejected' || h.action === 'recycled');
    expect(rejections.length).toBeGreaterThan(50);
    expect(rejections.every((h) => rejectionCodes.has(String(h.detail?.reasonCode)))).toBe(true);
    expect(new Set(rejections.map((h) => h.action))).toEqual(new Set(['rejected', 'recycled']));
  });

  it('leaves no SLA clock running for the tick to find, and owns every Lead by one of the reps', () => {
    expect(seeded.timers.length).toBeGreaterThan(seeded.counts.mql);
    expect(seeded.timers.every((t) => t.stoppedAt !== null || t.breachedAt !== null)).toBe(true);
    expect(seeded.timers.some((t) => t.breachedAt !== null)).toBe(true);
    expect(new Set(seeded.assignments.map((a) => a.ownerId))).toEqual(new Set(plan.reps));
  });

  it("uses ids the simulators never hand out: contacts above HubSpot's, Leads outside Salesforce's Hs0/Hs1 ranges", () => {
    expect(seeded.evaluations.every((e) => Number(e.contactId) > 9_000_000_000)).toBe(true);
    expect(seededSalesforceId('00Q', 7)).toMatch(/^00QHq7000000007[A-Z0-5]{3}$/);
  });
});

describe('the start of today', () => {
  it('is midnight UTC or local midnight, whichever comes first', () => {
    const now = new Date('2026-05-14T13:00:00Z');
    const today = startOfToday(now);
    expect(today <= new Date('2026-05-14T00:00:00Z')).toBe(true);
    expect(now.getTime() - today.getTime()).toBeLessThan(2 * DAY_MS);
  });
});
