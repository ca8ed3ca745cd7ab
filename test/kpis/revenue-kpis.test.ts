import { beforeAll, describe, expect, it } from '@jest/globals';
import { computeKpis } from '../../src/kpis/compute-kpis.ts';
import { kpisToCsv } from '../../src/kpis/kpi-csv.ts';
import type { Database } from '../../src/store/database.ts';
import { appendHistory, type HistoryEntryInput } from '../../src/store/history.ts';
import { useFreshDatabase } from '../support/databases.ts';

/**
 * The funnel followed to revenue (issue 18): won and lost deals from the poll's `opportunity_won` / `opportunity_lost`
 * history rows, win rate, won amount and days to won, the open pipeline (the poll's `opportunities`), cut by owner and
 * by score band. Figures computed by hand.
 */
const WINDOW = { from: new Date('2026-07-01T00:00:00Z'), to: new Date('2026-10-01T00:00:00Z') };
const at = (month: number, day: number) => new Date(Date.UTC(2026, month - 1, day, 12));
const REP_A = '005A00000000001AAA';
const REP_B = '005A00000000002AAA';

interface Contact {
  id: string;
  score: number | null;
  owner: string | null;
  handedOff: Date;
}
const CONTACTS: Contact[] = [
  { id: 'r1', score: 72, owner: REP_A, handedOff: at(7, 1) },
  { id: 'r2', score: 79, owner: REP_A, handedOff: at(7, 2) },
  { id: 'r3', score: 45, owner: REP_B, handedOff: at(7, 3) },
  { id: 'r4', score: 80, owner: REP_B, handedOff: at(7, 4) },
  { id: 'r5', score: null, owner: null, handedOff: at(7, 5) },
];

const row = (contact: string, action: string, when: Date, detail: Record<string, unknown> = {}, stage: string | null = null) =>
  ({ hubspotContactId: contact, action, stage, at: when, detail }) as HistoryEntryInput;

function history(): HistoryEntryInput[] {
  const converted = (c: string, when: Date) =>
    row(c, 'converted', when, { convertedOpportunityId: `006${c}`, convertedContactId: `003${c}` }, 'opportunity');
  return [
    ...CONTACTS.map((c) => ({ ...row(c.id, 'handed_off', c.handedOff, { source: 'PAID_SEARCH' }, 'mql'), score: c.score })),
    // r1 won 30 days after its handoff, 12,000.
    converted('r1', at(7, 10)),
    row('r1', 'opportunity_won', at(7, 31), { opportunityId: '006r1', amount: 12000, closeDate: '2026-07-31', stage: 'Closed Won' }),
    // r2 won (2,500.50, 10 days), then reopened and lost: it ended lost.
    converted('r2', at(7, 5)),
    row('r2', 'opportunity_won', at(7, 12), { opportunityId: '006r2', amount: '2500.50', stage: 'Closed Won' }),
    row('r2', 'opportunity_lost', at(8, 1), { opportunityId: '006r2', amount: 2500.5, stage: 'Closed Lost', lossReason: 'price' }),
    // r3 lost; r4 won with an amount that is not a number (counts as won, adds nothing), 60 days.
    converted('r3', at(7, 6)),
    row('r3', 'opportunity_lost', at(7, 20), { opportunityId: '006r3', stage: 'Closed Lost' }),
    converted('r4', at(7, 7)),
    row('r4', 'opportunity_won', at(9, 2), { opportunityId: '006r4', amount: 'n/a', stage: 'Closed Won' }),
    // r5's deal is still open.
    converted('r5', at(7, 8)),
  ];
}

/** The deals as the poll last read them: r5's open (7,000), r1's closed, r4's not read yet. */
async function seedOpportunities(db: Database): Promise<void> {
  const deals: Array<[string, string | null, number | null, boolean | null]> = [
    ['r5', 'Proposal/Price Quote', 7000, false],
    ['r1', 'Closed Won', 12000, true],
    ['r4', null, null, null],
  ];
  for (const [contact, stage, amount, closed] of deals)
    await db.query(
      `INSERT INTO opportunities (opportunity_id, lead_id, hubspot_contact_id, stage, amount, is_closed) VALUES ($1, $2, $3, $4, $5, $6)`,
      [`006${contact}`, `00Q${contact}`, contact, stage, amount, closed],
    );
}

describe('KPIs followed to revenue (PostgreSQL)', () => {
  let db: Database;
  useFreshDatabase((fresh) => {
    db = fresh;
  });
  beforeAll(async () => {
    await appendHistory(db, history());
    await seedOpportunities(db);
    for (const c of CONTACTS.filter((x) => x.owner))
      await db.query(
        `INSERT INTO lead_assignments (hubspot_contact_id, lead_id, state, rule_id, strategy, owner_id, owner_kind, decision, routing_version, assigned_at)
         VALUES ($1, $2, 'assigned', 'rule', 'pool', $3, 'user', '{}'::jsonb, '1', $4)`,
        [c.id, `00Q${c.id}`, c.owner, c.handedOff.toISOString()],
      );
  });

  it('counts won and lost deals as each ended last, the win rate, the won amount and the median days to won', async () => {
    const { total } = await computeKpis(db, WINDOW);
    expect(total.funnel).toMatchObject({ mql: 5, opportunity: 5, won: 2 });
    // Won r1, r4; lost r2 (reopened), r3; r5 open → 2 / 4 closed.
    expect(total.revenue).toEqual({ won: 2, lost: 2, wonAmount: 12000, openDeals: 1, openAmount: 7000, medianDaysMqlToWon: 45 });
    expect(total.rates.winRate).toBe(0.5);
    expect(total.rates.opportunityToWon).toBe(0.4);
  });

  it('cuts by owner (the latest assignment) and by score band', async () => {
    const byOwner = await computeKpis(db, { ...WINDOW, groupBy: 'owner' });
    expect(byOwner.groups.map((g) => [g.key, g.funnel.mql, g.revenue.won, g.revenue.lost, g.rates.winRate])).toEqual([
      [REP_A, 2, 1, 1, 0.5],
      [REP_B, 2, 1, 1, 0.5],
      [null, 1, 0, 0, null],
    ]);
    const byBand = await computeKpis(db, { ...WINDOW, groupBy: 'scoreBand' });
    expect(byBand.groups.map((g) => [g.key, g.funnel.mql, g.revenue.won, g.revenue.wonAmount])).toEqual([
      ['70–80', 2, 1, 12000],
      ['40–50', 1, 0, 0],
      ['80–90', 1, 1, 0],
      [null, 1, 0, 0],
    ]);
  });

  it('puts the revenue figures in the CSV', async () => {
    const [header, line] = kpisToCsv(await computeKpis(db, WINDOW))
      .trimEnd()
      .split('\r\n');
    const cells = Object.fromEntries((header ?? '').split(',').map((name, i) => [name, (line ?? '').split(',')[i]]));
    expect(cells).toMatchObject({
      won: '2',
      lost: '2',
      win_rate: '0.5',
      won_amount: '12000',
      open_deals: '1',
      open_pipeline_amount: '7000',
      median_days_mql_to_won: '45',
    });
  });
});
