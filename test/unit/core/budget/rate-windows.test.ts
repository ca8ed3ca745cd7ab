import { describe, expect, it } from '@jest/globals';
import { dayBounds, implies, windowsToKeep } from '../../../../src/core/budget/rate-windows.ts';

const ours = { max: 100, windowMs: 10_000 };

describe('windowsToKeep: the stricter of our limit and what HubSpot reported', () => {
  it.each([
    ['nothing reported', undefined, [ours]],
    ['the same limit', { max: 100, windowMs: 10_000 }, [ours]],
    ['a looser max', { max: 190, windowMs: 10_000 }, [ours]],
    ['a lower max in the same window replaces ours', { max: 50, windowMs: 10_000 }, [{ max: 50, windowMs: 10_000 }]],
    ['a short window with a low max is kept beside ours', { max: 20, windowMs: 1_000 }, [ours, { max: 20, windowMs: 1_000 }]],
    ['a short window ours already implies', { max: 100, windowMs: 1_000 }, [ours]],
    [
      'a longer window with fewer calls than ours allows there is kept beside ours',
      { max: 150, windowMs: 20_000 },
      [ours, { max: 150, windowMs: 20_000 }],
    ],
    ['a longer window that alone is stricter replaces ours', { max: 80, windowMs: 20_000 }, [{ max: 80, windowMs: 20_000 }]],
    ['a nonsense report is ignored', { max: 0, windowMs: 10_000 }, [ours]],
  ])('%s', (_case, reported, expected) => {
    expect(windowsToKeep(ours, reported)).toEqual(expected);
  });

  it('implies counts every burst a longer window can hold', () => {
    expect(implies({ max: 10, windowMs: 1_000 }, { max: 30, windowMs: 2_500 })).toBe(true);
    expect(implies({ max: 10, windowMs: 1_000 }, { max: 29, windowMs: 2_500 })).toBe(false);
  });
});

describe('dayBounds', () => {
  it('starts and ends the day at midnight in the portal time zone', () => {
    const now = Date.parse('2026-11-23T03:30:00Z'); // 22:30 the day before in New York
    expect(dayBounds(now, 'America/New_York')).toEqual({
      start: Date.parse('2026-11-22T05:00:00Z'),
      end: Date.parse('2026-11-23T05:00:00Z'),
    });
    expect(dayBounds(now, 'UTC')).toEqual({ start: Date.parse('2026-11-23T00:00:00Z'), end: Date.parse('2026-11-24T00:00:00Z') });
  });

  it('has 23 hours on the day clocks go forward', () => {
    const { start, end } = dayBounds(Date.parse('2026-03-29T12:00:00Z'), 'Europe/Berlin');
    expect(end - start).toBe(23 * 60 * 60 * 1000);
  });
});
