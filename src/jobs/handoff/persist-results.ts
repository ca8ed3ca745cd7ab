import type { Database } from '../../store/database.ts';
import { appendHistory } from '../../store/history.ts';
import { markProcessed } from '../../store/inbox.ts';
import { recordWritten } from '../../store/lastWritten.ts';
import { upsertLink } from '../../store/links.ts';
import { park } from '../../store/parked.ts';
import type { ContactResult } from './contact-result.ts';

/** Records a batch's effects in one transaction: links, audit, last-written values, parked work, settled events. */
export async function persistResults(db: Database, results: ContactResult[], settled: Map<string, string[]>): Promise<void> {
  await db.transaction(async (tx) => {
    const history = results.flatMap((result) => result.history);
    for (const result of results) {
      if (result.link) {
        const linked = await upsertLink(tx, result.link);
        if (!linked.ok) {
          history.push({
            hubspotContactId: result.contactId,
            salesforceId: result.link.salesforceId,
            action: 'failed',
            reason: `Salesforce record already linked to HubSpot contact ${linked.existing.hubspotContactId}`,
          });
        }
      }
      if (result.salesforceWritten) await recordWritten(tx, 'salesforce', result.salesforceWritten.recordId, result.salesforceWritten.values);
      if (result.hubspotUpdate && Object.keys(result.hubspotUpdate).length > 0) await recordWritten(tx, 'hubspot', result.contactId, result.hubspotUpdate);
      if (result.park) await park(tx, result.park);
      await markProcessed(tx, result.eventIds, result.outcome);
    }
    await appendHistory(tx, history);
    for (const [outcome, ids] of settled) await markProcessed(tx, ids, outcome);
  });
}
