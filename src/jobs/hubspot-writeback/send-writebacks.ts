import type { HubSpotPort } from '../../adapters/hubspot/hubspot-port.ts';
import { HUBSPOT_LIMITS } from '../../adapters/hubspot/limits.ts';
import type { ListIdResolver } from '../../adapters/hubspot/list-ids.ts';
import type { Logger } from '../../log.ts';
import type { StageMetrics } from '../../metrics/stage-metrics.ts';
import type { Database } from '../../store/database.ts';
import { appendHistory } from '../../store/history.ts';
import { type ClaimedWriteBack, claimDueWriteBacks, settleWriteBacks, type WriteBackPriority } from '../../store/hubspot-writebacks.ts';
import { park } from '../../store/parked.ts';
import type { ContactResult } from '../handoff/contact-result.ts';
import { parkWriteBack } from '../handoff/hubspot-writeback.ts';
import { type StepFailure, sendStep } from './send-step.ts';

export interface SendWriteBacksDeps {
  db: Database;
  /** HubSpot at the row's budget priority: the handoff's, or a backfill's. */
  hubspotFor: (priority: WriteBackPriority) => HubSpotPort;
  lists: ListIdResolver;
  logger: Logger;
  now: () => Date;
  metrics?: Partial<StageMetrics>;
}

/**
 * Rows one pass takes: HubSpot's batch update ("Update contacts", POST /crm/v3/objects/contacts/batch/update) takes
 * at most 100 inputs (HUBSPOT_LIMITS.batchMaxInputs), and one row, one per contact, is one input. The list add of the
 * same rows ("Add records to a list", PUT /crm/v3/lists/{listId}/memberships/add) is far below its 100,000-id cap
 * (HUBSPOT_LIMITS.listMembershipMaxIds, Lists guide); that reference also says records already in the list or
 * unknown to HubSpot are ignored, so a row sent twice after a crash adds nothing.
 */
export const WRITEBACKS_PER_PASS = HUBSPOT_LIMITS.batchMaxInputs;

export interface PassCounts {
  claimed: number;
  sent: number;
  parked: number;
  retried: number;
  /** The earliest a retried row is due again (ms from now), if any was retried. */
  retryInMs?: number;
}

/** Per contact, how each of its two steps ended: sent (or nothing to send), or failed. */
interface RowFate {
  row: ClaimedWriteBack;
  properties?: StepFailure;
  list?: StepFailure;
}

/**
 * One pass of the flusher: claims due rows (SKIP LOCKED, a lease committed at once, see claimDueWriteBacks), sends
 * one batch update and one list add per list for each priority's rows, all at once, then in one transaction deletes
 * what went out or was parked, keeps what may pass later with a backoff, and parks permanent refusals as
 * `hubspot_writeback` parked work exactly as the write-back inside the batch used to.
 */
export async function sendDueWriteBacks(deps: SendWriteBacksDeps, options: { leaseMs: number }): Promise<PassCounts> {
  const rows = await claimDueWriteBacks(deps.db, { now: deps.now(), leaseMs: options.leaseMs, limit: WRITEBACKS_PER_PASS });
  if (rows.length === 0) return { claimed: 0, sent: 0, parked: 0, retried: 0 };
  const started = performance.now();
  const fates = new Map(rows.map((row) => [row.contactId, { row } as RowFate]));
  const priorities = [...new Set(rows.map((row) => row.priority))];
  await Promise.all(
    priorities.map((priority) =>
      sendGroup(
        rows.filter((row) => row.priority === priority),
        fates,
        deps.hubspotFor(priority),
        deps.lists,
      ),
    ),
  );
  deps.metrics?.stage?.('writeback_send', (performance.now() - started) / 1000, rows.length);
  return settle([...fates.values()], deps);
}

