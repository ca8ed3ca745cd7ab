import { describe, expect, it } from '@jest/globals';
import {
  type ContactOutcome,
  type OutcomeStatus,
  outcomeStatus,
  sqlLabel,
  tallyOutcomes,
  wonLabel,
} from '../../../../src/core/calibration/outcome.ts';

const outcome = (over: Partial<ContactOutcome>): ContactOutcome => ({
  becameSql: false,
  won: false,
  lost: false,
  rejectionReason: null,
  ...over,
});

describe('a contact outcome in one word', () => {
  it.each([
    [{}, 'open', undefined, undefined],
    [{ rejectionReason: 'bad_fit' }, 'rejected', false, false],
    [{ becameSql: true }, 'sql', true, undefined],
    // Rejected, then accepted (a recycled contact sales took after all): accepted.
    [{ becameSql: true, rejectionReason: 'bad_timing' }, 'sql', true, undefined],
    [{ becameSql: true, lost: true }, 'lost', true, false],
    [{ becameSql: true, won: true }, 'won', true, true],
    // Won and lost both recorded (a second opportunity): won.
    [{ becameSql: true, won: true, lost: true }, 'won', true, true],
  ] as const)('%j → %s (became SQL: %s, won: %s)', (over, status, sql, won) => {
    const s = outcomeStatus(outcome(over));
    expect(s).toBe(status);
    expect(sqlLabel(s)).toBe(sql);
    expect(wonLabel(s)).toBe(won);
  });

  it.each([
    [[], { contacts: 0, open: 0, sql: 0, won: 0, lost: 0, rejected: 0, sqlRate: null, winRate: null }],
    [['open', 'open'], { contacts: 2, open: 2, sql: 0, won: 0, lost: 0, rejected: 0, sqlRate: null, winRate: null }],
    // SQL 3 of 4 decided; won 1 of 3 ended (the open SQL may still be won).
    [
      ['won', 'lost', 'sql', 'rejected', 'open'],
      { contacts: 5, open: 1, sql: 1, won: 1, lost: 1, rejected: 1, sqlRate: 0.75, winRate: 1 / 3 },
    ],
  ] as [OutcomeStatus[], object][])('tallies %j', (statuses, tally) => {
    expect(tallyOutcomes(statuses)).toEqual(tally);
  });
});
