import {
  type ContactOutcome,
  OPEN_OUTCOME,
  type OutcomeStatus,
  type OutcomeTally,
  outcomeStatus,
  sqlLabel,
  tallyOutcomes,
  wonLabel,
} from './outcome.ts';
import type { ReplayedContact, ReplayPlan } from './replay.ts';
import { type RuleLift, ruleLift } from './rule-lift.ts';
import { THRESHOLD_OBJECTIVE, type ThresholdRow, thresholdCurve } from './threshold-curve.ts';

/** A replayed contact with what became of it after the evaluation. */
export interface BacktestContact extends ReplayedContact {
  status: OutcomeStatus;
  rejectionReason: string | null;
}

export function withOutcome(contact: ReplayedContact, outcome: ContactOutcome = OPEN_OUTCOME): BacktestContact {
  return { ...contact, status: outcomeStatus(outcome), rejectionReason: outcome.rejectionReason };
}

export interface GroupFigures extends OutcomeTally {
  /** Rejected contacts (not accepted since) per reason code, most frequent first. */
  rejectionReasons: { reason: string; count: number }[];
}

export interface ChangedContact {
  contactId: string;
  segmentId: string;
  activeScore: number;
  draftScore: number;
  status: OutcomeStatus;
}

export interface ContactChanges {
  count: number;
  /** The first CHANGE_LIST_LIMIT by draft score (highest first), then contact id. */
  contacts: ChangedContact[];
  truncated: boolean;
}

export interface SegmentCurve {
  segmentId: string;
  label: string;
  /** Contacts the draft puts in this segment. */
  contacts: number;
  currentThreshold: number;
  /** The threshold with the highest F1 per label; null when no contact's answer is known. */
  best: { sql: number | null; won: number | null };
  thresholds: ThresholdRow[];
}

export interface ScoreBand {
  /** Draft score from (inclusive) to (exclusive). */
  from: number;
  to: number;
  mql: number;
  outcomes: OutcomeTally;
}

export interface BacktestReport {
  definitions: { active: string; draft: string };
  objective: string;
  contacts: {
    /** Contacts evaluated in the period (their latest evaluation in it counts). */
    evaluated: number;
    replayed: number;
    /** Their latest evaluation's values are gone (past the retention, or the contact was erased). */
    notReplayable: number;
  };
  coverage: {
    /** Properties read now but not recorded by an evaluation (made under a definition that did not read them). */
    notRecorded: { property: string; contacts: number }[];
    /** Kept as a domain, but read by the draft with an operator needing the whole value: replayed on the domain. */
    domainOnly: { property: string; contacts: number }[];
  };
  mql: { active: number; draft: number };
  newlyQualifying: ContactChanges;
  noLongerQualifying: ContactChanges;
  groups: { both: GroupFigures; activeOnly: GroupFigures; draftOnly: GroupFigures };
  segments: SegmentCurve[];
  /** All the draft's MQLs: what rule lift compares with. */
  baseline: OutcomeTally;
  rules: RuleLift[];
  scoreBands: ScoreBand[];
}

export const CHANGE_LIST_LIMIT = 100;
export const SCORE_BAND_WIDTH = 10;

const OBJECTIVE_TEXT = `${THRESHOLD_OBJECTIVE}: the threshold with the highest F1 (2PR / (P + R)) is marked, per segment and per outcome; ties go to the higher threshold`;

/**
 * The draft against the active definition over the contacts replayed (pure). `evaluated` counts every contact
 * with an evaluation in the period, those that could not be replayed included.
 */
export function summariseBacktest(contacts: BacktestContact[], plan: ReplayPlan, evaluated: number): BacktestReport {
  const { active, draft } = plan.definitions;
  const both = contacts.filter((c) => c.active.qualified && c.draft.qualified);
  const activeOnly = contacts.filter((c) => c.active.qualified && !c.draft.qualified);
  const draftOnly = contacts.filter((c) => !c.active.qualified && c.draft.qualified);
  const draftMql = contacts.filter((c) => c.draft.qualified);
  const baseline = tallyOutcomes(draftMql.map((c) => c.status));
  return {
    definitions: { active: active.version, draft: draft.version },
    objective: OBJECTIVE_TEXT,
    contacts: { evaluated, replayed: contacts.length, notReplayable: evaluated - contacts.length },
    coverage: {
      notRecorded: countProperties(contacts.map((c) => c.notRecorded)),
      domainOnly: countProperties(contacts.map((c) => c.domainOnly)),
    },
    mql: { active: both.length + activeOnly.length, draft: draftMql.length },
    newlyQualifying: changes(draftOnly),
    noLongerQualifying: changes(activeOnly),
    groups: { both: groupFigures(both), activeOnly: groupFigures(activeOnly), draftOnly: groupFigures(draftOnly) },
    segments: draft.segments.map((segment) => {
      const inSegment = contacts.filter((c) => c.draft.segmentId === segment.id);
      const thresholds = thresholdCurve(inSegment, segment.threshold.total, { sql: sqlLabel, won: wonLabel });
      const bestFor = (label: 'sql' | 'won') => thresholds.find((row) => row.bestFor.includes(label))?.threshold ?? null;
      return {
        segmentId: segment.id,
        label: segment.label,
        contacts: inSegment.length,
        currentThreshold: segment.threshold.total,
        best: { sql: bestFor('sql'), won: bestFor('won') },
        thresholds,
      };
    }),
    baseline,
    rules: ruleLift(draft, contacts, baseline),
    scoreBands: scoreBands(contacts),
  };
}

function groupFigures(contacts: BacktestContact[]): GroupFigures {
  const reasons = new Map<string, number>();
  for (const c of contacts) {
    if (c.status === 'rejected' && c.rejectionReason !== null) reasons.set(c.rejectionReason, (reasons.get(c.rejectionReason) ?? 0) + 1);
  }
  return {
    ...tallyOutcomes(contacts.map((c) => c.status)),
    rejectionReasons: [...reasons]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
  };
}

function changes(contacts: BacktestContact[]): ContactChanges {
  const listed = [...contacts]
    .sort((a, b) => b.draft.score - a.draft.score || a.contactId.localeCompare(b.contactId))
    .slice(0, CHANGE_LIST_LIMIT)
    .map((c) => ({
      contactId: c.contactId,
      segmentId: c.draft.segmentId,
      activeScore: c.active.score,
      draftScore: c.draft.score,
      status: c.status,
    }));
  return { count: contacts.length, contacts: listed, truncated: contacts.length > CHANGE_LIST_LIMIT };
}

function scoreBands(contacts: BacktestContact[]): ScoreBand[] {
  const bands = new Map<number, BacktestContact[]>();
  for (const c of contacts) {
    const from = Math.floor(c.draft.score / SCORE_BAND_WIDTH) * SCORE_BAND_WIDTH;
    const band = bands.get(from) ?? [];
    band.push(c);
    bands.set(from, band);
  }
  return [...bands]
    .sort(([a], [b]) => a - b)
    .map(([from, band]) => ({
      from,
      to: from + SCORE_BAND_WIDTH,
      mql: band.filter((c) => c.draft.qualified).length,
      outcomes: tallyOutcomes(band.map((c) => c.status)),
    }));
}

function countProperties(lists: string[][]): { property: string; contacts: number }[] {
  const counts = new Map<string, number>();
  for (const list of lists) for (const property of list) counts.set(property, (counts.get(property) ?? 0) + 1);
  return [...counts]
    .map(([property, contacts]) => ({ property, contacts }))
    .sort((a, b) => b.contacts - a.contacts || a.property.localeCompare(b.property));
}
