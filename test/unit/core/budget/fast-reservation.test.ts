import { describe, expect, it } from '@jest/globals';
import type { BudgetSnapshot, Quota } from '../../../../src/core/budget/decide-budget.ts';
import { fastReservation } from '../../../../src/core/budget/fast-reservation.ts';
import { DEFAULT_SHARES, type Priority } from '../../../../src/core/budget/priority.ts';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const MARGIN = 10;
const quota = (used: number, limit: number): Quota => ({
  name: 'daily',
  used,
  limit,
  shares: DEFAULT_SHARES, // handoff 100 %, sync 90 %, bulk 70 %
  release: { kind: 'at', at: NOW + 60_000 },
});
const snapshot = (quotas: Quota[], outage?: BudgetSnapshot['outage']): BudgetSnapshot => ({ provider: 'test', quotas, outage });

describe('fastReservation: a call goes without the lock only when no concurrent count could carry it past a ceiling', () => {
  // [case, snapshot, priority, goes unlocked]
  const table: [string, BudgetSnapshot, Priority, boolean][] = [
    ['no quota at all', snapshot([]), 'handoff', true],
    ['far from the limit', snapshot([quota(100, 1_000)]), 'handoff', true],
    ['the call plus the margin fit exactly (989 + 1 + 10 = 1,000)', snapshot([quota(989, 1_000)]), 'handoff', true],
    ['one more and the margin no longer fits: locked', snapshot([quota(990, 1_000)]), 'handoff', false],
    ["bulk's ceiling (70 %) is what counts for bulk", snapshot([quota(690, 1_000)]), 'bulk', false],
    ['the same use is roomy for a handoff', snapshot([quota(690, 1_000)]), 'handoff', true],
    ["sync's ceiling (90 %) for sync", snapshot([quota(889, 1_000)]), 'sync', true],
    ['every quota must have room: the tight one sends it to the lock', snapshot([quota(0, 1_000), quota(995, 1_000)]), 'handoff', false],
    ['a refusal is never decided without the lock', snapshot([quota(1_000, 1_000)]), 'handoff', false],
    [
      'an outage, even with room, goes to the lock',
      snapshot([quota(0, 1_000)], { reason: 'REQUEST_LIMIT_EXCEEDED', until: NOW + 1 }),
      'handoff',
      false,
    ],
    ['a limit smaller than the margin always takes the lock', snapshot([quota(0, 5)]), 'handoff', false],
  ];
  it.each(table)('%s', (_name, given, priority, unlocked) => {
    const decision = fastReservation(given, priority, NOW, MARGIN);
    if (unlocked) expect(decision).toMatchObject({ proceed: true, waitMs: 0 });
    else expect(decision).toBeUndefined();
  });
});
