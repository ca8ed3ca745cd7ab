import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RoutingDirectory, RoutingFacts } from '../../src/core/routing/decide-route.ts';
import { type RoutingConfig, routingSchema } from '../../src/core/routing/routing-schema.ts';
import { routeBatch } from '../../src/jobs/routing/route-batch.ts';
import { silentLogger } from '../../src/log.ts';
import { type Database, openDatabase } from '../../src/store/database.ts';
import { assignmentsForContact, confirmAssignments, releaseAssignments } from '../../src/store/lead-assignments.ts';
import { memberStatesOf, pauseMember, resumeMember } from '../../src/store/routing-admin.ts';
import { type FreshDatabase, freshDatabase } from '../support/databases.ts';

// Monday 2026-12-07, 12:00 in Berlin.
const MONDAY_NOON_BERLIN = new Date('2026-12-07T11:00:00Z');
const EVERY_DAY = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, ['00:00', '23:59']]));
const OFFICE_HOURS = {
  mon: ['09:00', '17:00'],
  tue: ['09:00', '17:00'],
  wed: ['09:00', '17:00'],
  thu: ['09:00', '17:00'],
  fri: ['09:00', '17:00'],
  sat: null,
  sun: null,
};

const userId = (n: number) => `005A0000000000${n}`;
const directory: RoutingDirectory = {
  users: new Map(
    ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'fallback'].map((name, i) => [`${name}@acme.example`, { id: userId(i), active: true }]),
  ),
  queues: new Map(),
};

const routing: RoutingConfig = routingSchema.parse({
  version: '1',
  pools: [
    { id: 'equal', label: 'Equal', members: ['a', 'b', 'c', 'd'].map((n) => ({ user: `${n}@acme.example` })) },
    {
      id: 'weighted',
      label: 'Weighted',
      members: [
        { user: 'e@acme.example', weight: 2 },
        { user: 'f@acme.example', weight: 1 },
        { user: 'g@acme.example', weight: 1 },
      ],
    },
    {
      id: 'capped',
      label: 'Capped',
      calendar: { timeZone: 'Europe/Berlin', businessHours: EVERY_DAY },
      members: [
        { user: 'a@acme.example', dailyCap: 7 },
        { user: 'b@acme.example', dailyCap: 5 },
        { user: 'h@acme.example', dailyCap: 3, calendar: { timeZone: 'Europe/Berlin', businessHours: OFFICE_HOURS } },
      ],
    },
  ],
  rules: [
    { id: 'equal', label: 'Equal', when: { segment: ['equal'] }, strategy: 'pool', pool: 'equal' },
    { id: 'weighted', label: 'Weighted', when: { segment: ['weighted'] }, strategy: 'pool', pool: 'weighted' },
    { id: 'capped', label: 'Capped', when: { segment: ['capped'] }, strategy: 'pool', pool: 'capped' },
  ],
  fallback: { user: 'fallback@acme.example' },
});

const facts = (segmentId: string): RoutingFacts => ({
  properties: { email: 'jane@customer.example' },
  segmentId,
  source: 'ORGANIC_SEARCH',
  fastTrack: false,
  accountOwners: [],
});

