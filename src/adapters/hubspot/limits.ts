import { LIFECYCLE_ORDER } from '../../core/lifecycle.ts';
/**
 * HubSpot's published rules that shape how we call it. One place, so a vendor change is one edit.
 * Shared by the adapter (chunking, error mapping) and the simulator (which enforces the same rules).
 */
export const HUBSPOT_LIMITS = {
  /** Public API host for private-app and OAuth tokens. */
  baseUrl: 'https://api.hubapi.com',
  /** CRM v3 batch endpoints (read, update, create, upsert) accept at most 100 inputs per call. */
  batchMaxInputs: 100,
  /**
   * Associations batch read (v3 and v4, `POST /crm/v4/associations/{from}/{to}/batch/read`) takes at most 1,000
   * ids per request since February 2025 (developer changelog, "Bug Fix: Batch Read Limit for HubSpot
   * Associations API"). The simulator enforces it; the handoff finds primary companies through `primaryCompanyIdProperty`.
   */
  associationsBatchMaxInputs: 1_000,
  /**
   * Contact → company association type ids HubSpot defines (associations v4 guide, "association type id
   * values"): 1 marks the contact's primary company, 279 the unlabeled association. Integrations must go by
   * typeId; the labels are display text and have been renamed before.
   */
  contactToCompanyTypeIds: { primary: 1, unlabeled: 279 },
  /**
   * The contact property HubSpot keeps at the id of the contact's primary company: read-only since April 2019,
   * set through associations (developer changelog, "Update: The associatedcompanyid contact property will become
   * read-only on April 26th"). Read with the contact, it finds the primary company without an associations call.
   */
  primaryCompanyIdProperty: 'associatedcompanyid',
  /** Companies are object type 0-2 in the CRM. */
  companiesObjectTypeId: '0-2',
  /** CRM v3 search returns at most 200 records per page (`limit`), and pages on with `after`. */
  searchMaxPageSize: 200,
  /**
   * CRM v3 search answers at most 10,000 results for one query: asking for a page past that is refused (400).
   * To walk more, start a new query after the last id seen (sort and filter on hs_object_id).
   */
  searchMaxResults: 10_000,
  /**
   * The CRM v3 list endpoint (GET /crm/v3/objects/contacts) takes `limit` ≤ 100 and pages on with the
   * `after` cursor of `paging.next.after`, with no cap on how far: the way to walk every contact.
   * It returns no total (search does).
   */
  listMaxPageSize: 100,
  /** CRM v3 search accepts up to 5 filterGroups (OR) of up to 6 filters (AND) each, 18 filters in all. */
  searchMaxFilterGroups: 5,
  searchMaxFiltersPerGroup: 6,
  searchMaxFiltersTotal: 18,
  /**
   * Lists v3 `PUT /crm/v3/lists/{listId}/memberships/add|remove` take a bare JSON array of record ids.
   * HubSpot's Lists guide caps one such request at 100,000 ids (the endpoint reference does not restate
   * it; re-check here when HubSpot revises Lists). Only MANUAL and SNAPSHOT lists accept these calls.
   */
  listMembershipMaxIds: 100_000,
  /** Lists v3 processing type whose members only change by API or by hand (no filters). */
  manualListProcessingType: 'MANUAL',
  /** Contacts are object type 0-1 in the CRM (lists v3 addresses them by this id). */
  contactsObjectTypeId: '0-1',
  /**
   * Burst limit: calls per app per portal in a rolling ten-second window (policy TEN_SECONDLY_ROLLING).
   * Private apps get 100 (Free, Starter), 190 (Professional, Enterprise) or 250 (with the API Limit
   * Increase pack; two packs do not stack) per HubSpot's usage guidelines and its "Increasing our API limits"
   * changelog. OAuth apps get 100 per ten seconds.
   */
  burstWindowMs: 10_000,
  burstLimits: [100, 190, 250],
  /**
   * Daily limit for private apps, reset at midnight in the portal's time zone: 250,000 on Free and Starter
   * (650,000 Professional, 1,000,000 Enterprise, +1,000,000 per API Limit Increase pack). The lowest is the
   * default; OAuth apps have no daily limit and get no daily headers.
   */
  defaultDailyLimit: 250_000,
  /**
   * CRM search has its own, lower limit per authentication token (policy SECONDLY): four requests per
   * second since HubSpot's "CRM Search API Rate Limit Increase" changelog (it was one). Search answers
   * carry no X-HubSpot-RateLimit-* headers, so this figure is all a client has.
   */
  searchRateLimit: { max: 4, windowMs: 1_000 },
  /** Rate-limit headers HubSpot sends on API answers (burst window and daily quota). */
  rateLimitHeaders: {
    intervalMs: 'X-HubSpot-RateLimit-Interval-Milliseconds',
    max: 'X-HubSpot-RateLimit-Max',
    remaining: 'X-HubSpot-RateLimit-Remaining',
    daily: 'X-HubSpot-RateLimit-Daily',
    dailyRemaining: 'X-HubSpot-RateLimit-Daily-Remaining',
  },
  /** `policyName` in a 429 body says which limit was hit. */
  rateLimitPolicies: {
    tenSecondlyRolling: 'TEN_SECONDLY_ROLLING',
    secondly: 'SECONDLY',
    daily: 'DAILY',
  },
  /**
   * The DAILY quota resets at midnight in the portal's time zone, so retrying within minutes only
   * burns more 429s. We still call it retryable (it will pass later) but ask for a long wait.
   */
  dailyLimitRetryAfterMs: 60 * 60 * 1000,
  /**
   * Default lifecycle stages in HubSpot's order. Via the API a stage only moves forward: a write
   * to an earlier stage is ignored unless the value is cleared ('') first.
   */
  lifecycleStages: [...LIFECYCLE_ORDER, 'other'],
} as const;

export type LifecycleStage = (typeof HUBSPOT_LIMITS.lifecycleStages)[number];
