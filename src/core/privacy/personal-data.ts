/**
 * Which parts of the rows we keep are free of personal data, so erasing and retention can drop the rest while the
 * KPIs, the status and the audit's counts keep working.
 */

/**
 * Audit detail keys that hold no personal data. The KPIs read `source`, `segment.id`, `reasonCode` and
 * `convertedOpportunityId` (src/kpis/kpi-queries.ts); the rest are ids, codes, flags, times and numbers.
 * `segment` is reduced to its id (see keptDetail).
 */
export const KEPT_DETAIL_KEYS = [
  'source',
  'segment',
  'reasonCode',
  'convertedOpportunityId',
  'convertedLeadId',
  'how',
  'created',
  'fastTrack',
  'clock',
  'at',
  'dueAt',
  'withinSla',
  'responseMs',
  'lateByMs',
  'kind',
  'provider',
  'code',
  'flag',
  'taskId',
  'parkedId',
  'outcome',
  'attempts',
  'replayOf',
  'event',
  'erasedAt',
  'waitingFor',
  'step',
  // Routing (issue 17): pool ids and Salesforce User Ids of the owners, never the contact's data.
  'pool',
  'fromOwnerId',
  'toOwnerId',
  'assignmentId',
  // Revenue (issue 18): the deal's id, amount, close date, stage and loss-reason code; what won and lost count by.
  'opportunityId',
  'amount',
  'closeDate',
  'stage',
  'lossReason',
] as const;

/** Parked-work context keys that hold no personal data: what filters and the automatic resume read. */
export const KEPT_PARKED_CONTEXT_KEYS = ['code', 'waitingFor', 'step', 'kind', 'provider', 'status'] as const;

/**
 * Audit actions whose `reason` is rule text from the definitions (labels, thresholds), kept after the retention.
 * Others carry text from outside the rules (provider error messages, a rep's rejection, an alert naming the Lead)
 * and lose it. An erasure drops every reason.
 */
export const RULE_TEXT_ACTIONS = [
  'handed_off',
  'not_qualified',
  'linked_existing',
  'lead_updated',
  'status_synced',
  'recycled',
  'sql_qualified',
  'converted',
  'fields_synced',
  'sla_stopped',
  'replayed',
  'resynced',
  'write_not_due',
  'erased',
  'rerouted',
  'reroute_kept',
  'opportunity_won',
  'opportunity_lost',
] as const;

/**
 * What an MQL evaluation's breakdown keeps once its values go (retention or erasure): which rule gave how many
 * points. `detail` shows the values the rule saw, so it goes with them (as do the evaluation's property values and
 * e-mail domains); the verdict (version, segment, score, qualified, fast track, source) stays, as the audit's does.
 */
export const KEPT_BREAKDOWN_KEYS = ['ruleId', 'label', 'category', 'points'] as const;

/** The envelope fields of a stored HubSpot webhook that say nothing about the person (no value, no source id). */
export const KEPT_PAYLOAD_KEYS = [
  'eventId',
  'subscriptionId',
  'portalId',
  'appId',
  'occurredAt',
  'subscriptionType',
  'attemptNumber',
  'objectId',
  'objectTypeId',
  'propertyName',
  'changeSource',
  'changeFlag',
] as const;

/** The same reduction as the SQL in the store does, for callers holding a detail object (and for the tests). */
export function keptDetail(detail: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const key of KEPT_DETAIL_KEYS) {
    if (!Object.hasOwn(detail, key)) continue;
    const value = detail[key];
    if (key === 'segment') {
      const id = value && typeof value === 'object' ? (value as Record<string, unknown>).id : undefined;
      if (id !== undefined) kept.segment = { id };
    } else kept[key] = value;
  }
  return kept;
}

/** Personal data is kept this long after its use: processed events, older audit detail, resolved parked work. */
export function retentionCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * 86_400_000);
}

/**
 * Kept property values (HANDOFF_KEPT_VALUES_MAX_AGE_SECONDS) known as of before this moment can decide nothing any
 * more, so they are not kept past it. 0 (kept values off): none is of use.
 */
export function keptValuesCutoff(now: Date, maxAgeSeconds: number): Date {
  return new Date(now.getTime() - maxAgeSeconds * 1000);
}