describe('routeBatch: round robin exact across two replicas on PostgreSQL', () => {
  let fresh: FreshDatabase;
  let replicaA: Database;
  let replicaB: Database;
  beforeAll(async () => {
    fresh = await freshDatabase();
    replicaA = fresh.db;
    // A second replica: its own pool of connections to the same database.
    replicaB = await openDatabase({ databaseUrl: fresh.databaseUrl, logger: silentLogger(), migrate: false });
  });
  afterAll(async () => {
    await replicaB.close();
    await fresh.cleanup();
  });

  /** Both replicas deal `total` contacts at once in batches of `size`, interleaved; returns leads per member. */
  async function dealConcurrently(prefix: string, segment: string, total: number, size: number, now = MONDAY_NOON_BERLIN) {
    const batches: string[][] = [];
    for (let i = 0; i < total; i += size) batches.push(Array.from({ length: Math.min(size, total - i) }, (_, j) => `${prefix}-${i + j}`));
    const run = async (db: Database, mine: string[][]) => {
      for (const batch of mine)
        await routeBatch(
          db,
          { routing, routingVersion: '1@test', directory, now },
          batch.map((contactId) => ({ contactId, facts: facts(segment) })),
        );
    };
    await Promise.all([
      run(
        replicaA,
        batches.filter((_, i) => i % 2 === 0),
      ),
      run(
        replicaB,
        batches.filter((_, i) => i % 2 === 1),
      ),
    ]);
    const rows = await replicaA.query<{ member: string | null; rule_id: string; count: number }>(
      `SELECT member, rule_id, count(*)::int AS count FROM lead_assignments WHERE hubspot_contact_id LIKE $1 || '-%'
       GROUP BY member, rule_id ORDER BY member`,
      [prefix],
    );
    return Object.fromEntries(rows.rows.map((r) => [r.member ?? r.rule_id, r.count]));
  }

  it('deals 1,000 leads over four equal members as 250 each', async () => {
    expect(await dealConcurrently('eq', 'equal', 1000, 7)).toEqual({
      'a@acme.example': 250,
      'b@acme.example': 250,
      'c@acme.example': 250,
      'd@acme.example': 250,
    });
  });

  it('deals 1,000 leads by weights 2:1:1 as 500/250/250', async () => {
    expect(await dealConcurrently('wt', 'weighted', 1000, 5)).toEqual({
      'e@acme.example': 500,
      'f@acme.example': 250,
      'g@acme.example': 250,
    });
  });

  it('never exceeds a daily cap under concurrency, honours working hours, and sends the rest to the fallback', async () => {
    // Saturday noon in Berlin: h works office hours only, so it is skipped; a and b reach their caps.
    const saturday = new Date('2026-12-12T11:00:00Z');
    expect(await dealConcurrently('cap', 'capped', 40, 3, saturday)).toEqual({ 'a@acme.example': 7, 'b@acme.example': 5, fallback: 28 });
    // Monday: a new local day; h is at work and gets its 3 within its cap.
    expect(await dealConcurrently('cap2', 'capped', 40, 3)).toEqual({
      'a@acme.example': 7,
      'b@acme.example': 5,
      'h@acme.example': 3,
      fallback: 25,
    });
    const skipped = (await assignmentsForContact(replicaA, 'cap-39'))[0]?.decision.skipped.map((s) => [s.user, s.reason]);
    expect(skipped).toEqual([
      ['a@acme.example', 'daily_cap_reached'],
      ['b@acme.example', 'daily_cap_reached'],
      ['h@acme.example', 'outside_working_hours'],
    ]);
    const shown = await memberStatesOf(replicaA, ['capped']);
    expect(shown.map((m) => [m.member, m.day, m.assignedToday])).toEqual([
      ['a@acme.example', '2026-12-07', 7],
      ['b@acme.example', '2026-12-07', 5],
      ['h@acme.example', '2026-12-07', 3],
    ]);
  });

  it('reuses a reserved assignment for a replayed create, without taking another turn', async () => {
    const context = { routing, routingVersion: '1@test', directory, now: MONDAY_NOON_BERLIN };
    const first = await routeBatch(replicaA, context, [{ contactId: 'replay-1', facts: facts('equal') }]);
    const allPools = routing.pools.map((p) => p.id);
    const before = await memberStatesOf(replicaA, allPools);
    const again = await routeBatch(replicaB, context, [
      { contactId: 'replay-1', facts: facts('equal') },
      { contactId: 'replay-2', facts: facts('equal') },
    ]);
    expect(again.get('replay-1')).toEqual(first.get('replay-1'));
    expect(again.get('replay-2')?.decision.member).not.toBe(first.get('replay-1')?.decision.member);
    const after = await memberStatesOf(replicaA, allPools);
    const dealt = after.reduce((sum, m) => sum + m.assignedToday, 0) - before.reduce((sum, m) => sum + m.assignedToday, 0);
    expect(dealt).toBe(1);

    const id1 = first.get('replay-1')?.assignmentId as string;
    const id2 = again.get('replay-2')?.assignmentId as string;
    await replicaA.transaction(async (tx) => {
      expect(await confirmAssignments(tx, [{ assignmentId: id1, leadId: '00Q1', ownerId: null, assignedAt: MONDAY_NOON_BERLIN }])).toBe(1);
      expect(await releaseAssignments(tx, [id2])).toBe(1);
    });
    const [confirmed] = await assignmentsForContact(replicaA, 'replay-1');
    expect(confirmed).toMatchObject({ state: 'assigned', leadId: '00Q1', ownerId: userId(0) });
    expect((await assignmentsForContact(replicaA, 'replay-2'))[0]?.state).toBe('released');
    // Once assigned, a later handoff of the contact is a new decision.
    const later = await routeBatch(replicaA, context, [{ contactId: 'replay-1', facts: facts('equal') }]);
    expect(later.get('replay-1')?.assignmentId).not.toBe(id1);
  });

  it('skips a paused member and shows who paused it', async () => {
    await pauseMember(replicaA, { poolId: 'weighted', member: 'e@acme.example', by: 'admin@acme.example', at: MONDAY_NOON_BERLIN });
    const context = { routing, routingVersion: '1@test', directory, now: MONDAY_NOON_BERLIN };
    const dealt = await routeBatch(
      replicaB,
      context,
      ['p1', 'p2', 'p3', 'p4'].map((contactId) => ({ contactId, facts: facts('weighted') })),
    );
    expect([...dealt.values()].map((r) => r.decision.member).sort()).toEqual([
      'f@acme.example',
      'f@acme.example',
      'g@acme.example',
      'g@acme.example',
    ]);
    const e = (await memberStatesOf(replicaA, ['weighted'])).find((m) => m.member === 'e@acme.example');
    expect(e).toMatchObject({ paused: true, pausedBy: 'admin@acme.example' });
    expect(e?.pausedAt).toBeInstanceOf(Date);
    await resumeMember(replicaA, { poolId: 'weighted', member: 'e@acme.example' });
    const resumed = await routeBatch(replicaA, context, [{ contactId: 'p5', facts: facts('weighted') }]);
    expect(resumed.get('p5')?.decision.member).toBe('e@acme.example');
  });
});
