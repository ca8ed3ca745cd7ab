import { describe, expect, it } from '@jest/globals';
import { runBacktest } from '../../src/config/versions/backtest.ts';
import { computeKpis } from '../../src/kpis/compute-kpis.ts';
import { silentLogger } from '../../src/log.ts';
import { seedSandboxHistory } from '../../src/sandbox/seed-history.ts';
import type { Database } from '../../src/store/database.ts';
import { useFreshDatabase } from '../support/databases.ts';
import { shippedBundle } from '../unit/core/helpers.ts';

const bundle = shippedBundle();
const now = new Date('2026-05-14T10:30:00Z');

describe('seeding the sandbox quarter into PostgreSQL', () => {
  let db: Database;
  useFreshDatabase((opened) => {
    db = opened;
  });

  it('writes the quarter in one go, then leaves a database with history alone', async () => {
    const outcome = await seedSandboxHistory({ db, mappings: bundle, now, logger: silentLogger() });
    if (!outcome.seeded) throw new Error(outcome.reason);
    expect(outcome.to <= new Date('2026-05-14T00:00:00Z')).toBe(true);
    const count = async (table: string) => Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
    expect(await count('mql_evaluations')).toBe(3_000);
    expect(await count('lead_assignments')).toBe(outcome.counts.mql);
    expect(await count('opportunities')).toBeGreaterThan(outcome.counts.won + outcome.counts.lost);
    // No clock left running for the SLA tick, and nothing dated today.
    expect(await count('sla_timers WHERE stopped_at IS NULL AND breached_at IS NULL')).toBe(0);
    expect(await count(`handoff_history WHERE at >= '2026-05-14T00:00:00Z'`)).toBe(0);

    const again = await seedSandboxHistory({ db, mappings: bundle, now, logger: silentLogger() });
    expect(again).toEqual({ seeded: false, reason: 'the database already has handoff history' });
    expect(await count('mql_evaluations')).toBe(3_000);
  });

  it('gives the funnel KPIs a plausible quarter: MQLs, SQLs, won deals and a win rate', async () => {
    const report = await computeKpis(db, {
      from: new Date('2026-02-01T00:00:00Z'),
      to: new Date('2026-05-14T00:00:00Z'),
      groupBy: 'scoreBand',
    });
    const { funnel, rates, revenue } = report.total;
    expect(funnel.mql).toBeGreaterThan(500);
    expect(funnel.sql).toBeGreaterThan(funnel.mql * 0.25);
    expect(funnel.sql).toBeLessThan(funnel.mql * 0.7);
    expect(revenue.won).toBeGreaterThan(20);
    expect(revenue.wonAmount).toBeGreaterThan(0);
    expect(rates.winRate).toBeGreaterThan(0.15);
    expect(rates.winRate).toBeLessThan(0.6);
    expect(report.total.rejectionReasons.length).toBeGreaterThan(3);
    expect(report.total.sla.firstTouch.decided).toBeGreaterThan(0);
    expect(report.groups.length).toBeGreaterThan(3);
  });

  it('answers a backtest of the active definition over the quarter with outcomes, rule lift and score bands', async () => {
    const report = await runBacktest(
      db,
      { active: bundle.mql, draft: bundle.mql },
      { from: new Date('2026-02-01T00:00:00Z'), to: new Date('2026-05-14T00:00:00Z') },
    );
    expect(report.contacts).toEqual({ evaluated: 3_000, replayed: 3_000, notReplayable: 0 });
    expect(report.mql.active).toBe(report.mql.draft);
    expect(report.baseline.won).toBeGreaterThan(20);
    expect(report.groups.both.sqlRate).not.toBeNull();
    expect(report.rules.find((rule) => rule.ruleId === 'job-title-decision-maker')?.sqlLift).toBeGreaterThan(1);
    expect(report.scoreBands.filter((band) => band.mql > 0).length).toBeGreaterThan(3);
    expect(report.segments.map((segment) => segment.segmentId).sort()).toEqual(['enterprise', 'smb']);
  });
});

describe('two processes starting on one sandbox database', () => {
  let db: Database;
  useFreshDatabase((opened) => {
    db = opened;
  });

  it('seed it once: the second finds the first one’s history under the lock', async () => {
    const outcomes = await Promise.all([
      seedSandboxHistory({ db, mappings: bundle, now, logger: silentLogger() }),
      seedSandboxHistory({ db, mappings: bundle, now, logger: silentLogger() }),
    ]);
    expect(outcomes.filter((outcome) => outcome.seeded)).toHaveLength(1);
    const evaluations = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM mql_evaluations');
    expect(evaluations.rows[0]!.n).toBe(3_000);
  });
});
