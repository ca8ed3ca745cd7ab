import { describe, expect, it } from '@jest/globals';
import { FRESH_MEMBER, type MemberState, pickMember, type ResolvedUser } from '../../../../src/core/routing/round-robin.ts';
import { type Pool, routingSchema } from '../../../../src/core/routing/routing-schema.ts';

const MONDAY_NOON_BERLIN = new Date('2026-12-07T11:00:00Z');
const SUNDAY_NOON_BERLIN = new Date('2026-12-06T11:00:00Z');

function poolOf(members: Array<{ user: string; weight?: number; dailyCap?: number }>, extra: Record<string, unknown> = {}): Pool {
  const routing = routingSchema.parse({ version: '1', fallback: 'salesforce-rules', pools: [{ id: 'p', label: 'P', members, ...extra }] });
  const pool = routing.pools[0];
  if (!pool) throw new Error('no pool');
  return pool;
}

const users = (...emails: string[]): Map<string, ResolvedUser> =>
  new Map(emails.map((email, i) => [email, { id: `005A0000000000${i}`, active: true }]));

/** Deals `count` leads one at a time, carrying the state as the database would, and counts per member. */
function deal(pool: Pool, directory: Map<string, ResolvedUser>, count: number, now = MONDAY_NOON_BERLIN): Record<string, number> {
  let state: ReadonlyMap<string, MemberState> = new Map();
  const counts: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const pick = pickMember(pool, state, directory, now);
    if (pick.picked) counts[pick.picked.user] = (counts[pick.picked.user] ?? 0) + 1;
    state = pick.next;
  }
  return counts;
}

describe('pickMember: smooth weighted round robin', () => {
  it.each([
    ['four equal members, 1,000 leads', [1, 1, 1, 1], 1000, [250, 250, 250, 250]],
    ['weights 2:1:1, 1,000 leads', [2, 1, 1], 1000, [500, 250, 250]],
    ['weights 3:1, 8 leads', [3, 1], 8, [6, 2]],
  ])('%s', (_name, weights, count, expected) => {
    const emails = weights.map((_, i) => `rep${i}@acme.example`);
    const pool = poolOf(emails.map((user, i) => ({ user, weight: weights[i] })));
    const counts = deal(pool, users(...emails), count);
    expect(emails.map((e) => counts[e] ?? 0)).toEqual(expected);
  });

  it('spreads a heavy member’s turns instead of giving them in a row (2:1:1 → a b c a)', () => {
    const emails = ['a@x.example', 'b@x.example', 'c@x.example'];
    const pool = poolOf([{ user: emails[0] as string, weight: 2 }, { user: emails[1] as string }, { user: emails[2] as string }]);
    let state: ReadonlyMap<string, MemberState> = new Map();
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      const pick = pickMember(pool, state, users(...emails), MONDAY_NOON_BERLIN);
      order.push(pick.picked?.user.charAt(0) ?? '-');
      state = pick.next;
    }
    expect(order.join(' ')).toBe('a b c a');
  });

  it('skips a member at its daily cap and counts again on the next local day', () => {
    const pool = poolOf([{ user: 'a@x.example', dailyCap: 2 }, { user: 'b@x.example' }], {
      calendar: {
        timeZone: 'Europe/Berlin',
        businessHours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, ['00:00', '23:59']])),
      },
    });
    const directory = users('a@x.example', 'b@x.example');
    const counts = deal(pool, directory, 10);
    expect(counts).toEqual({ 'a@x.example': 2, 'b@x.example': 8 });
    const capped = new Map([['a@x.example', { ...FRESH_MEMBER, day: '2026-12-07', assignedToday: 2 }]]);
    expect(pickMember(pool, capped, directory, MONDAY_NOON_BERLIN).skipped).toEqual([
      { user: 'a@x.example', reason: 'daily_cap_reached', detail: 'daily cap 2 reached' },
    ]);
    // 23:30 UTC on Monday is already Tuesday in Berlin: the cap starts again.
    const tuesday = pickMember(pool, capped, directory, new Date('2026-12-07T23:30:00Z'));
    expect(tuesday.skipped).toEqual([]);
  });

  it('passes over paused, inactive, unknown and off-hours members, each with its reason', () => {
    const pool = poolOf(
      [{ user: 'paused@x.example' }, { user: 'gone@x.example' }, { user: 'unknown@x.example' }, { user: 'ok@x.example' }],
      {
        calendar: {
          timeZone: 'Europe/Berlin',
          businessHours: {
            mon: ['09:00', '17:00'],
            tue: ['09:00', '17:00'],
            wed: ['09:00', '17:00'],
            thu: ['09:00', '17:00'],
            fri: ['09:00', '17:00'],
            sat: null,
            sun: null,
          },
        },
      },
    );
    const directory = new Map<string, ResolvedUser>([
      ['paused@x.example', { id: '005A00000000001', active: true }],
      ['gone@x.example', { id: '005A00000000002', active: false }],
      ['ok@x.example', { id: '005A00000000003', active: true }],
    ]);
    const state = new Map([['paused@x.example', { ...FRESH_MEMBER, paused: true }]]);
    const open = pickMember(pool, state, directory, MONDAY_NOON_BERLIN);
    expect(open.picked).toEqual({ user: 'ok@x.example', userId: '005A00000000003' });
    expect(open.skipped.map((s) => [s.user, s.reason])).toEqual([
      ['paused@x.example', 'paused'],
      ['gone@x.example', 'inactive_in_salesforce'],
      ['unknown@x.example', 'not_in_salesforce'],
    ]);
    const closed = pickMember(pool, state, directory, SUNDAY_NOON_BERLIN);
    expect(closed.picked).toBeUndefined();
    expect(closed.skipped.find((s) => s.user === 'ok@x.example')?.reason).toBe('outside_working_hours');
  });

  it('a member coming back from a pause is not flooded with catch-up leads', () => {
    const emails = ['a@x.example', 'b@x.example'];
    const pool = poolOf(emails.map((user) => ({ user })));
    const directory = users(...emails);
    let state: ReadonlyMap<string, MemberState> = new Map([['a@x.example', { ...FRESH_MEMBER, paused: true }]]);
    for (let i = 0; i < 6; i++) state = pickMember(pool, state, directory, MONDAY_NOON_BERLIN).next;
    const a = state.get('a@x.example');
    state = new Map(state).set('a@x.example', { ...(a ?? FRESH_MEMBER), paused: false });
    const counts: Record<string, number> = {};
    for (let i = 0; i < 4; i++) {
      const pick = pickMember(pool, state, directory, MONDAY_NOON_BERLIN);
      if (pick.picked) counts[pick.picked.user] = (counts[pick.picked.user] ?? 0) + 1;
      state = pick.next;
    }
    expect(counts).toEqual({ 'a@x.example': 2, 'b@x.example': 2 });
  });
});
