import type { Queryable } from '../../src/store/database.ts';
import { appendHistory } from '../../src/store/history.ts';

/**
 * Routing decisions in November 2026 whose KPIs routing-kpis.test.ts computes by hand. Owners 005A…, 005B…
 * (pool "ent") and 005C… (an existing-owner rule, no pool). k2 is re-routed from B to A after a breach.
 */
export const ROUTING_WINDOW = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') };
export const OWNER_A = '005A00000000001AAA';
export const OWNER_B = '005B00000000001AAA';
export const OWNER_C = '005C00000000001AAA';

const day = (d: number, hour = 9) => new Date(Date.UTC(2026, 10, d, hour));
const minutes = (at: Date, m: number) => new Date(at.getTime() + m * 60_000);

interface Assignment {
  name: string;
  contact: string;
  kind: 'initial' | 'reroute';
  state: 'reserved' | 'assigned' | 'released';
  strategy: string;
  pool: string | null;
  owner: string;
  previousOwner?: string;
  at: Date;
}

const assignments: Assignment[] = [
  { name: 'r1', contact: 'k1', kind: 'initial', state: 'assigned', strategy: 'pool', pool: 'ent', owner: OWNER_A, at: day(2) },
  { name: 'r2', contact: 'k2', kind: 'initial', state: 'assigned', strategy: 'pool', pool: 'ent', owner: OWNER_B, at: day(3) },
  {
    name: 'r3',
    contact: 'k2',
    kind: 'reroute',
    state: 'assigned',
    strategy: 'pool',
    pool: 'ent',
    owner: OWNER_A,
    previousOwner: OWNER_B,
    at: day(3, 10),
  },
  { name: 'r4', contact: 'k3', kind: 'initial', state: 'assigned', strategy: 'existing-owner', pool: null, owner: OWNER_C, at: day(4) },
  { name: 'r5', contact: 'k4', kind: 'initial', state: 'assigned', strategy: 'pool', pool: 'ent', owner: OWNER_B, at: day(5) },
  // Not committed: never counted.
  { name: 'r6', contact: 'k5', kind: 'initial', state: 'reserved', strategy: 'pool', pool: 'ent', owner: OWNER_A, at: day(6) },
  { name: 'r7', contact: 'k6', kind: 'initial', state: 'released', strategy: 'pool', pool: 'ent', owner: OWNER_A, at: day(6) },
  // Outside the window: a second before, and exactly at `to`.
  {
    name: 'r8',
    contact: 'k7',
    kind: 'initial',
    state: 'assigned',
    strategy: 'pool',
    pool: 'ent',
    owner: OWNER_A,
    at: new Date('2026-10-31T23:59:59Z'),
  },
  { name: 'r9', contact: 'k8', kind: 'initial', state: 'assigned', strategy: 'pool', pool: 'ent', owner: OWNER_A, at: ROUTING_WINDOW.to },
];

/** First-touch clocks, minutes after their assignment; t6 has no owner (a Lead routed before issue 17). */
const clocks: Array<{ assignment: string | null; dueMin: number; stoppedMin?: number; breachedMin?: number; at?: Date }> = [
  { assignment: 'r1', dueMin: 30, stoppedMin: 10 },
  { assignment: 'r2', dueMin: 30, breachedMin: 30 },
  { assignment: 'r3', dueMin: 30, stoppedMin: 20 },
  { assignment: 'r4', dueMin: 60, stoppedMin: 90 },
  { assignment: 'r5', dueMin: 30 },
  { assignment: null, dueMin: 30, stoppedMin: 1, at: day(7) },
  { assignment: 'r8', dueMin: 30, stoppedMin: 2 },
];

export async function seedRouting(db: Queryable): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const a of assignments) {
    const decision = { rule: { id: a.strategy, label: a.strategy }, reason: `seed ${a.name}`, passed: [], skipped: [] };
    const result = await db.query<{ id: string }>(
      `INSERT INTO lead_assignments (hubspot_contact_id, lead_id, state, kind, rule_id, strategy, pool_id, member, owner_id,
         owner_kind, previous_owner_id, decision, routing_version, decided_at, assigned_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, 'user', $9, $10, 'r-test', $11, $12) RETURNING id::text AS id`,
      [
        a.contact,
        `00Q${a.contact}`,
        a.state,
        a.kind,
        a.strategy,
        a.strategy,
        a.pool,
        a.owner,
        a.previousOwner ?? null,
        JSON.stringify(decision),
        a.at.toISOString(),
        a.state === 'assigned' ? a.at.toISOString() : null,
      ],
    );
    ids.set(a.name, result.rows[0]!.id);
  }
  for (const [i, c] of clocks.entries()) {
    const a = assignments.find((x) => x.name === c.assignment);
    const at = c.at ?? a!.at;
    await db.query(
      `INSERT INTO sla_timers (lead_id, hubspot_contact_id, kind, rule, handed_off_at, due_at, breached_at, late_by_ms, stopped_at,
         assignment_id, owner_id)
       VALUES ($1, $2, 'first_touch', 'seed rule', $3, $4, $5, $6, $7, $8, $9)`,
      [
        `00Q${a?.contact ?? `x${i}`}`,
        a?.contact ?? `x${i}`,
        at.toISOString(),
        minutes(at, c.dueMin).toISOString(),
        c.breachedMin === undefined ? null : minutes(at, c.breachedMin).toISOString(),
        c.breachedMin === undefined ? null : 0,
        c.stoppedMin === undefined ? null : minutes(at, c.stoppedMin).toISOString(),
        a ? ids.get(a.name) : null,
        a?.owner ?? null,
      ],
    );
  }
  await appendHistory(db, [
    { hubspotContactId: 'k1', action: 'sql_qualified', stage: 'sql', at: day(4) },
    // k2 reaches SQL after its re-route: A's success, not B's.
    { hubspotContactId: 'k2', action: 'sql_qualified', stage: 'sql', at: day(5) },
    { hubspotContactId: 'k3', action: 'status_synced', stage: 'sal', at: day(6) },
    // An SQL from an earlier cycle, before k3's assignment: it does not count.
    { hubspotContactId: 'k3', action: 'sql_qualified', stage: 'sql', at: new Date('2026-09-01T10:00:00Z') },
    // Converted without an opportunity: an SQL.
    { hubspotContactId: 'k4', action: 'converted', stage: 'sql', at: day(6), detail: { convertedOpportunityId: null } },
    { hubspotContactId: 'k5', action: 'sql_qualified', stage: 'sql', at: day(7) },
    { hubspotContactId: 'k7', action: 'sql_qualified', stage: 'sql', at: day(2) },
  ]);
  return ids;
}
