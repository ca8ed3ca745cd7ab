/**
 * Every way one contact's processing can end, with the code /metrics counts it under. The texts stay as
 * they are (inbox results and backfill samples show them to people); a metric label needs a short code, and
 * an outcome without one would be counted as "other" and lost. ContactResult.outcome is typed by this table,
 * so a new outcome does not compile until it is named here.
 */
export const OUTCOME_CODES = {
  pending: 'pending',
  handed_off: 'handed_off',
  linked_existing_contact: 'linked_existing_contact',
  lead_updated: 'lead_updated',
  'lead converted: write not due': 'lead_converted',
  not_qualified: 'not_qualified',
  parked: 'parked',
  'no mapped field changed': 'no_mapped_field_changed',
  'contact not found in HubSpot': 'contact_not_found',
  'already linked': 'already_linked',
  'already linked to a Salesforce Contact': 'linked_to_salesforce_contact',
  resynced: 'resynced',
  'resynced; list membership parked': 'resynced_list_membership_parked',
} as const;

export type BaseOutcome = keyof typeof OUTCOME_CODES;

const WRITE_BACK_PARKED = '; write-back parked';
/** An outcome whose HubSpot write-back was parked afterwards keeps what happened before it. */
export type ContactOutcome = BaseOutcome | `${BaseOutcome}${typeof WRITE_BACK_PARKED}`;

export function withWriteBackParked(outcome: ContactOutcome): ContactOutcome {
  return `${baseOutcome(outcome)}${WRITE_BACK_PARKED}`;
}

function baseOutcome(outcome: ContactOutcome): BaseOutcome {
  return (outcome.endsWith(WRITE_BACK_PARKED) ? outcome.slice(0, -WRITE_BACK_PARKED.length) : outcome) as BaseOutcome;
}

/** Every outcome there is, the write-back-parked variants included (for the metrics test). */
export function allOutcomes(): ContactOutcome[] {
  const bases = Object.keys(OUTCOME_CODES) as BaseOutcome[];
  return [...bases, ...bases.map(withWriteBackParked)];
}

/** The metric label of an outcome: its code, with `_writeback_parked` when the write-back was parked. */
export function outcomeCode(outcome: ContactOutcome): string {
  const code = OUTCOME_CODES[baseOutcome(outcome)];
  return outcome.endsWith(WRITE_BACK_PARKED) ? `${code}_writeback_parked` : code;
}
