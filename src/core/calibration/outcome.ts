/**
 * Where a contact's lead went after an evaluation, as the audit trail records it (src/store/contact-outcomes.ts).
 * A contact with nothing recorded is open: still with sales, or never handed to them.
 */
export interface ContactOutcome {
  /** Accepted by sales: SQL, converted, or an opportunity that closed (won or lost). */
  becameSql: boolean;
  won: boolean;
  lost: boolean;
  /** The reason code of the latest rejection (held or recycled), `unspecified` without one; null when never rejected. */
  rejectionReason: string | null;
}

export const OPEN_OUTCOME: ContactOutcome = { becameSql: false, won: false, lost: false, rejectionReason: null };

/** One word per contact; a later stage wins: won > lost > SQL (still open with sales) > rejected > open. */
export type OutcomeStatus = 'won' | 'lost' | 'sql' | 'rejected' | 'open';

export function outcomeStatus(outcome: ContactOutcome): OutcomeStatus {
  if (outcome.won) return 'won';
  if (outcome.lost) return 'lost';
  if (outcome.becameSql) return 'sql';
  if (outcome.rejectionReason !== null) return 'rejected';
  return 'open';
}

/**
 * Rates are over the contacts whose answer is known, so recent leads still open neither help nor hurt:
 * - SQL rate = became SQL ÷ (became SQL + rejected): of those sales decided on, the share they accepted;
 * - win rate = won ÷ (won + lost + rejected): of those that reached an end, the share that was won.
 * A rate with nothing decided is null.
 */
export interface OutcomeTally {
  contacts: number;
  open: number;
  /** Became SQL, with their opportunity still open or none (won and lost are counted apart). */
  sql: number;
  won: number;
  lost: number;
  rejected: number;
  sqlRate: number | null;
  winRate: number | null;
}

export type StatusCounts = Record<OutcomeStatus, number>;

export const noStatuses = (): StatusCounts => ({ open: 0, sql: 0, won: 0, lost: 0, rejected: 0 });

/** Counts the statuses and derives the rates (see OutcomeTally). */
export function tallyOutcomes(statuses: Iterable<OutcomeStatus>): OutcomeTally {
  const counts = noStatuses();
  for (const status of statuses) counts[status] += 1;
  return tallyCounts(counts);
}

/** The tally of statuses already counted. */
export function tallyCounts(counts: StatusCounts): OutcomeTally {
  const accepted = counts.sql + counts.won + counts.lost;
  return {
    contacts: accepted + counts.rejected + counts.open,
    ...counts,
    sqlRate: ratio(accepted, accepted + counts.rejected),
    winRate: ratio(counts.won, counts.won + counts.lost + counts.rejected),
  };
}

/** Whether the status answers "became SQL?" (true / false), or leaves it open (undefined). */
export function sqlLabel(status: OutcomeStatus): boolean | undefined {
  if (status === 'open') return undefined;
  return status !== 'rejected';
}

/** Whether the status answers "won?" (true / false), or leaves it open (undefined): an SQL may still be won. */
export function wonLabel(status: OutcomeStatus): boolean | undefined {
  if (status === 'open' || status === 'sql') return undefined;
  return status === 'won';
}

export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}
