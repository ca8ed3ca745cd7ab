import { DateTime } from 'luxon';
import { isBusinessTime } from '../sla/business-time.ts';
import type { BusinessCalendar } from '../sla/sla-schema.ts';
import type { Pool, PoolMember } from './routing-schema.ts';

/** One member's round-robin state, as the database keeps it (exact across replicas: read and written under a lock). */
export interface MemberState {
  /** Smooth weighted round robin's running credit (see pickMember). */
  credit: number;
  /** The local day (pool time zone, YYYY-MM-DD) `assignedToday` counts. */
  day: string | null;
  assignedToday: number;
  paused: boolean;
}

export const FRESH_MEMBER: MemberState = { credit: 0, day: null, assignedToday: 0, paused: false };

/** What the org says of a member's user: its Id and whether it can own records. */
export interface ResolvedUser {
  id: string;
  active: boolean;
}

export type SkipReason =
  | 'paused'
  | 'outside_working_hours'
  | 'daily_cap_reached'
  | 'inactive_in_salesforce'
  | 'not_in_salesforce'
  | 'current_owner';

export interface SkippedMember {
  user: string;
  reason: SkipReason;
  /** For people: "daily cap 25 reached", "outside working hours (Europe/Berlin)". */
  detail: string;
}

export interface PoolPick {
  /** The member dealt the lead, or none when every member was skipped. */
  picked?: { user: string; userId: string };
  skipped: SkippedMember[];
  /** The pool's state after the pick (unchanged members keep their state). */
  next: Map<string, MemberState>;
}

/**
 * Smooth weighted round robin over the members that may take a lead now: each eligible member gains its weight in
 * credit, the one with the most credit (first in file order on a tie) takes the lead and gives back the eligible
 * weights' sum. Over any run with the same eligible members it deals exactly by weight (4 equal members: 250 each
 * of 1,000; weights 2:1:1: 500/250/250), spreading each member's turns evenly. A skipped member's credit stands
 * still, so coming back from a pause or a cap does not flood it with catch-up leads.
 */
export function pickMember(
  pool: Pool,
  state: ReadonlyMap<string, MemberState>,
  users: ReadonlyMap<string, ResolvedUser>,
  now: Date,
  options: { exclude?: readonly string[] } = {},
): PoolPick {
  const next = new Map(state);
  const skipped: SkippedMember[] = [];
  const eligible: PoolMember[] = [];
  for (const member of pool.members ?? []) {
    const current = currentState(next.get(member.user), poolDay(pool, member, now));
    next.set(member.user, current);
    const reason = skipReason(pool, member, current, users.get(member.user), now, options.exclude ?? []);
    if (reason) skipped.push({ user: member.user, ...reason });
    else eligible.push(member);
  }
  if (eligible.length === 0) return { skipped, next };
  const total = eligible.reduce((sum, member) => sum + member.weight, 0);
  let best: PoolMember | undefined;
  for (const member of eligible) {
    const current = next.get(member.user) ?? FRESH_MEMBER;
    const credit = current.credit + member.weight;
    next.set(member.user, { ...current, credit });
    if (!best || credit > (next.get(best.user)?.credit ?? 0)) best = member;
  }
  if (!best) return { skipped, next };
  const chosen = next.get(best.user) ?? FRESH_MEMBER;
  next.set(best.user, { ...chosen, credit: chosen.credit - total, assignedToday: chosen.assignedToday + 1 });
  const userId = users.get(best.user)?.id ?? best.user;
  return { picked: { user: best.user, userId }, skipped, next };
}

/** Who the next lead would go to, without dealing it (the admin page's "next"). */
export function peekNext(
  pool: Pool,
  state: ReadonlyMap<string, MemberState>,
  users: ReadonlyMap<string, ResolvedUser>,
  now: Date,
): PoolPick['picked'] {
  return pickMember(pool, state, users, now).picked;
}

/** The calendar a member's working hours follow: its own, else the pool's, else none (always working). */
export function memberCalendar(pool: Pool, member: PoolMember): BusinessCalendar | undefined {
  return member.calendar ?? pool.calendar;
}

/** The local day a daily cap counts in: the member's or pool's time zone, else UTC. */
export function poolDay(pool: Pool, member: PoolMember, now: Date): string {
  const zone = memberCalendar(pool, member)?.timeZone ?? 'UTC';
  return DateTime.fromJSDate(now, { zone }).toISODate() ?? now.toISOString().slice(0, 10);
}

/** A new local day starts the daily count again. */
function currentState(state: MemberState | undefined, day: string): MemberState {
  const known = state ?? FRESH_MEMBER;
  return known.day === day ? known : { ...known, day, assignedToday: 0 };
}

function skipReason(
  pool: Pool,
  member: PoolMember,
  state: MemberState,
  user: ResolvedUser | undefined,
  now: Date,
  exclude: readonly string[],
): Omit<SkippedMember, 'user'> | undefined {
  if (!user) return { reason: 'not_in_salesforce', detail: 'no active Salesforce user has this e-mail or Id' };
  if (!user.active) return { reason: 'inactive_in_salesforce', detail: 'the Salesforce user is inactive' };
  if (exclude.includes(member.user) || exclude.includes(user.id)) return { reason: 'current_owner', detail: 'already owns this Lead' };
  if (state.paused) return { reason: 'paused', detail: 'paused by an admin' };
  const calendar = memberCalendar(pool, member);
  if (calendar && !isBusinessTime(now, calendar))
    return { reason: 'outside_working_hours', detail: `outside working hours (${calendar.timeZone})` };
  if (member.dailyCap !== undefined && state.assignedToday >= member.dailyCap)
    return { reason: 'daily_cap_reached', detail: `daily cap ${member.dailyCap} reached` };
  return undefined;
}
