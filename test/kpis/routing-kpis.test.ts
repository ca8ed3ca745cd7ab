import { beforeAll, describe, expect, it } from '@jest/globals';
import { routingKpisToCsv } from '../../src/kpis/routing-kpi-csv.ts';
import { computeRoutingKpis } from '../../src/kpis/routing-kpis.ts';
import type { Database } from '../../src/store/database.ts';
import { useFreshDatabase } from '../support/databases.ts';
import { OWNER_A, OWNER_B, OWNER_C, ROUTING_WINDOW, seedRouting } from './routing-seed.ts';

describe('routing KPIs on hand-computed assignments (PostgreSQL)', () => {
  let db: Database;
  useFreshDatabase((fresh) => {
    db = fresh;
  });
  beforeAll(async () => {
    await seedRouting(db);
  });

  it('by owner: assigned (initial, re-routed), re-routes away, MQL→SQL while owned, first response and SLA', async () => {
    const report = await computeRoutingKpis(db, { ...ROUTING_WINDOW, by: 'owner' });
    expect(report.by).toBe('owner');
    expect(report.groups.map((g) => g.key)).toEqual([OWNER_A, OWNER_B, OWNER_C]);
    const [a, b, c] = report.groups;
    // A: r1 and the re-route r3 (r6 reserved, r7 released, r8 before and r9 at `to` are out). k1 and k2 reach SQL
    // after A's assignments. Touched after 10 and 20 min: median 15, p90 10 + 0.9·10 = 19; both on time.
    expect(a).toEqual({
      key: OWNER_A,
      label: null,
      assigned: { total: 2, initial: 1, rerouted: 1 },
      reroutedAway: 0,
      sql: 2,
      mqlToSql: 1,
      firstResponse: { count: 2, medianMinutes: 15, p90Minutes: expect.closeTo(19, 9) },
      firstTouchSla: { met: 2, decided: 2, breached: 0, adherence: 1 },
    });
    // B: r2 (k2, re-routed away to A before its SQL) and r5 (k4 converted without an opportunity = SQL).
    // r2's clock breached, r5's still runs.
    expect(b).toEqual({
      key: OWNER_B,
      label: null,
      assigned: { total: 2, initial: 2, rerouted: 0 },
      reroutedAway: 1,
      sql: 1,
      mqlToSql: 0.5,
      firstResponse: { count: 0, medianMinutes: null, p90Minutes: null },
      firstTouchSla: { met: 0, decided: 1, breached: 1, adherence: 0 },
    });
    // C: k3 reached SAL only (its SQL is from an earlier cycle); touched after 90 min, 30 past due.
    expect(c?.assigned).toEqual({ total: 1, initial: 1, rerouted: 0 });
    expect(c?.sql).toBe(0);
    expect(c?.mqlToSql).toBe(0);
    expect(c?.firstResponse).toEqual({ count: 1, medianMinutes: 90, p90Minutes: 90 });
    expect(c?.firstTouchSla).toEqual({ met: 0, decided: 1, breached: 0, adherence: 0 });
  });

  it('by pool: the pool that dealt the Lead, assignments of other strategies under no pool', async () => {
    const report = await computeRoutingKpis(
      db,
      { ...ROUTING_WINDOW, by: 'pool' },
      { poolLabels: () => new Map([['ent', 'Enterprise reps']]) },
    );
    expect(report.groups.map((g) => [g.key, g.label])).toEqual([
      ['ent', 'Enterprise reps'],
      [null, null],
    ]);
    const [ent, none] = report.groups;
    expect(ent?.assigned).toEqual({ total: 4, initial: 3, rerouted: 1 });
    expect(ent?.reroutedAway).toBe(1);
    expect(ent?.sql).toBe(3);
    expect(ent?.mqlToSql).toBe(0.75);
    expect(ent?.firstResponse).toMatchObject({ count: 2, medianMinutes: 15 });
    expect(ent?.firstTouchSla).toEqual({ met: 2, decided: 3, breached: 1, adherence: 2 / 3 });
    expect(none?.assigned.total).toBe(1);
    expect(none?.firstTouchSla.decided).toBe(1);
  });

  it("shows owners' names from the directory, and ids when it cannot answer", async () => {
    const asked: string[][] = [];
    const named = await computeRoutingKpis(
      db,
      { ...ROUTING_WINDOW, by: 'owner' },
      {
        ownerNames: async (ids) => {
          asked.push(ids);
          return new Map([[OWNER_A, 'Ana Ruiz']]);
        },
      },
    );
    expect(named.groups.map((g) => g.label)).toEqual(['Ana Ruiz', null, null]);
    expect([...(asked[0] ?? [])].sort()).toEqual([OWNER_A, OWNER_B, OWNER_C]);
    const failing = await computeRoutingKpis(
      db,
      { ...ROUTING_WINDOW, by: 'owner' },
      {
        ownerNames: async () => {
          throw new Error('Salesforce unavailable');
        },
      },
    );
    expect(failing.groups.map((g) => g.label)).toEqual([null, null, null]);
    expect(failing.groups[0]?.assigned.total).toBe(2);
  });

  it('counts nothing in a window without assignments', async () => {
    const report = await computeRoutingKpis(db, {
      from: new Date('2027-01-01T00:00:00Z'),
      to: new Date('2027-02-01T00:00:00Z'),
      by: 'owner',
    });
    expect(report.groups).toEqual([]);
  });

  it('writes one CSV row per owner, ratios as numbers, the unrecorded key named', async () => {
    const csv = routingKpisToCsv(await computeRoutingKpis(db, { ...ROUTING_WINDOW, by: 'pool' }));
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'pool,label,assigned,assigned_initial,assigned_rerouted,rerouted_away,sql,mql_to_sql,first_response_count,' +
        'first_response_median_minutes,first_response_p90_minutes,first_touch_sla_met,first_touch_sla_decided,' +
        'first_touch_sla_breached,first_touch_sla_adherence',
    );
    expect(lines[1]).toMatch(/^ent,,4,3,1,1,3,0\.75,2,15,19(\.0*\d*)?,2,3,1,0\.666/);
    expect(lines[2]).toBe('(no pool),,1,1,0,0,0,0,1,90,90,0,1,0,0');
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});
