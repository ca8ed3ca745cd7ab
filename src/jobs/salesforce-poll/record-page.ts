import type { Database, Queryable } from '../../store/database.ts';
import { appendHistory } from '../../store/history.ts';
import { supersedeWriteBacks } from '../../store/hubspot-writebacks.ts';
import { recordWrittenMany } from '../../store/last-written.ts';
import { rememberLeads } from '../../store/lead-memory.ts';
import { upsertLinks } from '../../store/links.ts';
import { linkOpportunities } from '../../store/opportunities.ts';
import { parkMany, settleSuperseded } from '../../store/parked.ts';
import type { PageRecords } from './page-records.ts';
import { type ClockStop, recordClockStops } from './sla-stops.ts';

const SUPERSEDED_BY_POLL = "a later poll synced this Lead's newer state to HubSpot";

/**
 * Writes a page's rows in one transaction with one statement per kind of row, so the transaction stays short
 * however many Leads the page carries. `alsoInTransaction` commits with them (the poll's watermark): the page is
 * either recorded and passed, or neither, and a crash re-reads it.
 */
export async function recordPage(
  db: Database,
  records: PageRecords,
  clockStops: ClockStop[],
  alsoInTransaction?: (tx: Queryable) => Promise<void>,
): Promise<void> {
  await db.transaction(async (tx) => {
    // The poll reads none of its own rows back within the page, so the kinds are independent of each other.
    await upsertLinks(tx, records.links);
    await linkOpportunities(tx, records.opportunityLinks);
    await recordWrittenMany(tx, 'hubspot', records.hubspotWritten);
    await supersedeWriteBacks(tx, records.hubspotWritten);
    await parkMany(tx, records.parked);
    await rememberLeads(tx, records.memories);
    // Feedback parked for these Leads earlier is outdated: HubSpot now holds their current state.
    await settleSuperseded(tx, {
      kind: 'sales_feedback',
      recordKeys: records.synced,
      actor: 'salesforce-poll',
      message: SUPERSEDED_BY_POLL,
    });
    const history = [...records.history];
    await recordClockStops(tx, clockStops, history);
    await appendHistory(tx, history);
    await alsoInTransaction?.(tx);
  });
}
