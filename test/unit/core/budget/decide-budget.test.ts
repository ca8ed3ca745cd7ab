import { describe, expect, it } from '@jest/globals';
import { type BudgetSnapshot, decideBudget, type Quota, releaseWaitMs } from '../../../../src/core/budget/decide-budget.ts';
import { ceilingFor, DEFAULT_SHARES, type Priority, parseShares } from '../../../../src/core/budget/priority.ts';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const MIN = 60_000;
const shares = DEFAULT_SHARES; // handoff 100 %, sync 90 %, bulk 70 %

const daily = (used: number, limit = 1000): Quota => ({ name: 'daily', used, limit, shares, release: { kind: 'at', at: NOW + 30 * MIN } });
const rolling = (used: number, limit: number, expiries: { at: number; calls: number }[]): Quota => ({
  name: 'allocation',
  used,
  limit,
  shares,
  release: { kind: 'rolling', expiries },
});
const snapshot = (quotas: Quota[], outage?: BudgetSnapshot['outage']): BudgetSnapshot => ({ provider: 'test', quotas, outage });

describe('decideBudget', () => {
  // [case, snapshot, priority, proceed, waitMs]
  const table: [string, BudgetSnapshot, Priority, boolean, number][] = [
    ['no quota at all', snapshot([]), 'bulk', true, 0],
    ['plenty left', snapshot([daily(100)]), 'bulk', true, 0],
    ['bulk at 699 of 1000 may take the 700th', snapshot([daily(699)]), 'bulk', true, 0],
    ['bulk at 700 of 1000 stops (70 %)', snapshot([daily(700)]), 'bulk', false, 30 * MIN],
    ['sync at 700 goes on', snapshot([daily(700)]), 'sync', true, 0],
    ['sync at 900 stops (90 %)', snapshot([daily(900)]), 'sync', false, 30 * MIN],
    ['handoff at 900 goes on', snapshot([daily(900)]), 'handoff', true, 0],
    ['handoff at 999 takes the last unit', snapshot([daily(999)]), 'handoff', true, 0],
    ['handoff at 1000 stops', snapshot([daily(1000)]), 'handoff', false, 30 * MIN],
    ['over the limit (a provider count) stops handoffs', snapshot([daily(1200)]), 'handoff', false, 30 * MIN],
    [
      'an outage stops handoffs whatever the counts',
      snapshot([daily(0)], { reason: 'REQUEST_LIMIT_EXCEEDED', until: NOW + 5 * MIN }),
      'handoff',
      false,
      5 * MIN,
    ],
    ['an outage already over does not stop anything', snapshot([daily(0)], { reason: 'x', until: NOW - 1 }), 'bulk', true, 0],
    [
      'the stricter of two quotas decides, waiting for the later release',
      snapshot([daily(10), { ...daily(95, 100), name: 'org', release: { kind: 'at', at: NOW + 60 * MIN } }]),
      'bulk',
      false,
      60 * MIN,
    ],
    [
      'rolling: waits until enough minutes leave the window',
      snapshot([
        rolling(71, 100, [
          { at: NOW + 1 * MIN, calls: 1 },
          { at: NOW + 2 * MIN, calls: 1 },
          { at: NOW + 3 * MIN, calls: 69 },
        ]),
      ]),
      'bulk',
      false,
      2 * MIN,
    ],
    [
      'rolling: one call over the ceiling waits for the first expiry',
      snapshot([
        rolling(70, 100, [
          { at: NOW + 4 * MIN, calls: 3 },
          { at: NOW + 9 * MIN, calls: 67 },
        ]),
      ]),
      'bulk',
      false,
      4 * MIN,
    ],
  ];
  it.each(table)('%s', (_case, given, priority, proceed, waitMs) => {
    const decision = decideBudget(given, priority, NOW);
    expect({ proceed: decision.proceed, waitMs: decision.waitMs }).toEqual({ proceed, waitMs });
    expect(decision.reason.length).toBeGreaterThan(0);
  });

  it('names the quota, the use and the share in a refusal', () => {
    const decision = decideBudget(snapshot([daily(700)]), 'bulk', NOW);
    expect(decision.reason).toBe('test budget reserved for more urgent work: daily: 700 of 1000 used, bulk may use 700 (70 %)');
  });

  it('never tells a refused call to come back in less than a second', () => {
    expect(decideBudget(snapshot([{ ...daily(1000), release: { kind: 'at', at: NOW + 10 } }]), 'handoff', NOW).waitMs).toBe(1_000);
  });
});

describe('releaseWaitMs', () => {
  it('falls back to the last expiry when the buckets do not cover the use', () => {
    expect(releaseWaitMs(rolling(500, 100, [{ at: NOW + 3 * MIN, calls: 10 }]), 100, NOW)).toBe(3 * MIN);
  });
});

describe('ceilingFor and parseShares', () => {
  it.each([
    [1000, 'handoff', 1000],
    [1000, 'sync', 900],
    [1000, 'bulk', 700],
    [10, 'bulk', 7],
    [1, 'bulk', 1],
    [0, 'handoff', 0],
  ] as const)('limit %i for %s → %i', (limit, priority, ceiling) => {
    expect(ceilingFor(limit, shares, priority)).toBe(ceiling);
  });

  it('reads percentages, keeps handoff at 100 and refuses bulk above sync', () => {
    expect(parseShares('bulk:50, sync:80')).toEqual({ shares: { handoff: 1, sync: 0.8, bulk: 0.5 } });
    expect(parseShares('')).toEqual({ shares: DEFAULT_SHARES });
    expect(parseShares('bulk:95')).toEqual({ problem: expect.stringContaining('bulk (95) may not exceed sync (90)') });
    expect(parseShares('handoff:50')).toEqual({ problem: expect.stringContaining('"handoff:50"') });
    expect(parseShares('sync:0')).toEqual({ problem: 'sync share must be 1..100, got 0' });
  });
});
