import type { Database, Queryable } from '../../store/database.ts';
import { appendHistory, latestHistory, type HistoryEntryInput } from '../../store/history.ts';
import { markProcessed } from '../../store/inbox.ts';
import { recordWritten } from '../../store/lastWritten.ts';
import { upsertLink } from '../../store/links.ts';
import { park } from '../../store/parked.ts';
import { startClocks } from '../../store/slaTimers.ts';
import { clearWriteIntents } from '../../store/writeIntents.ts';
import type { ContactResult } from './contact-result.ts';

/**
 * Records a batch's effects in one transaction: links, audit, last-written values, parked work, settled events,
 * cleared write intents. `alsoInTransaction` commits with them (a backfill's checkpoint), or throws to roll everything back.
 */
export async function persistResults(
  db: Database, results: ContactResult[], settled: Map<string, string[]>, alsoInTransaction?: (tx: Queryable) => Promise<void>,
): Promise<void> {
  await db.transaction(async (tx) => {
    const history = await withoutRepeatedVerdicts(tx, results.flatMap((result) => result.history));
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
      if (result.park) await park(tx, result.replayOf && result.park.kind === 'handoff' ? { ...result.park, continues: result.replayOf } : result.park);
      if (result.slaClocks) await startClocks(tx, result.slaClocks);
      await markProcessed(tx, result.eventIds, result.outcome);
    }
    await appendHistory(tx, history);
    for (const [outcome, ids] of settled) await markProcessed(tx, ids, outcome);
    // What was written is now in last_written (or was refused); the intents recorded before the writes are done with.
    await clearWriteIntents(tx, results.map((result) => result.contactId));
    await alsoInTransaction?.(tx);
  });
}

/**
 * A contact that changes often is re-evaluated often; a "not qualified" verdict identical to the last
 * one recorded (same reasons, score and definition version) adds nothing to the audit trail.
 */
async function withoutRepeatedVerdicts(tx: Queryable, entries: HistoryEntryInput[]): Promise<HistoryEntryInput[]> {
  const verdicts = entries.filter((entry) => entry.action === 'not_qualified');
  if (verdicts.length === 0) return entries;
  const latest = await latestHistory(tx, verdicts.map((entry) => entry.hubspotContactId));
  return entries.filter((entry) => {
    if (entry.action !== 'not_qualified') return true;
    const last = latest.get(entry.hubspotContactId);
    return !(last && last.action === 'not_qualified' && last.reason === (entry.reason ?? null) &&
      Number(last.score) === Number(entry.score) && last.definitionVersion === (entry.definitionVersion ?? null));
  });
}
