import {
  type ContactOutcome,
  noStatuses,
  OPEN_OUTCOME,
  type OutcomeStatus,
  type OutcomeTally,
  outcomeStatus,
  type StatusCounts,
  tallyCounts,
} from './outcome.ts';
import type { ReplayedContact, ReplayPlan } from './replay.ts';
import { type RuleLift, RuleLiftCounter } from './rule-lift.ts';
import { THRESHOLD_OBJECTIVE, ThresholdCurve, type ThresholdRow } from './threshold-curve.ts';

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
 * The draft against the active definition, built one replayed contact at a time: every figure is kept as counts (per
 * group, segment and score, rule, band), so memory grows with the distinct scores and rules, not with the contacts.
 */
export class BacktestSummary {
  private readonly plan: ReplayPlan;
  private replayed = 0;
  private activeMql = 0;
  private readonly groups = { both: new GroupCounter(), activeOnly: new GroupCounter(), draftOnly: new GroupCounter() };
  private readonly newlyQualifying = new ChangeList();
  private readonly noLongerQualifying = new ChangeList();
  private readonly curves: Map<string, ThresholdCurve>;
  private readonly rules: RuleLiftCounter;
  private readonly baseline = noStatuses();
  private readonly bands = new Map<number, { mql: number; statuses: StatusCounts }>();
  private readonly notRecorded = new Map<string, number>();
  private readonly domainOnly = new Map<string, number>();

  constructor(plan: ReplayPlan) {
    this.plan = plan;
    this.curves = new Map(plan.definitions.draft.segments.map((segment) => [segment.id, new ThresholdCurve()]));
    this.rules = new RuleLiftCounter(plan.definitions.draft);
  }

  add(c: BacktestContact): void {
    this.replayed += 1;
    const { active, draft, status } = c;
    if (active.qualified) this.activeMql += 1;
    if (draft.qualified) this.baseline[status] += 1;
    if (active.qualified && draft.qualified) this.groups.both.add(c);
    else if (active.qualified) {
      this.groups.activeOnly.add(c);
      this.noLongerQualifying.add(c);
    } else if (draft.qualified) {
      this.groups.draftOnly.add(c);
      this.newlyQualifying.add(c);
    }
    this.curves.get(draft.segmentId)?.add(draft, status);
    this.rules.add(draft, status);
    const from = Math.floor(draft.score / SCORE_BAND_WIDTH) * SCORE_BAND_WIDTH;
    let band = this.bands.get(from);
    if (!band) {
      band = { mql: 0, statuses: noStatuses() };
      this.bands.set(from, band);
    }
    band.statuses[status] += 1;
    if (draft.qualified) band.mql += 1;
    for (const property of c.notRecorded) this.notRecorded.set(property, (this.notRecorded.get(property) ?? 0) + 1);
    for (const property of c.domainOnly) this.domainOnly.set(property, (this.domainOnly.get(property) ?? 0) + 1);
  }

  /** `evaluated`: every contact with an evaluation in the period, those that could not be replayed included. */
  report(evaluated: number): BacktestReport {
    const { active, draft } = this.plan.definitions;
    const baseline = tallyCounts(this.baseline);
    return {
      definitions: { active: active.version, draft: draft.version },
      objective: OBJECTIVE_TEXT,
      contacts: { evaluated, replayed: this.replayed, notReplayable: evaluated - this.replayed },
      coverage: { notRecorded: propertyCounts(this.notRecorded), domainOnly: propertyCounts(this.domainOnly) },
      mql: { active: this.activeMql, draft: baseline.contacts },
      newlyQualifying: this.newlyQualifying.changes(),
      noLongerQualifying: this.noLongerQualifying.changes(),
      groups: {
        both: this.groups.both.figures(),
        activeOnly: this.groups.activeOnly.figures(),
        draftOnly: this.groups.draftOnly.figures(),
      },
      segments: draft.segments.map((segment) => {
        const curve = this.curves.get(segment.id)!;
        const thresholds = curve.rows(segment.threshold.total);
        const bestFor = (label: 'sql' | 'won') => thresholds.find((row) => row.bestFor.includes(label))?.threshold ?? null;
        return {
          segmentId: segment.id,
          label: segment.label,
          contacts: curve.contacts,
          currentThreshold: segment.threshold.total,
          best: { sql: bestFor('sql'), won: bestFor('won') },
          thresholds,
        };
      }),
      baseline,
      rules: this.rules.lift(baseline),
      scoreBands: [...this.bands]
        .sort(([a], [b]) => a - b)
        .map(([from, band]) => ({ from, to: from + SCORE_BAND_WIDTH, mql: band.mql, outcomes: tallyCounts(band.statuses) })),
    };
  }
}

/** The summary of contacts already replayed, all at once (see BacktestSummary). */
export function summariseBacktest(contacts: Iterable<BacktestContact>, plan: ReplayPlan, evaluated: number): BacktestReport {
  const summary = new BacktestSummary(plan);
  for (const contact of contacts) summary.add(contact);
  return summary.report(evaluated);
}

class GroupCounter {
  private readonly statuses = noStatuses();
  private readonly reasons = new Map<string, number>();

  add(c: BacktestContact): void {
    this.statuses[c.status] += 1;
    if (c.status === 'rejected' && c.rejectionReason !== null)
      this.reasons.set(c.rejectionReason, (this.reasons.get(c.rejectionReason) ?? 0) + 1);
  }

  figures(): GroupFigures {
    return {
      ...tallyCounts(this.statuses),
      rejectionReasons: [...this.reasons]
        .map(([reason, count]) => ({ reason, count }))
        .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    };
  }
}

/** Contacts that changed sides: all counted, the first CHANGE_LIST_LIMIT by draft score (then id) kept. */
class ChangeList {
  private count = 0;
  private kept: ChangedContact[] = [];

  add(c: BacktestContact): void {
    this.count += 1;
    this.kept.push({
      contactId: c.contactId,
      segmentId: c.draft.segmentId,
      activeScore: c.active.score,
      draftScore: c.draft.score,
      status: c.status,
    });
    // Trimmed now and then, so the list stays short however many contacts change.
    if (this.kept.length >= CHANGE_LIST_LIMIT * 10) this.kept = this.first();
  }

  changes(): ContactChanges {
    return { count: this.count, contacts: this.first(), truncated: this.count > CHANGE_LIST_LIMIT };
  }

  private first(): ChangedContact[] {
    return this.kept.sort((a, b) => b.draftScore - a.draftScore || a.contactId.localeCompare(b.contactId)).slice(0, CHANGE_LIST_LIMIT);
  }
}

function propertyCounts(counts: Map<string, number>): { property: string; contacts: number }[] {
  return [...counts]
    .map(([property, contacts]) => ({ property, contacts }))
    .sort((a, b) => b.contacts - a.contacts || a.property.localeCompare(b.property));
}
