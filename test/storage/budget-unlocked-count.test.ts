import { beforeEach, describe, expect, it } from '@jest/globals';
import { type ApiBudgets, createApiBudgets } from '../../src/budgets/api-budgets.ts';
import { FAST_RESERVATION_MARGIN } from '../../src/budgets/budget-deps.ts';
import { DEFAULT_SHARES, type Priority } from '../../src/core/budget/priority.ts';
import { silentLogger } from '../../src/log.ts';
import { countCallReadingState, readBudgetState } from '../../src/store/api-budget.ts';
import type { Database } from '../../src/store/database.ts';
import { useFreshDatabase } from '../support/databases.ts';

/**
 * The budgets count a call without the cross-replica lock while far from every ceiling (core/budget/fast-reservation.ts).
 * These tests hold the counts exact on both paths and under concurrent callers.
 */
describe('budget calls counted in one statement, and under the lock near a ceiling', () => {
  let db: Database;
  useFreshDatabase((given) => (db = given));

  beforeEach(async () => {
    await db.exec(
      'DELETE FROM api_call_counts; DELETE FROM api_reported_usage; DELETE FROM api_outages; DELETE FROM api_rate_slots; DELETE FROM api_urgent_calls;',
    );
  });

  const budgetsWith = (limits: { hubspotDaily: number; salesforceAllocation?: number }): ApiBudgets =>
    createApiBudgets({
      db,
      logger: silentLogger(),
      hubspot: { burstLimit: 250, dailyLimit: limits.hubspotDaily, timezone: 'UTC', shares: DEFAULT_SHARES },
      salesforce: { allocation: limits.salesforceAllocation, allocationShares: DEFAULT_SHARES, orgShares: DEFAULT_SHARES },
      sleep: async () => {},
    });

  const counted = async (provider: 'hubspot' | 'salesforce') => {
    const rows = await db.query<{ calls: string }>(
      'SELECT coalesce(sum(calls), 0)::text AS calls FROM api_call_counts WHERE provider = $1',
      [provider],
    );
    return Number(rows.rows[0]?.calls);
  };

  it('reads the state as it was before the call it counts, and records an urgent call', async () => {
    const at = Date.parse('2026-12-07T12:00:30Z');
    const first = await countCallReadingState(db, 'hubspot', { priority: 'handoff', at, urgentAt: at }, at - 60_000);
    const second = await countCallReadingState(db, 'hubspot', { priority: 'bulk', at: at + 1 }, at - 60_000);
    expect([first.calls, second.calls]).toEqual([0, 1]);
    expect(second.lastUrgentCallMs).toBe(at);
    expect((await readBudgetState(db, 'hubspot', at - 60_000)).calls).toBe(2);
  });

  it('counts every one of 60 concurrent HubSpot and Salesforce calls exactly once, far from the limits', async () => {
    const budgets = budgetsWith({ hubspotDaily: 500_000, salesforceAllocation: 100_000 });
    const priorities: Priority[] = ['handoff', 'sync', 'bulk'];
    await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const ended = await budgets.hubspot.beforeCall(priorities[i % 3]!, 'standard');
        await ended();
        await budgets.salesforce.beforeCall(priorities[i % 3]!);
      }),
    );
    expect(await counted('hubspot')).toBe(30);
    expect(await counted('salesforce')).toBe(30);
  });

  it(`within ${FAST_RESERVATION_MARGIN} calls of the ceiling takes the count back and decides under the lock: the last call is refused, none over`, async () => {
    const budgets = budgetsWith({ hubspotDaily: 40, salesforceAllocation: 40 });
    const hubspot = await Promise.allSettled(Array.from({ length: 45 }, () => budgets.hubspot.beforeCall('handoff', 'standard')));
    const salesforce = await Promise.allSettled(Array.from({ length: 45 }, () => budgets.salesforce.beforeCall('handoff')));
    expect(hubspot.filter((r) => r.status === 'fulfilled')).toHaveLength(40);
    expect(salesforce.filter((r) => r.status === 'fulfilled')).toHaveLength(40);
    expect(hubspot.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)).toEqual(
      Array.from({ length: 5 }, () => expect.objectContaining({ code: 'BUDGET_RESERVED' })),
    );
    expect(await counted('hubspot')).toBe(40);
    expect(await counted('salesforce')).toBe(40);
  });

  it('an open outage sends the call to the locked check, which refuses it without leaving a count', async () => {
    const budgets = budgetsWith({ hubspotDaily: 500_000 });
    await db.query(
      `INSERT INTO api_outages (provider, kind, reason, retry_at) VALUES ('hubspot', 'budget', 'DAILY 429', now() + interval '1 hour')`,
    );
    await expect(budgets.hubspot.beforeCall('handoff', 'standard')).rejects.toMatchObject({ code: 'BUDGET_EXHAUSTED' });
    expect(await counted('hubspot')).toBe(0);
  });
});
