import { outcomeText } from '../../core/handoff/outcomes.ts';
import type { Database, Queryable } from '../../store/database.ts';
import { appendHistory, type HistoryEntryInput, latestHistory } from '../../store/history.ts';
import { queueWriteBacks } from '../../store/hubspot-writebacks.ts';
import { markProcessed } from '../../store/inbox.ts';
import { recordWrittenMany } from '../../store/last-written.ts';
import { confirmAssignments } from '../../store/lead-assignments.ts';
import { upsertLinks } from '../../store/links.ts';
import { recordMqlEvaluations } from '../../store/mql-evaluations.ts';
import { enqueueOwnerNotifications } from '../../store/owner-notifications.ts';
import { park } from '../../store/parked.ts';
import { startClocks } from '../../store/sla-timers.ts';
import { clearWriteIntents } from '../../store/write-intents.ts';
import type { ContactResult } from './contact-result.ts';

/**
 * Records a batch's effects in one transaction: links, audit, MQL evaluations, last-written values, queued HubSpot
 * write-backs, parked work, settled events, cleared write intents. Each kind of row is written for the whole batch in
 * one statement, so the transaction (which holds the embedded database's only connection) stays short however many
 * contacts the batch carries.
 * `alsoInTransaction` commits with them (a backfill's checkpoint), or throws to roll everything back.
 */
export async function persistResults(
  db: Database,
  results: ContactResult[],
  settled: Map<string, string[]>,
  alsoInTransaction?: (tx: Queryable) => Promise<void>,
): Promise<void> {
  await db.transaction(async (tx) => {
    const history = await withoutRepeatedVerdicts(
      tx,
      results.flatMap((result) => result.history),
    );
    const linked = results.filter((result) => result.link);
    const links = await upsertLinks(
      tx,
      linked.map((result) => result.link!),
    );
    links.forEach((outcome, index) => {
      const result = linked[index]!;
      if (outcome.ok) return;
      history.push({
        hubspotContactId: result.contactId,
        salesforceId: result.link!.salesforceId,
        action: 'failed',
        reason: `Salesforce record already linked to HubSpot contact ${outcome.existing.hubspotContactId}`,
      });
    });
    await recordWrittenMany(
      tx,
      'salesforce',
      results.flatMap((result) => (result.salesforceWritten ? [result.salesforceWritten] : [])),
    );
    await recordWrittenMany(
      tx,
      'hubspot',
      results.flatMap((result) =>
        result.hubspotUpdate && Object.keys(result.hubspotUpdate).length > 0
          ? [{ recordId: result.contactId, values: result.hubspotUpdate }]
          : [],
      ),
    );
    // The HubSpot write-back is sent by the flusher once this commits; recorded as last written just above, so the
    // echo of the values it sends is known before they can reach HubSpot.
    await queueWriteBacks(
      tx,
      results.flatMap((result) => (result.writeBack ? [result.writeBack] : [])),
    );
    for (const result of results) {
      // A replayed handoff that parks again continues the chain of the item it replays.
      if (result.park)
        await park(tx, result.replayOf && result.park.kind === 'handoff' ? { ...result.park, continues: result.replayOf } : result.park);
    }
    await startClocks(
      tx,
      results.flatMap((result) => result.slaClocks ?? []),
    );
    // A routed Lead's assignment (unless recorded already, see persistAssignments) commits with the rest.
    await recordAssignments(tx, results);
    await appendHistory(tx, history);
    await recordMqlEvaluations(
      tx,
      results.flatMap((result) => (result.evaluation ? [result.evaluation] : [])),
    );
    const byOutcome = new Map(settled);
    for (const result of results) {
      const text = outcomeText(result);
      byOutcome.set(text, [...(byOutcome.get(text) ?? []), ...result.eventIds]);
    }
    for (const [outcome, ids] of byOutcome) await markProcessed(tx, ids, outcome);
    // What was written is now in last_written (or was refused); the intents recorded before the writes are done with.
    await clearWriteIntents(
      tx,
      results.map((result) => result.contactId),
    );
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
  const latest = await latestHistory(
    tx,
    verdicts.map((entry) => entry.hubspotContactId),
  );
  return entries.filter((entry) => {
    if (entry.action !== 'not_qualified') return true;
    const last = latest.get(entry.hubspotContactId);
    return !(
      last &&
      last.action === 'not_qualified' &&
      last.reason === (entry.reason ?? null) &&
      Number(last.score) === Number(entry.score) &&
      last.definitionVersion === (entry.definitionVersion ?? null)
    );
  });
}

/**
 * Confirms the batch's new assignments and queues their owners' notifications, in one short transaction of their own,
 * as soon as the Leads exist in Salesforce: so the owner hears before the HubSpot write-back, not after it. Safe to
 * commit early: the Lead is there, and a crash before the batch's own commit redoes the batch, which finds our Lead
 * (no new routing) and queues nothing twice (one notification per assignment, kind, channel and recipient).
 */
export async function persistAssignments(db: Database, results: ContactResult[]): Promise<number> {
  if (!results.some((result) => result.assignment && !result.assignment.recorded)) return 0;
  return db.transaction((tx) => recordAssignments(tx, results));
}

async function recordAssignments(tx: Queryable, results: ContactResult[]): Promise<number> {
  const assigned = results.flatMap((result) => (result.assignment && !result.assignment.recorded ? [result.assignment] : []));
  if (assigned.length === 0) return 0;
  await confirmAssignments(
    tx,
    assigned.map((a) => ({ assignmentId: a.assignmentId, leadId: a.leadId, ownerId: a.ownerId, assignedAt: a.assignedAt })),
  );
  const queued = await enqueueOwnerNotifications(
    tx,
    assigned.flatMap((a) => a.notifications),
  );
  for (const a of assigned) a.recorded = true;
  return queued;
}
