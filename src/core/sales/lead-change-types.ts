import type { FunnelStage } from '../contact.ts';

/** A Salesforce Lead as the poller read it: values as strings ("true"/"false" for checkboxes), null when empty. */
export interface LeadState {
  id: string;
  /** The external id field: the HubSpot contact this Lead belongs to. */
  hubspotContactId: string;
  status: string | null;
  isConverted: boolean;
  convertedContactId: string | null;
  convertedOpportunityId: string | null;
  ownerId: string | null;
  lastModifiedById: string | null;
  systemModstamp: string;
  /** Every other field read: rejection reason and note, BANT fields, fields mapped to_hubspot/both. */
  fields: Record<string, string | null>;
}

/** What the service last acted on for a Lead (persisted by the jobs layer). */
export interface LeadMemory {
  stage: FunnelStage | null;
  status: string | null;
  /** Fingerprint of the decision-relevant values last processed; equal means nothing new. */
  fingerprint: string;
  /** The open flag, if the Lead is waiting for the rep. */
  flagged: FlagKind | null;
}

export type FlagKind = 'missing_rejection_reason' | 'invalid_rejection_reason' | 'missing_rejection_note' | 'bant_not_met';

/** What HubSpot learns from a sales-side change. List values are list NAMES; the adapter resolves ids. */
export interface HubSpotFeedback {
  properties: Record<string, string>;
  /** Target lifecycle stage; the jobs layer moves forward directly, or clears then sets for a backward move. */
  lifecyclestage?: string;
  lists: { add: string[]; remove: string[] };
}

export type LeadChangeHistoryAction = 'status_synced' | 'rejected' | 'recycled' | 'sql_qualified' | 'converted' | 'fields_synced';

export type LeadChangeOutcome =
  | { kind: 'none'; reason: string }
  | {
      kind: 'propagate';
      hubspot: HubSpotFeedback;
      /** Text for the Lead's sync-status field the rep sees. */
      syncStatus: string;
      history: { action: LeadChangeHistoryAction; reason: string; detail: Record<string, unknown> };
    }
  | {
      kind: 'flag';
      flag: FlagKind;
      /** Shown to the rep: what is missing or wrong, with the valid codes where that helps. */
      message: string;
      syncStatus: string;
      task: { subject: string; description: string };
    };

export interface LeadChangeDecision {
  fingerprint: string;
  stage: FunnelStage | null;
  outcome: LeadChangeOutcome;
}
