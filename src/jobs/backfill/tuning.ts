import { HUBSPOT_LIMITS } from '../../adapters/hubspot/limits.ts';
import { SALESFORCE_LIMITS } from '../../adapters/salesforce/limits.ts';

export interface BackfillTuning {
  /** Contacts decided and written together: one Salesforce collection, from whole HubSpot pages. */
  unitSize: number;
  /** HubSpot pages read ahead of the units being worked on, so paging never waits for writes. */
  prefetchPages: number;
  /** Units worked on at once: one unit's writes overlap the next one's reads. Commits stay in page order. */
  concurrentUnits: number;
  /** A worker hands the run on to a fresh job after this long, well inside the job's expiry. */
  sliceMs: number;
  /** Longest a unit waits to start while real-time webhook events are pending. */
  yieldMaxMs: number;
}

/**
 * Sized so a run is bounded by HubSpot's rate limit, not by latency: two list pages of 100 (or one search
 * page of 200) make one collection of 200. A full walk reads from both ends at once (two-ended-walk.ts), so
 * pages arrive about twice as fast as one chain of cursors allows, and each unit's round trips in a row
 * (Salesforce match and upsert, HubSpot update and list add) took 0.4-2.1 s on a loaded two-core machine, where
 * the embedded database keeps the event loop busy: six units of ~270 contacts in flight would cap such a run near
 * 6 × 270 / 2.1 s ≈ 770 contacts/s, so ten units and twelve pages read ahead. While real-time events wait, no unit
 * starts (for up to two seconds), then one at a time.
 */
export const BACKFILL_TUNING: BackfillTuning = {
  unitSize: SALESFORCE_LIMITS.collectionBatchSize,
  prefetchPages: 12,
  concurrentUnits: 10,
  sliceMs: 10 * 60_000,
  yieldMaxMs: 2_000,
};

/** Page sizes per source: the list endpoint and batch reads take 100, search 200. */
export const PAGE_SIZES = {
  list: HUBSPOT_LIMITS.listMaxPageSize,
  search: HUBSPOT_LIMITS.searchMaxPageSize,
  links: HUBSPOT_LIMITS.batchMaxInputs,
} as const;
