/**
 * Every way one contact's processing can end, as a closed set of codes (the /metrics label), each with the text
 * people see for it (inbox results, the batch summary, backfill samples). ContactResult.outcome holds the code; a
 * write-back parked afterwards is a separate flag on the result, so the outcome keeps what happened before it.
 */
export const OUTCOME_TEXTS = {
  pending: 'pending',
  handed_off: 'handed_off',
  linked_existing_contact: 'linked_existing_contact',
  lead_updated: 'lead_updated',
  lead_converted: 'lead converted: write not due',
  not_qualified: 'not_qualified',
  parked: 'parked',
  no_mapped_field_changed: 'no mapped field changed',
  contact_not_found: 'contact not found in HubSpot',
  already_linked: 'already linked',
  linked_to_salesforce_contact: 'already linked to a Salesforce Contact',
  resynced: 'resynced',
  resynced_list_membership_parked: 'resynced; list membership parked',
} as const;

export type OutcomeCode = keyof typeof OUTCOME_TEXTS;

/** How one contact's processing ended: its code, and whether its HubSpot write-back was parked afterwards. */
export interface OutcomeOf {
  outcome: OutcomeCode;
  writeBackParked?: boolean;
}

const WRITE_BACK_PARKED = '; write-back parked';

/** The text of an outcome as people see it, e.g. `handed_off; write-back parked` (unchanged from before codes). */
export type ContactOutcome = (typeof OUTCOME_TEXTS)[OutcomeCode] | `${(typeof OUTCOME_TEXTS)[OutcomeCode]}${typeof WRITE_BACK_PARKED}`;

export function outcomeText(result: OutcomeOf): ContactOutcome {
  const text = OUTCOME_TEXTS[result.outcome];
  return result.writeBackParked ? `${text}${WRITE_BACK_PARKED}` : text;
}

/** Every outcome there is, the write-back-parked variants included (for the metrics test). */
export function allOutcomes(): OutcomeOf[] {
  const codes = Object.keys(OUTCOME_TEXTS) as OutcomeCode[];
  return [...codes.map((outcome) => ({ outcome })), ...codes.map((outcome) => ({ outcome, writeBackParked: true }))];
}

/** The metric label of an outcome: its code, with `_writeback_parked` when the write-back was parked. */
export function outcomeLabel(result: OutcomeOf): string {
  return result.writeBackParked ? `${result.outcome}_writeback_parked` : result.outcome;
}
