import type { ChangeEvent } from '../../adapters/salesforce/pubsub/change-event.ts';
import { isFollowed } from '../../core/revenue/revenue-schema.ts';
import { CHANGE_TOPICS, type FollowedEntity } from '../../core/sales/change-events/change-event-types.ts';
import { type ChangeEventOutcome, decideChangeBatch } from '../../core/sales/change-events/decide-change-batch.ts';
import { assertLeaseHeld, type LeaseClaim, writeReplayId } from '../../store/cdc-lease.ts';
import { withSalesforceChangesLock } from '../../store/change-lock.ts';
import type { Queryable } from '../../store/database.ts';
import { processLeadRows } from '../salesforce-poll/process-lead-rows.ts';
import { processOpportunityRows } from '../salesforce-poll/process-opportunity-rows.ts';
import type { ChangeSubscriberDeps } from './cdc-types.ts';
import { rereadRecords } from './reread-records.ts';

export interface AppliedBatch {
  events: Record<ChangeEventOutcome, number>;
  /** An outcome label per record re-read (the poll's labels). */
  records: Record<string, number>;
}

/**
 * One delivered batch of one topic: core picks the records to re-read (echoes and deletions dropped), they are read
 * as they are now and handed to the poll's own decision path, and the batch's last replay id commits in the
 * transaction of the last chunk's effects, fenced by the lease: a crash replays the batch, a replica that lost the
 * lease writes nothing. An overflow event first has the poll read what it stands for.
 */
export async function applyChangeBatch(
  entity: FollowedEntity,
  events: readonly ChangeEvent[],
  claim: LeaseClaim,
  deps: ChangeSubscriberDeps,
): Promise<AppliedBatch> {
  const last = events.at(-1);
  if (!last) return { events: decideChangeBatch([], { integrationUserId: undefined, clientName: deps.clientName }).outcomes, records: {} };
  const bundle = deps.mappings();
  const decision = decideChangeBatch(events, { integrationUserId: deps.salesforce.integrationUserId(), clientName: deps.clientName });
  if (decision.pollNow) {
    deps.changeMetrics?.changeFallback('overflow');
    await deps.pollRound();
  }
  const ids = entity === 'Opportunity' && !isFollowed(bundle.revenue) ? [] : decision.reread[entity];
  const markPosition = (tx: Queryable) => writeReplayId(tx, claim, CHANGE_TOPICS[entity], last.replayId);
  const fenceOnly = (tx: Queryable) => assertLeaseHeld(tx, claim);
  const records: Record<string, number> = {};
  const carryOut = async (rows: Record<string, unknown>[], also: (tx: Queryable) => Promise<void>) => {
    const labels =
      entity === 'Lead' ? (await processLeadRows(rows, deps, bundle, also)).labels : await processOpportunityRows(rows, deps, bundle, also);
    for (const label of labels) records[label] = (records[label] ?? 0) + 1;
  };
  await withSalesforceChangesLock(deps.db, async () => {
    const chunks = rereadRecords(entity, ids, deps, bundle);
    let current = await chunks.next();
    if (current.done) await deps.db.transaction(markPosition);
    while (!current.done) {
      const next = await chunks.next();
      await carryOut(current.value, next.done ? markPosition : fenceOnly);
      current = next;
    }
  });
  for (const [outcome, count] of Object.entries(decision.outcomes) as [ChangeEventOutcome, number][])
    if (count > 0) deps.changeMetrics?.changeEvents(entity, outcome, count);
  if (decision.oldestCommit !== undefined)
    deps.changeMetrics?.changeEventLag(Math.max(0, deps.now().getTime() - decision.oldestCommit) / 1000);
  return { events: decision.outcomes, records };
}