async function sendGroup(
  rows: ClaimedWriteBack[],
  fates: Map<string, RowFate>,
  hubspot: HubSpotPort,
  lists: ListIdResolver,
): Promise<void> {
  const updates = rows.filter((row) => Object.keys(row.properties).length > 0);
  const byList = new Map<string, string[]>();
  for (const row of rows) if (row.listName) byList.set(row.listName, [...(byList.get(row.listName) ?? []), row.contactId]);
  // The property update and the list memberships are independent requests, sent together.
  await Promise.all([
    sendStep(async () => {
      const outcome = await hubspot.updateContacts(updates.map((row) => ({ id: row.contactId, properties: row.properties })));
      return outcome.failed.map((failure) => ({ id: failure.id, message: failure.message, context: { status: failure.status } }));
    }, updates).then((failures) => {
      for (const [id, failure] of failures) {
        const fate = fates.get(id);
        // The parked context is what the parked-work replay writes again (see parkWriteBack).
        if (fate) fate.properties = { ...failure, context: { properties: fate.row.properties, ...failure.context } };
      }
    }),
    ...[...byList].map(([listName, ids]) =>
      sendStep(
        async () => {
          const listId = (await lists.resolve([listName])).get(listName)!;
          await hubspot.addToList(listId, ids);
          return [];
        },
        rows.filter((row) => row.listName === listName),
      ).then((failures) => {
        for (const [id, failure] of failures) {
          const fate = fates.get(id);
          if (fate)
            fate.list = { ...failure, message: `sales-ready list: ${failure.message}`, context: { list: listName, ...failure.context } };
        }
      }),
    ),
  ]);
}

/** Records the pass's outcomes in one transaction; failures are parked only for rows whose claim still held. */
async function settle(fates: RowFate[], deps: SendWriteBacksDeps): Promise<PassCounts> {
  const now = deps.now();
  const counts: PassCounts = { claimed: fates.length, sent: 0, parked: 0, retried: 0 };
  const log = deps.logger.child({ module: 'hubspot-writeback' });
  await deps.db.transaction(async (tx) => {
    const settled = await settleWriteBacks(
      tx,
      fates.map(({ row, properties, list }) => {
        const waits = [properties, list].flatMap((step) => (step?.action === 'retry' || step?.action === 'fail' ? [step] : []));
        if (waits.length === 0) return { contactId: row.contactId, claimedAt: row.claimedAt, state: 'done' as const };
        const waitMs = Math.min(...waits.map((step) => step.waitMs));
        counts.retryInMs = Math.min(counts.retryInMs ?? waitMs, waitMs);
        return {
          contactId: row.contactId,
          claimedAt: row.claimedAt,
          state: 'retry' as const,
          properties: properties && properties.action !== 'park' ? row.properties : {},
          listName: list && list.action !== 'park' ? row.listName : null,
          nextAttemptAt: new Date(now.getTime() + waitMs),
          error: waits.map((step) => step.message).join('; '),
        };
      }),
    );
    const parkedResults: ContactResult[] = [];
    for (const { row, properties, list } of fates) {
      if (!settled.has(row.contactId)) continue;
      const retried = [properties, list].some((step) => step && step.action !== 'park');
      if (retried) counts.retried += 1;
      const parkedSteps = [properties, list].flatMap((step) => (step?.action === 'park' ? [step] : []));
      if (parkedSteps.length === 0) {
        if (!retried) counts.sent += 1;
        continue;
      }
      const result: ContactResult = { contactId: row.contactId, eventIds: [], outcome: 'handed_off', history: [] };
      for (const step of parkedSteps) parkWriteBack(result, step.message, step.context);
      parkedResults.push(result);
    }
    for (const result of parkedResults) await park(tx, result.park!);
    // Never parked, never silent: a bug (or a list HubSpot lacks) fails loudly on every pass until it is fixed.
    for (const { row, properties, list } of fates)
      for (const step of [properties, list])
        if (step?.action === 'fail')
          log.error('HubSpot write-back send failed: not a HubSpot answer', {
            contactId: row.contactId,
            error: step.message,
            reason: step.reason,
          });
    await appendHistory(
      tx,
      parkedResults.flatMap((result) => result.history),
    );
    counts.parked = parkedResults.length;
  });
  if (counts.parked > 0 || counts.retried > 0) log.warn('HubSpot write-backs not all sent', { ...counts });
  return counts;
}
