import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import type { Queryable } from '../../store/database.ts';
import { queuedWriteBackProperties } from '../../store/hubspot-writebacks.ts';
import { type NewFlag, type ResolvedFlag, writeFlags } from './flag-writes.ts';
import { applyHubSpotFeedback } from './hubspot-feedback.ts';
import { pageRecords } from './page-records.ts';
import type { DecidedLead, LeadPollDeps } from './poll-types.ts';
import { recordPage } from './record-page.ts';
import { planClockStops, updateSlaDue } from './sla-stops.ts';

export type { DecidedLead } from './poll-types.ts';

/**
 * Carries out one page of decisions: flags go to Salesforce (sync status + Task), valid changes go to
 * HubSpot (properties, lifecycle, nurture lists) and close any open flag; then memory, history, links,
 * parked work and SLA stops are recorded in one transaction, with `alsoInTransaction` (the poll's watermark).
 * Returns an outcome label per Lead.
 */
export async function processLeadPage(
  decided: DecidedLead[],
  deps: LeadPollDeps,
  bundle: MappingsBundle,
  alsoInTransaction?: (tx: Queryable) => Promise<void>,
): Promise<string[]> {
  const newFlags: NewFlag[] = [];
  const resolved: ResolvedFlag[] = [];
  const feedback = [];
  for (const { lead, memory, decision } of decided) {
    const outcome = decision.outcome;
    if (outcome.kind === 'flag' && memory?.flagged !== outcome.flag)
      newFlags.push({ lead, kind: outcome.flag, syncStatus: outcome.syncStatus, task: outcome.task });
    if (outcome.kind === 'propagate') {
      feedback.push({ contactId: lead.hubspotContactId, feedback: outcome.hubspot });
      if (memory?.flagged) resolved.push({ lead, taskId: memory.flagTaskId ?? null, syncStatus: outcome.syncStatus });
    }
  }
  // A handoff's write-back still queued counts as what HubSpot holds (recordPage drops what this page overrides).
  const queued = await queuedWriteBackProperties(
    deps.db,
    feedback.map((item) => item.contactId),
  );
  const applied = await applyHubSpotFeedback(feedback, deps.hubspot, deps.lists, { queued });
  const taskIds = await writeFlags(newFlags, resolved, deps.salesforce, bundle, deps.now().toISOString().slice(0, 10));
  const clockStops = await planClockStops(deps.db, decided, bundle);

  const records = pageRecords(decided, applied, taskIds, deps.metrics);
  await recordPage(deps.db, records, clockStops, alsoInTransaction);
  await updateSlaDue(clockStops, deps.salesforce, bundle);
  return records.labels;
}
