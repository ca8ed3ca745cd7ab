import { DateTime } from 'luxon';
import { type BusinessCalendar, type SlaUnit, WEEKDAYS } from './sla-schema.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** A guard, not a rule: no real SLA spans this long, and a calendar closed by holidays must not loop forever. */
const MAX_DAYS_SCANNED = 3 * 366;

/** One day's business hours as instants (epoch ms). Built per local day, so DST days get their true length. */
interface OpenInterval {
  open: number;
  close: number;
}

/**
 * `start` plus `amount` of `unit` (a negative amount goes back, for warnings):
 * - minutes: wall-clock time, nights and weekends included;
 * - businessMinutes / businessHours: only time inside the calendar's business hours, in its time zone,
 *   skipping closed days and holidays (a clock that runs out exactly at closing is due at closing);
 * - businessDays: N business days later at the same local time. A start outside business hours counts
 *   from the next opening (from the last closing when going back); the time is kept within that day's
 *   hours when the days' hours differ. Chosen over "end of day N" so every handoff gets the same span.
 */
export function addBusinessTime(start: Date, amount: number, unit: SlaUnit, calendar: BusinessCalendar): Date {
  switch (unit) {
    case 'minutes':
      return new Date(start.getTime() + amount * MINUTE_MS);
    case 'businessMinutes':
      return new Date(shiftBusinessMs(start.getTime(), amount * MINUTE_MS, calendar));
    case 'businessHours':
      return new Date(shiftBusinessMs(start.getTime(), amount * HOUR_MS, calendar));
    case 'businessDays':
      return new Date(shiftBusinessDays(start.getTime(), amount, calendar));
  }
}

/** Business time between two instants in ms (negative when `to` is before `from`). */
export function businessDurationMs(from: Date, to: Date, calendar: BusinessCalendar): number {
  const [a, b] = [from.getTime(), to.getTime()];
  if (b < a) return -businessDurationMs(to, from, calendar);
  let total = 0;
  for (let day = localDay(a, calendar), n = 0; day.toMillis() < b && n < MAX_DAYS_SCANNED; day = day.plus({ days: 1 }), n++) {
    const hours = openIntervalOf(day, calendar);
    if (hours) total += Math.max(0, Math.min(b, hours.close) - Math.max(a, hours.open));
  }
  return total;
}

export interface Duration {
  amount: number;
  unit: 'minutes' | 'hours' | 'days';
  /** Wall-clock length (a day is 24 h). */
  ms: number;
}

const DURATION_UNITS = { m: ['minutes', MINUTE_MS], h: ['hours', HOUR_MS], d: ['days', DAY_MS] } as const;

/** '2m' → 2 minutes, '4h' → 4 hours, '1d' → 1 day; throws on anything else (the schema checks files first). */
export function parseDuration(text: string): Duration {
  const match = /^(\d+)([mhd])$/.exec(text.trim());
  if (!match?.[1] || !match[2]) throw new Error(`not a duration: "${text}" (expected e.g. '2m', '4h', '1d')`);
  const amount = Number(match[1]);
  const [unit, unitMs] = DURATION_UNITS[match[2] as keyof typeof DURATION_UNITS];
  return { amount, unit, ms: amount * unitMs };
}

/** True when the instant falls inside business hours (open ≤ t < close). */
export function isBusinessTime(at: Date, calendar: BusinessCalendar): boolean {
  const hours = openIntervalOf(localDay(at.getTime(), calendar), calendar);
  return hours !== null && at.getTime() >= hours.open && at.getTime() < hours.close;
}

function localDay(ms: number, calendar: BusinessCalendar): DateTime {
  return DateTime.fromMillis(ms, { zone: calendar.timeZone }).startOf('day');
}

function openIntervalOf(day: DateTime, calendar: BusinessCalendar): OpenInterval | null {
  const hours = calendar.businessHours[WEEKDAYS[day.weekday - 1] ?? 'mon'];
  if (!hours || calendar.holidays.includes(day.toISODate() ?? '')) return null;
  return { open: atLocalTime(day, hours[0]), close: atLocalTime(day, hours[1]) };
}

function atLocalTime(day: DateTime, hhmm: string): number {
  const [hour = 0, minute = 0] = hhmm.split(':').map(Number);
  return day.set({ hour, minute, second: 0, millisecond: 0 }).toMillis();
}

/** Walks day by day, spending the remaining business time in each day's open interval. */
function shiftBusinessMs(startMs: number, deltaMs: number, calendar: BusinessCalendar): number {
  if (deltaMs === 0) return startMs;
  const forward = deltaMs > 0;
  let remaining = Math.abs(deltaMs);
  let day = localDay(startMs, calendar);
  for (let n = 0; n < MAX_DAYS_SCANNED; n++, day = day.plus({ days: forward ? 1 : -1 })) {
    const hours = openIntervalOf(day, calendar);
    if (!hours) continue;
    const from = forward ? Math.max(startMs, hours.open) : Math.min(startMs, hours.close);
    const available = forward ? hours.close - from : from - hours.open;
    if (available <= 0) continue;
    if (remaining <= available) return forward ? from + remaining : from - remaining;
    remaining -= available;
  }
  throw new Error(`the business calendar has no open hours within ${MAX_DAYS_SCANNED} days`);
}

function shiftBusinessDays(startMs: number, days: number, calendar: BusinessCalendar): number {
  const forward = days >= 0;
  const anchor = nextBusinessInstant(startMs, calendar, forward ? 1 : -1);
  const local = DateTime.fromMillis(anchor, { zone: calendar.timeZone });
  let day = local.startOf('day');
  for (let left = Math.abs(days), n = 0; left > 0; n++) {
    if (n >= MAX_DAYS_SCANNED) throw new Error(`the business calendar has no open hours within ${MAX_DAYS_SCANNED} days`);
    day = day.plus({ days: forward ? 1 : -1 });
    if (openIntervalOf(day, calendar)) left--;
  }
  const hours = openIntervalOf(day, calendar);
  if (!hours) return anchor; // days = 0 on a closed day cannot happen: the anchor is inside business hours
  const sameTime = day.set({ hour: local.hour, minute: local.minute, second: local.second, millisecond: local.millisecond }).toMillis();
  return Math.min(Math.max(sameTime, hours.open), hours.close);
}

/** `ms` itself inside business hours; else the next opening (direction 1) or the last closing (-1). */
function nextBusinessInstant(ms: number, calendar: BusinessCalendar, direction: 1 | -1): number {
  let day = localDay(ms, calendar);
  for (let n = 0; n < MAX_DAYS_SCANNED; n++, day = day.plus({ days: direction })) {
    const hours = openIntervalOf(day, calendar);
    if (!hours) continue;
    // Forward, closing time belongs to the next opening; back, opening time belongs to the last closing.
    if (direction === 1 ? ms >= hours.open && ms < hours.close : ms > hours.open && ms <= hours.close) return ms;
    if (direction === 1 && ms < hours.open) return hours.open;
    if (direction === -1 && ms > hours.close) return hours.close;
  }
  throw new Error(`the business calendar has no open hours within ${MAX_DAYS_SCANNED} days`);
}
