import { DateTime } from 'luxon';

/** At most `max` calls in any rolling window of `windowMs`. */
export interface RateWindow {
  max: number;
  windowMs: number;
}

/**
 * Whether keeping to `kept` also keeps to `other`. A window of length L holds at most ceil(L / kept.windowMs)
 * full bursts of `kept`, so `other` is implied when it allows that many calls in its own window.
 */
export function implies(kept: RateWindow, other: RateWindow): boolean {
  const bursts = Math.max(1, Math.ceil(other.windowMs / kept.windowMs));
  return other.max >= kept.max * bursts;
}

/**
 * The windows to keep to: ours (the configured limit), plus what the provider reported in its headers when
 * ours does not already imply it. A stricter report is honoured; a looser one changes nothing.
 */
export function windowsToKeep(configured: RateWindow, reported: RateWindow | undefined): RateWindow[] {
  if (!reported || reported.max < 1 || reported.windowMs < 1 || implies(configured, reported)) return [configured];
  if (implies(reported, configured)) return [reported];
  return [configured, reported];
}

/** Midnight that starts the day containing `now` in `zone`, and the next one (a quota's day resets there). */
export function dayBounds(now: number, zone: string): { start: number; end: number } {
  const start = DateTime.fromMillis(now, { zone }).startOf('day');
  return { start: start.toMillis(), end: start.plus({ days: 1 }).toMillis() };
}
