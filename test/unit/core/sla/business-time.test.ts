import { describe, expect, it } from '@jest/globals';
import { addBusinessTime, businessDurationMs, isBusinessTime, parseDuration } from '../../../../src/core/sla/business-time.ts';
import type { BusinessCalendar, SlaUnit } from '../../../../src/core/sla/sla-schema.ts';
import { berlin, newYork, utc } from './support.ts';

// Berlin is UTC+1 until Sunday 29 March 2026 03:00, then UTC+2. Local times are in the comments.
describe('addBusinessTime', () => {
  const cases: Array<[string, string, number, SlaUnit, BusinessCalendar, string]> = [
    ['minutes are wall clock, even past closing (Fri 17:28 → 17:33)', '2026-03-27T16:28:00Z', 5, 'minutes', berlin, '2026-03-27T16:33:00Z'],
    [
      'business minutes stop at closing and resume Monday (Fri 17:28 → Mon 09:03, after the DST change)',
      '2026-03-27T16:28:00Z',
      5,
      'businessMinutes',
      berlin,
      '2026-03-30T07:03:00Z',
    ],
    ['business hours inside one day (Mon 10:00 → 14:00)', '2026-03-02T09:00:00Z', 4, 'businessHours', berlin, '2026-03-02T13:00:00Z'],
    [
      'the hour before closing carries over to the next morning (Mon 16:30 → Tue 12:00)',
      '2026-03-02T15:30:00Z',
      4,
      'businessHours',
      berlin,
      '2026-03-03T11:00:00Z',
    ],
    [
      'a clock that runs out at closing is due at closing (Mon 13:30 → 17:30)',
      '2026-03-02T12:30:00Z',
      4,
      'businessHours',
      berlin,
      '2026-03-02T16:30:00Z',
    ],
    [
      'a weekend handoff starts Monday at opening (Sat 11:00 → Mon 13:00)',
      '2026-03-07T10:00:00Z',
      4,
      'businessHours',
      berlin,
      '2026-03-09T12:00:00Z',
    ],
    [
      'before opening counts from opening (Mon 07:00 → Mon 09:45)',
      '2026-03-02T06:00:00Z',
      45,
      'businessMinutes',
      berlin,
      '2026-03-02T08:45:00Z',
    ],
    ['across the DST change (Fri 16:00 CET → Mon 11:30 CEST)', '2026-03-27T15:00:00Z', 4, 'businessHours', berlin, '2026-03-30T09:30:00Z'],
    ['holidays are skipped (Thu 16:00 → Easter Tuesday 11:30)', '2026-04-02T14:00:00Z', 4, 'businessHours', berlin, '2026-04-07T09:30:00Z'],
    [
      'another zone and its own DST change (New York Fri 16:00 EST → Mon 10:00 EDT)',
      '2026-03-06T21:00:00Z',
      2,
      'businessHours',
      newYork,
      '2026-03-09T14:00:00Z',
    ],
    [
      'business days keep the local time (Mon 10:00 → Wed 10:00)',
      '2026-03-02T09:00:00Z',
      2,
      'businessDays',
      berlin,
      '2026-03-04T09:00:00Z',
    ],
    [
      'business days skip the weekend and keep local time across DST (Fri 16:00 → Tue 16:00)',
      '2026-03-27T15:00:00Z',
      2,
      'businessDays',
      berlin,
      '2026-03-31T14:00:00Z',
    ],
    [
      'business days from a weekend count from Monday opening (Sat 11:00 → Wed 09:00)',
      '2026-03-07T10:00:00Z',
      2,
      'businessDays',
      berlin,
      '2026-03-11T08:00:00Z',
    ],
    [
      'business days after closing count from the next opening (Mon 18:00 → Wed 09:00)',
      '2026-03-02T17:00:00Z',
      1,
      'businessDays',
      berlin,
      '2026-03-04T08:00:00Z',
    ],
    [
      'business days skip holidays (Thu 10:00 → Wed after Easter 10:00)',
      '2026-04-02T08:00:00Z',
      2,
      'businessDays',
      berlin,
      '2026-04-08T08:00:00Z',
    ],
    [
      'a negative amount goes back (Mon 09:30 − 1 business hour → Fri 17:00)',
      '2026-03-09T08:30:00Z',
      -1,
      'businessHours',
      berlin,
      '2026-03-06T16:00:00Z',
    ],
    [
      'negative business days go back at the same local time (Wed 10:00 − 2 → Mon 10:00)',
      '2026-03-04T09:00:00Z',
      -2,
      'businessDays',
      berlin,
      '2026-03-02T09:00:00Z',
    ],
  ];
  it.each(cases)('%s', (_name, start, amount, unit, calendar, expected) => {
    expect(addBusinessTime(utc(start), amount, unit, calendar).toISOString()).toBe(new Date(expected).toISOString());
  });

  it('refuses a calendar whose holidays close every day instead of looping', () => {
    const closed: BusinessCalendar = {
      ...berlin,
      businessHours: { ...berlin.businessHours, mon: null, tue: null, wed: null, thu: null, fri: ['09:00', '10:00'] },
      holidays: [],
    };
    const fridays = Array.from({ length: 200 }, (_, i) => new Date(Date.UTC(2026, 2, 6 + 7 * i)).toISOString().slice(0, 10));
    expect(() => addBusinessTime(utc('2026-03-02T09:00:00Z'), 1, 'businessHours', { ...closed, holidays: fridays })).toThrow(
      /no open hours/,
    );
  });
});

describe('businessDurationMs', () => {
  const hour = 3_600_000;
  it.each([
    ['over a weekend and the DST change', '2026-03-27T15:00:00Z', '2026-03-30T09:30:00Z', 4 * hour],
    ['backwards is negative', '2026-03-30T09:30:00Z', '2026-03-27T15:00:00Z', -4 * hour],
    ['inside a weekend', '2026-03-07T08:00:00Z', '2026-03-08T20:00:00Z', 0],
    ['over Easter', '2026-04-02T14:00:00Z', '2026-04-07T09:30:00Z', 4 * hour],
    ['a full working week', '2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z', 5 * 8.5 * hour],
  ])('%s', (_name, from, to, expected) => {
    expect(businessDurationMs(utc(from), utc(to), berlin)).toBe(expected);
  });
});

describe('isBusinessTime', () => {
  it.each([
    ['2026-03-02T08:00:00Z', true], // Mon 09:00 opening
    ['2026-03-02T16:29:59Z', true],
    ['2026-03-02T16:30:00Z', false], // Mon 17:30 closing
    ['2026-03-07T10:00:00Z', false], // Saturday
    ['2026-04-03T08:00:00Z', false], // Good Friday
  ])('%s → %s', (at, expected) => {
    expect(isBusinessTime(utc(at), berlin)).toBe(expected);
  });
});

describe('parseDuration', () => {
  it.each([
    ['2m', 2, 'minutes', 120_000],
    ['4h', 4, 'hours', 14_400_000],
    ['1d', 1, 'days', 86_400_000],
  ])('%s', (text, amount, unit, ms) => {
    expect(parseDuration(text)).toEqual({ amount, unit, ms });
  });
  it.each(['2', 'h', '1.5h', '-1h', '2w', ''])('refuses %p', (text) => {
    expect(() => parseDuration(text)).toThrow(/not a duration/);
  });
});
