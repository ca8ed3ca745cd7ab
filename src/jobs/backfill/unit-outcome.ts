import type { BackfillCounts } from '../../core/backfill/counts.ts';
import type { SampleEntry } from '../../core/backfill/sample.ts';
import { OUTCOME_TEXTS } from '../../core/handoff/outcomes.ts';
import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import type { BackfillRun } from '../../store/backfill-runs.ts';
import type { ContactResult } from '../handoff/contact-result.ts';
import type { HandoffDeps } from '../handoff/handoff-contacts.ts';
import type { LeadReads } from '../salesforce-poll/lead-reads.ts';
import type { Unit } from './pipeline.ts';

/** What one unit did (or, in a dry run, would do): results to persist with the checkpoint, counts, sample. */
export interface UnitOutcome {
  results: ContactResult[];
  counts: Partial<BackfillCounts>;
  sample: SampleEntry[];
}

/**
 * What working on a unit needs: the real-time path's own dependencies (no handoff metrics: a backfill is not
 * real-time traffic). The ports are the backfill's own; the service gives them the `bulk` priority.
 */
export type UnitDeps = Omit<HandoffDeps, 'metrics'> & {
  /** The Lead fields the org has: a resync then never names one it lacks (the service always gives it). */
  leadReads?: Pick<LeadReads, 'available'>;
};

export type UnitWork = (run: BackfillRun, unit: Unit, bundle: MappingsBundle, deps: UnitDeps) => Promise<UnitOutcome>;

export function tally(counts: Partial<BackfillCounts>, ...keys: (keyof BackfillCounts)[]): void {
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
}

/** Every audit entry and parked item a backfill writes says so, and which run wrote it. */
export function markViaBackfill(result: ContactResult, runId: string): void {
  const via = { via: 'backfill', backfillRun: runId };
  result.history = result.history.map((entry) => ({ ...entry, detail: { ...entry.detail, ...via } }));
  if (result.park) result.park = { ...result.park, context: { ...result.park.context, ...via } };
}

/** A new, empty result for a contact (no inbox events: a backfill is not triggered by a webhook). */
export function resultFor(contactId: string): ContactResult {
  return { contactId, eventIds: [], outcome: 'pending', history: [] };
}

/** The sample verdict of a contact HubSpot no longer has (outcome `contact_not_found`). */
const MISSING = OUTCOME_TEXTS.contact_not_found;

/** Contacts a link page named that HubSpot no longer has: errors, with the reason in the audit. */
export function missingContacts(ids: string[], counts: Partial<BackfillCounts>, sample: SampleEntry[], persist: boolean): ContactResult[] {
  const reason = 'HubSpot no longer has this contact (deleted or merged)';
  const results: ContactResult[] = [];
  for (const id of ids) {
    tally(counts, 'errors');
    sample.push({ contactId: id, verdict: MISSING, reasons: [reason] });
    const result = resultFor(id);
    result.outcome = 'contact_not_found';
    result.history.push({ hubspotContactId: id, action: 'failed', reason });
    results.push(result);
  }
  return persist ? results : [];
}
