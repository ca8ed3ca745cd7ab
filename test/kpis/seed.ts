import type { Queryable } from '../../src/store/database.ts';
import { appendHistory, type HistoryEntryInput } from '../../src/store/history.ts';

/**
 * A November 2026 history whose figures are computed by hand in kpis.test.ts.
 * c1–c10 are handed off in the window; c11 (a second before) and c12 (exactly at `to`) are not.
 */
export const WINDOW = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') };

const day = (d: number, minutes = 0) => new Date(Date.UTC(2026, 10, d, 9, minutes));

interface Seeded {
  contact: string;
  source: string | null;
  segment: string;
  version: string;
  at: Date;
}
const contacts: Seeded[] = [
  { contact: 'c1', source: 'PAID_SEARCH', segment: 'enterprise', version: 'mql-v1', at: day(2) },
  { contact: 'c2', source: 'PAID_SEARCH', segment: 'enterprise', version: 'mql-v1', at: day(3) },
  { contact: 'c3', source: 'PAID_SEARCH', segment: 'enterprise', version: 'mql-v1', at: day(4) },
  { contact: 'c4', source: 'PAID_SEARCH', segment: 'default', version: 'mql-v1', at: day(5) },
  { contact: 'c5', source: 'PAID_SEARCH', segment: 'default', version: 'mql-v2', at: day(6) },
  { contact: 'c6', source: 'PAID_SEARCH', segment: 'default', version: 'mql-v2', at: day(9) },
  { contact: 'c7', source: 'ORGANIC_SEARCH', segment: 'default', version: 'mql-v2', at: day(10) },
  { contact: 'c8', source: 'ORGANIC_SEARCH', segment: 'default', version: 'mql-v2', at: day(11) },
  { contact: 'c9', source: 'ORGANIC_SEARCH', segment: 'default', version: 'mql-v2', at: day(12) },
  { contact: 'c10', source: null, segment: 'default', version: 'mql-v2', at: day(13) },
  { contact: 'c11', source: 'PAID_SEARCH', segment: 'enterprise', version: 'mql-v1', at: new Date('2026-10-31T23:59:59Z') },
  { contact: 'c12', source: 'PAID_SEARCH', segment: 'enterprise', version: 'mql-v1', at: WINDOW.to },
];

function handoff(c: Seeded, at = c.at, version = c.version): HistoryEntryInput {
  return {
    hubspotContactId: c.contact,
    salesforceId: `00Q${c.contact}`,
    action: 'handed_off',
    stage: 'mql',
    definitionVersion: version,
    at,
    detail: { source: c.source, segment: { id: c.segment, label: c.segment } },
  };
}

function later(
  contact: string,
  action: HistoryEntryInput['action'],
  stage: string | null,
  dayOfMonth: number,
  detail: Record<string, unknown> = {},
): HistoryEntryInput {
  return { hubspotContactId: contact, salesforceId: `00Q${contact}`, action, stage, detail, at: day(dayOfMonth, 30) };
}

export function seedHistory(): HistoryEntryInput[] {
  const byId = new Map(contacts.map((c) => [c.contact, c]));
  const c1 = byId.get('c1')!;
  return [
    ...contacts.map((c) => handoff(c)),
    // c1 is handed off again later under another version: still one MQL, counted with its first handoff.
    handoff(c1, day(20), 'mql-v2'),
    later('c1', 'status_synced', 'sal', 3),
    later('c1', 'sql_qualified', 'sql', 5),
    later('c1', 'converted', 'opportunity', 8, { convertedOpportunityId: '006A', convertedContactId: '003A' }),
    later('c2', 'status_synced', 'sal', 4),
    later('c2', 'sql_qualified', 'sql', 6),
    // Converted without an opportunity: an SQL, and so past SAL too.
    later('c3', 'converted', 'sql', 7, { convertedOpportunityId: null, convertedContactId: '003C' }),
    later('c4', 'status_synced', 'sal', 6),
    later('c4', 'rejected', 'rejected (bad_fit)', 7, { reasonCode: 'bad_fit' }),
    later('c5', 'status_synced', 'sal', 7),
    later('c6', 'sql_qualified', 'sql', 10),
    later('c7', 'rejected', 'rejected (bad_fit)', 11, { reasonCode: 'bad_fit' }),
    later('c8', 'recycled', 'rejected (no_budget)', 12, { reasonCode: 'no_budget' }),
    // c9 reached SAL in an earlier cycle, before this handoff: it does not count.
    { hubspotContactId: 'c9', action: 'status_synced', stage: 'sal', at: new Date('2026-09-01T10:00:00Z') },
    later('c10', 'flagged', null, 14, { flag: 'missing_reason' }),
    // Out of the window: must not count anywhere.
    later('c11', 'sql_qualified', 'sql', 2),
    later('c12', 'rejected', 'rejected (bad_fit)', 1, { reasonCode: 'bad_fit' }),
  ];
}

interface Timer {
  contact: string;
  kind: 'first_touch' | 'disposition';
  dueMin: number;
  stoppedMin?: number;
  breachedMin?: number;
  routingMs?: number;
}

/** Minutes after each handoff. */
const timers: Timer[] = [
  { contact: 'c1', kind: 'first_touch', dueMin: 5, stoppedMin: 3, routingMs: 2000 },
  { contact: 'c2', kind: 'first_touch', dueMin: 240, stoppedMin: 10, routingMs: 4000 },
  { contact: 'c3', kind: 'first_touch', dueMin: 20, breachedMin: 20, stoppedMin: 25, routingMs: 6000 },
  { contact: 'c4', kind: 'first_touch', dueMin: 30, stoppedMin: 40, routingMs: 8000 },
  { contact: 'c5', kind: 'first_touch', dueMin: 60, breachedMin: 60, routingMs: 10000 },
  { contact: 'c6', kind: 'first_touch', dueMin: 60 },
  { contact: 'c11', kind: 'first_touch', dueMin: 5, stoppedMin: 1, routingMs: 90000 },
  { contact: 'c1', kind: 'disposition', dueMin: 2880, stoppedMin: 1000 },
  { contact: 'c2', kind: 'disposition', dueMin: 2880, stoppedMin: 3000 },
  { contact: 'c7', kind: 'disposition', dueMin: 2880, breachedMin: 2880, stoppedMin: 4000 },
  { contact: 'c8', kind: 'disposition', dueMin: 2880 },
];

const plus = (at: Date, minutes: number | undefined) =>
  minutes === undefined ? null : new Date(at.getTime() + minutes * 60_000).toISOString();

/** The SLA clocks of the seeded handoffs, written as the timer job would. */
export async function seedTimers(db: Queryable): Promise<void> {
  for (const t of timers) {
    const c = contacts.find((x) => x.contact === t.contact)!;
    await db.query(
      `INSERT INTO sla_timers (lead_id, hubspot_contact_id, kind, rule, source, segment, definition_version, handed_off_at,
         routing_delay_ms, due_at, breached_at, late_by_ms, stopped_at)
       VALUES ($1, $2, $3, 'seed rule', $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        `00Q${c.contact}`,
        c.contact,
        t.kind,
        c.source,
        c.segment,
        c.version,
        c.at.toISOString(),
        t.routingMs ?? null,
        plus(c.at, t.dueMin),
        plus(c.at, t.breachedMin),
        t.breachedMin === undefined ? null : 0,
        plus(c.at, t.stoppedMin),
      ],
    );
  }
}

export async function seedAll(db: Queryable): Promise<void> {
  await appendHistory(db, seedHistory());
  await seedTimers(db);
}
