import type { MqlEvaluationRecord } from '../../core/calibration/evaluation-record.ts';
import type { OutcomeCode } from '../../core/handoff/outcomes.ts';
import type { RouteDecision } from '../../core/routing/decide-route.ts';
import type { HistoryEntryInput } from '../../store/history.ts';
import type { WriteBackInput } from '../../store/hubspot-writebacks.ts';
import type { WrittenValues } from '../../store/last-written.ts';
import type { LinkInput } from '../../store/links.ts';
import type { OwnerNotificationInput } from '../../store/owner-notifications.ts';
import type { ParkedChain, ParkInput } from '../../store/parked.ts';
import type { SlaTimerInput } from '../../store/sla-timers.ts';

/** Everything one contact's processing decided, persisted together at the end of the batch. */
export interface ContactResult {
  contactId: string;
  /** Inbox events this result settles. */
  eventIds: string[];
  outcome: OutcomeCode;
  /** The HubSpot write-back was parked after the outcome above (which it leaves as it was). */
  writeBackParked?: boolean;
  /** The qualification's score and definition version, when the contact was judged (handed off, linked, not qualified). */
  score?: number;
  definitionVersion?: string;
  /** The MQL evaluation made for this contact (qualified or not), kept for backtests; none when it was not judged. */
  evaluation?: MqlEvaluationRecord;
  history: HistoryEntryInput[];
  link?: LinkInput;
  salesforceWritten?: { recordId: string; values: WrittenValues };
  /** HubSpot properties to write back (lifecycle, lead status, Salesforce id …). */
  hubspotUpdate?: Record<string, string>;
  /** The HubSpot write-back still to send, queued in the outbox with the rest (see prepareWriteBack). */
  writeBack?: WriteBackInput;
  park?: ParkInput;
  /** When this processing replays parked work: a handoff parked again continues that chain. */
  replayOf?: ParkedChain;
  /** SLA clocks that start with this handoff (persisted with the rest). */
  slaClocks?: SlaTimerInput[];
  /** The new Lead's routing: its reserved assignment (confirmed with the rest), owner and notifications to send. */
  assignment?: {
    assignmentId: string;
    leadId: string;
    ownerId: string | null;
    assignedAt: Date;
    decision: RouteDecision;
    notifications: OwnerNotificationInput[];
    /** Confirmed and its notifications queued already (before the HubSpot write-back). */
    recorded?: boolean;
  };
}

export function parkResult(
  result: ContactResult,
  kind: string,
  provider: 'hubspot' | 'salesforce',
  message: string,
  context: Record<string, unknown> = {},
): void {
  result.outcome = 'parked';
  result.park = { kind, recordKey: result.contactId, provider, message, context };
  result.history.push({ hubspotContactId: result.contactId, action: 'parked', reason: message, detail: { kind, provider, ...context } });
}

export { asWrittenValues } from '../../core/handoff/written-values.ts';
