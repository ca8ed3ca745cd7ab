import { type BusinessCalendar, parseSlaRules, type SlaRules } from '../../../../src/core/sla/sla-schema.ts';
import { parsedValue } from '../helpers.ts';

const WEEKDAY_HOURS = ['09:00', '17:30'];

/** Berlin, 09:00–17:30 Monday to Friday, Easter 2026 (Good Friday 3 April, Easter Monday 6 April) closed. */
export const berlinRules = (rules: unknown[] = [defaultRule], extra: Record<string, unknown> = {}): SlaRules =>
  parsedValue(
    parseSlaRules('sla-rules.yaml', {
      version: 't1',
      calendar: {
        timeZone: 'Europe/Berlin',
        businessHours: {
          mon: WEEKDAY_HOURS,
          tue: WEEKDAY_HOURS,
          wed: WEEKDAY_HOURS,
          thu: WEEKDAY_HOURS,
          fri: WEEKDAY_HOURS,
          sat: null,
          sun: null,
        },
        holidays: ['2026-04-03', '2026-04-06'],
      },
      rules,
      ...extra,
    }),
  );

export const defaultRule = {
  id: 'content',
  label: 'Content MQLs',
  default: true,
  firstTouch: { within: 4, unit: 'businessHours' },
  disposition: { within: 5, unit: 'businessDays' },
};

export const berlin: BusinessCalendar = berlinRules().calendar;

/** New York, 09:00–17:00 Monday to Friday (US daylight saving starts Sunday 8 March 2026). */
export const newYork: BusinessCalendar = {
  timeZone: 'America/New_York',
  businessHours: {
    mon: ['09:00', '17:00'],
    tue: ['09:00', '17:00'],
    wed: ['09:00', '17:00'],
    thu: ['09:00', '17:00'],
    fri: ['09:00', '17:00'],
    sat: null,
    sun: null,
  },
  holidays: [],
};

export const utc = (iso: string): Date => new Date(iso);
