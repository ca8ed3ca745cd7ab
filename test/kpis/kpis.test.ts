import { beforeAll, describe, expect, it } from '@jest/globals';
import { computeKpis } from '../../src/kpis/compute-kpis.ts';
import { kpisToCsv } from '../../src/kpis/kpi-csv.ts';
import type { KpiGroup } from '../../src/kpis/kpi-types.ts';
import type { Database } from '../../src/store/database.ts';
import { useFreshDatabase } from '../support/databases.ts';
import { seedAll, WINDOW } from './seed.ts';

const find = (groups: KpiGroup[], key: string | null) => {
  const group = groups.find((g) => g.key === key);
  if (!group) throw new Error(`no group ${key}`);
  return group;
};

describe('KPIs on a hand-computed history', () => {
  let db: Database;
  useFreshDatabase((fresh) => {
    db = fresh;
  });
  beforeAll(async () => seedAll(db));

  it('computes the funnel, reasons, response times and SLA adherence of the window', async () => {
    const { total, groups, groupBy } = await computeKpis(db, WINDOW);
    expect(groupBy).toBeNull();
    expect(groups).toEqual([]);
    // MQL: c1–c10 (c1 handed off twice, counted once; c11 before, c12 at `to` are out).
    // SAL or later: c1 (opp), c2 (sql), c3 (converted w/o opp = sql), c4 (sal), c5 (sal), c6 (sql) = 6;
    // c9's SAL predates its handoff. SQL or later: c1, c2, c3, c6 = 4. Opportunity: c1 = 1.
    // No deal closed yet (revenue-kpis.test.ts covers won and lost).
    expect(total.funnel).toEqual({ mql: 10, sal: 6, sql: 4, opportunity: 1, won: 0 });
    // 6/10, 4/10, 1/4, 0/1; no closed deal, so no win rate.
    expect(total.rates).toEqual({ mqlToSal: 0.6, mqlToSql: 0.4, sqlToOpportunity: 0.25, opportunityToWon: 0, winRate: null });
    expect(total.revenue).toEqual({ won: 0, lost: 0, wonAmount: 0, openDeals: 0, openAmount: 0, medianDaysMqlToWon: null });
    // c4 and c7 bad_fit, c8 no_budget (recycled); c12's rejection is outside the cohort.
    expect(total.rejectionReasons).toEqual([
      { reason: 'bad_fit', count: 2 },
      { reason: 'no_budget', count: 1 },
    ]);
    // First touches 3, 10, 25, 40 min (c5 breached untouched, c6 running, c11 outside):
    // median (10+25)/2 = 17.5; p90 at rank 0.9·3 = 2.7 → 25 + 0.7·(40−25) = 35.5.
    expect(total.firstResponse.count).toBe(4);
    expect(total.firstResponse.medianMinutes).toBe(17.5);
    expect(total.firstResponse.p90Minutes).toBeCloseTo(35.5, 9);
    // Routing 2, 4, 6, 8, 10 s (c6 unmeasured): median 6; p90 at rank 3.6 → 8 + 0.6·2 = 9.2.
    expect(total.routingDelay.count).toBe(5);
    expect(total.routingDelay.medianSeconds).toBe(6);
    expect(total.routingDelay.p90Seconds).toBeCloseTo(9.2, 9);
    // First touch: met c1 (3 ≤ 5), c2 (10 ≤ 240); not met c3 (breached, touched late), c4 (40 > 30, tick never ran),
    // c5 (breached); c6 still running → 2 / 5 = 0.4, 2 breached.
    expect(total.sla.firstTouch).toEqual({ met: 2, decided: 5, breached: 2, adherence: 0.4 });
    // Disposition: c1 on time; c2 late; c7 breached then stopped; c8 running → 1 / 3.
    expect(total.sla.disposition).toEqual({ met: 1, decided: 3, breached: 1, adherence: 1 / 3 });
  });

  it('groups by source, with unrecorded sources in their own group', async () => {
    const { groups, total } = await computeKpis(db, { ...WINDOW, groupBy: 'source' });
    expect(groups.map((g) => [g.key, g.funnel.mql])).toEqual([
      ['PAID_SEARCH', 6],
      ['ORGANIC_SEARCH', 3],
      [null, 1],
    ]);
    const paid = find(groups, 'PAID_SEARCH');
    // c1–c6: all six reach SAL, four SQL, one opportunity; c4 bad_fit.
    expect(paid.funnel).toEqual({ mql: 6, sal: 6, sql: 4, opportunity: 1, won: 0 });
    expect(paid.rates).toEqual({ mqlToSal: 1, mqlToSql: 4 / 6, sqlToOpportunity: 0.25, opportunityToWon: 0, winRate: null });
    expect(paid.rejectionReasons).toEqual([{ reason: 'bad_fit', count: 1 }]);
    // Disposition clocks of paid: c1 met, c2 late → 1 / 2.
    expect(paid.sla.disposition).toEqual({ met: 1, decided: 2, breached: 0, adherence: 0.5 });
    const organic = find(groups, 'ORGANIC_SEARCH');
    // c7–c9: nobody past MQL, so no SQL→opportunity rate.
    expect(organic.rates).toEqual({ mqlToSal: 0, mqlToSql: 0, sqlToOpportunity: null, opportunityToWon: null, winRate: null });
    expect(organic.rejectionReasons).toEqual([
      { reason: 'bad_fit', count: 1 },
      { reason: 'no_budget', count: 1 },
    ]);
    expect(organic.sla.disposition).toEqual({ met: 0, decided: 1, breached: 1, adherence: 0 });
    expect(organic.firstResponse).toEqual({ count: 0, medianMinutes: null, p90Minutes: null });
    expect(total.funnel.mql).toBe(10);
  });

  it('groups by the definition version of the first handoff in the window', async () => {
    const { groups } = await computeKpis(db, { ...WINDOW, groupBy: 'definitionVersion' });
    // v1: c1–c4 (c1's later re-handoff under v2 does not move it) → SAL 4, SQL c1 c2 c3, opp c1.
    expect(find(groups, 'mql-v1').funnel).toEqual({ mql: 4, sal: 4, sql: 3, opportunity: 1, won: 0 });
    // v2: c5–c10 → SAL c5 c6, SQL c6.
    expect(find(groups, 'mql-v2').funnel).toEqual({ mql: 6, sal: 2, sql: 1, opportunity: 0, won: 0 });
    // First touches by version: v1 3, 10, 25, 40 → 17.5; v2 none stopped.
    expect(find(groups, 'mql-v1').firstResponse.medianMinutes).toBe(17.5);
    expect(find(groups, 'mql-v2').firstResponse.count).toBe(0);
  });

  it('groups by segment and filters by any cut', async () => {
    const bySegment = await computeKpis(db, { ...WINDOW, groupBy: 'segment' });
    // enterprise c1–c3: all SQL, one opportunity → 1/3.
    expect(find(bySegment.groups, 'enterprise').funnel).toEqual({ mql: 3, sal: 3, sql: 3, opportunity: 1, won: 0 });
    expect(find(bySegment.groups, 'enterprise').rates.sqlToOpportunity).toBeCloseTo(1 / 3, 12);
    const filtered = await computeKpis(db, { ...WINDOW, filters: { source: 'PAID_SEARCH', segment: 'default' } });
    // c4–c6: SAL c4 c5 c6, SQL c6; first touches c4 40 min only; routing 8 and 10 s.
    expect(filtered.total.funnel).toEqual({ mql: 3, sal: 3, sql: 1, opportunity: 0, won: 0 });
    expect(filtered.total.firstResponse).toEqual({ count: 1, medianMinutes: 40, p90Minutes: 40 });
    expect(filtered.total.routingDelay.medianSeconds).toBe(9);
    expect(filtered.filters).toEqual({ source: 'PAID_SEARCH', segment: 'default' });
  });

  it('answers zeros and nulls for an empty window', async () => {
    const { total } = await computeKpis(db, { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-02-01T00:00:00Z') });
    expect(total.funnel).toEqual({ mql: 0, sal: 0, sql: 0, opportunity: 0, won: 0 });
    expect(total.rates).toEqual({ mqlToSal: null, mqlToSql: null, sqlToOpportunity: null, opportunityToWon: null, winRate: null });
    expect(total.sla.firstTouch.adherence).toBeNull();
  });

  it('writes one CSV row per group', async () => {
    const csv = kpisToCsv(await computeKpis(db, { ...WINDOW, groupBy: 'source' }));
    const lines = csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^source,mql,sal,sql,opportunity,mql_to_sal,/);
    expect(lines[1]).toMatch(/^PAID_SEARCH,6,6,4,1,1,0\.666/);
    expect(lines[1]).toMatch(/,bad_fit:1$/);
    expect(lines[2]).toMatch(/^ORGANIC_SEARCH,3,0,0,0,0,0,,/);
    expect(lines[2]).toMatch(/,bad_fit:1; no_budget:1$/);
    expect(lines[3]).toMatch(/^\(not recorded\),1,/);
  });
});
