import type { MqlEvaluationRecord } from '../../core/calibration/evaluation-record.ts';
import type { SlaClockKind } from '../../core/sla/sla-clocks.ts';
import type { HistoryEntryInput } from '../../store/history.ts';
import type { StoredDecision } from '../../store/lead-assignments.ts';

/** A confirmed routing decision, as lead_assignments holds one after the Lead was created. */
export interface SeededAssignment {
  contactId: string;
  leadId: string;
  ruleId: string;
  strategy: string;
  ownerId: string;
  ownerKind: 'user' | 'assignment-rule';
  decision: StoredDecision;
  routingVersion: string;
  decidedAt: Date;
  assignedAt: Date;
}

/** An SLA clock that has already been decided: stopped, or breached (never one still running for the tick to find). */
export interface SeededTimer {
  leadId: string;
  contactId: string;
  kind: SlaClockKind;
  rule: string;
  source: string | null;
  segment: string;
  definitionVersion: string;
  handedOffAt: Date;
  routingDelayMs: number;
  warnAt: Date | null;
  dueAt: Date;
  warnedAt: Date | null;
  breachedAt: Date | null;
  lateByMs: number | null;
  stoppedAt: Date | null;
  stopReason: string | null;
  ownerId: string;
}

/** An Opportunity of a converted Lead, as the Opportunity poll last read it. */
export interface SeededOpportunity {
  opportunityId: string;
  leadId: string;
  contactId: string;
  stage: string;
  amount: number;
  closeDate: string;
  isClosed: boolean;
  isWon: boolean;
  lossReason: string | null;
  ownerId: string;
  status: 'open' | 'won' | 'lost';
  linkedAt: Date;
  closedAt: Date | null;
}

/** Everything a seeded quarter writes, and what it amounts to (for the log line and the tests). */
export interface SeededHistory {
  evaluations: MqlEvaluationRecord[];
  history: HistoryEntryInput[];
  assignments: SeededAssignment[];
  timers: SeededTimer[];
  opportunities: SeededOpportunity[];
  counts: SeededCounts;
}

export interface SeededCounts {
  contacts: number;
  mql: number;
  sql: number;
  won: number;
  lost: number;
  rejected: number;
  /** Contacts never handed off that sales later accepted anyway: the review's "missed" examples. */
  nonMqlSql: number;
}
