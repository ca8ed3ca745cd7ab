import type { HubSpotFeedback } from '../sales/lead-change-types.ts';

/** A Salesforce Opportunity as the poll read it (Object Reference, "Opportunity"). */
export interface OpportunityState {
  id: string;
  stageName: string | null;
  amount: number | null;
  /** YYYY-MM-DD. */
  closeDate: string | null;
  /** Set by Salesforce from the stage (the org's OpportunityStage values say which are closed and won). */
  isClosed: boolean;
  isWon: boolean;
  forecastCategory: string | null;
  /** The value of revenue.yaml's lossReasonField; null without one. */
  lossReason: string | null;
  ownerId: string | null;
  lastModifiedById: string | null;
  systemModstamp: string;
}

export type OpportunityStatus = 'open' | 'won' | 'lost';

/** What the poll last acted on for an Opportunity (persisted by the jobs layer). */
export interface OpportunityMemory {
  /** Fingerprint of the decision-relevant values last acted on; equal means nothing new. */
  fingerprint: string;
  status: OpportunityStatus | null;
}

export type OpportunityHistoryAction = 'opportunity_won' | 'opportunity_lost' | 'fields_synced';

export interface OpportunityHistory {
  action: OpportunityHistoryAction;
  reason: string;
  /** Always opportunityId, amount, closeDate, stage, lossReason; the jobs layer adds what HubSpot answered. */
  detail: Record<string, unknown>;
}

/** Why nothing is done: nothing changed, the change is our own write, or the follow-up is off. */
export type OpportunityNoneCode = 'unchanged' | 'our_write' | 'not_followed';

export type OpportunityOutcome =
  | { kind: 'none'; code: OpportunityNoneCode; reason: string }
  /** A stage (or amount, close date) change of an open deal, or a deal reopened: recorded, nothing written. */
  | { kind: 'open'; reason: string }
  | { kind: 'won'; hubspot: HubSpotFeedback; history: OpportunityHistory }
  | { kind: 'lost'; hubspot: HubSpotFeedback; history: OpportunityHistory };

export interface OpportunityDecision {
  fingerprint: string;
  status: OpportunityStatus;
  outcome: OpportunityOutcome;
}
