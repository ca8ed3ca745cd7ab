import { describe, expect, it } from '@jest/globals';
import { recycleAfterInstant, recycleDue } from '../../../../src/core/handoff/recycle.ts';

describe('recycleDue', () => {
  const table: Array<[string, string | null | undefined, string | null | undefined, string, boolean]> = [
    // stage, recycle-after, now, due
    ['recycled with no date: at once', 'recycled', '', '2026-05-01T00:00:00Z', true],
    ['recycled, date not reached', 'recycled', '2026-05-02', '2026-05-01T23:59:59Z', false],
    ['rejected with no date: the rejection holds', 'rejected', null, '2026-05-01T00:00:00Z', false],
    ['rejected, date reached at midnight UTC', 'rejected', '2026-05-01', '2026-05-01T00:00:00Z', true],
    ['rejected, a second before the date', 'rejected', '2026-05-01', '2026-04-30T23:59:59Z', false],
    ['a date-time later on the same day is not yet due', 'rejected', '2026-05-01T09:00:00+02:00', '2026-05-01T06:00:00Z', false],
    // Text comparison said "not due" here: "2026-05-01T09:00:00+02:00" sorts after "2026-05-01".
    ['a date-time earlier on the same day is due', 'rejected', '2026-05-01T09:00:00+02:00', '2026-05-01T08:00:00Z', true],
    // Text comparison said "not due": the date part (05-01) is after today's UTC date (04-30).
    ['an offset that puts the instant on the day before', 'recycled', '2026-05-01T01:00:00+02:00', '2026-04-30T23:30:00Z', true],
    ['a negative offset that puts the instant on the next day', 'rejected', '2026-04-30T22:00:00-05:00', '2026-05-01T02:00:00Z', false],
    ['epoch milliseconds', 'rejected', String(Date.parse('2026-05-01T00:00:00Z')), '2026-05-01T00:00:00Z', true],
    ['a date-time without offset is UTC', 'rejected', '2026-05-01T10:00:00', '2026-05-01T10:00:00Z', true],
    ['an unreadable date is not due', 'recycled', 'soon', '2030-01-01T00:00:00Z', false],
    ['an open Lead is never recycled', 'mql', '2020-01-01', '2026-05-01T00:00:00Z', false],
    ['no known stage', undefined, '2020-01-01', '2026-05-01T00:00:00Z', false],
  ];
  it.each(table)('%s', (_name, stage, after, now, due) => {
    const verdict = recycleDue(stage, after, new Date(now));
    expect(verdict.due).toBe(due);
    expect(verdict.reason).toEqual(expect.any(String));
  });
});

describe('recycleAfterInstant', () => {
  it('reads a date as the start of that day in UTC, and offsets as instants', () => {
    expect(recycleAfterInstant('2026-05-01')?.toISOString()).toBe('2026-05-01T00:00:00.000Z');
    expect(recycleAfterInstant('2026-05-01T09:00:00+02:00')?.toISOString()).toBe('2026-05-01T07:00:00.000Z');
    expect(recycleAfterInstant('not a date')).toBeUndefined();
  });
});
