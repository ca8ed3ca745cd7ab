import type { BreakdownCategory } from '../definitions/qualify-mql.ts';
import type { OutcomeStatus } from './outcome.ts';

/**
 * The examples both teams argue about at the monthly MQL review (issue 18): high scorers sales rejected, and low
 * scorers or non-MQLs that became SQL or won. Only what the evaluation kept about the person: ids, the verdict and
 * the breakdown's rule labels and points (never the property values it read, nor a line's detail).
 */
export interface ExampleBreakdownLine {
  ruleId: string;
  label: string;
  category: BreakdownCategory;
  points: number;
}

export interface ExampleOutcome {
  status: OutcomeStatus;
  /** When it came to this: the latest rejection, the first acceptance (SQL), the opportunity won or lost. */
  at: string;
  /** The rejection's reason code (`unspecified` without one); null when not rejected. */
  reasonCode: string | null;
  /** The reason's label as the rejection-reasons file named it then; null when not recorded. */
  reasonLabel: string | null;
}

export interface CalibrationExample {
  contactId: string;
  evaluatedAt: string;
  definitionVersion: string;
  segmentId: string;
  score: number;
  /** The segment's total threshold under the evaluation's definition version; null when no stored version holds it. */
  threshold: number | null;
  qualified: boolean;
  fastTrack: string | null;
  breakdown: ExampleBreakdownLine[];
  outcome: ExampleOutcome;
}

export interface CalibrationExamples {
  from: string;
  to: string;
  limit: number;
  /** MQLs rejected by sales (and not accepted since), highest score first. */
  rejectedHighScorers: CalibrationExample[];
  /** Non-MQLs, or MQLs scoring under their threshold (a fast track), that became SQL or won; lowest score first. */
  acceptedLowScorers: CalibrationExample[];
}

/** One (definition version, segment) pair's threshold, as the store's low-scorer query takes it. */
export interface SegmentThreshold {
  definitionVersion: string;
  segmentId: string;
  total: number;
}

/** The thresholds of `segments` under one definition (its segment list); segments it lacks are left out. */
export function segmentThresholds(
  definitionVersion: string,
  definitionSegments: { id: string; threshold: { total: number } }[],
  wanted: string[],
): SegmentThreshold[] {
  return definitionSegments
    .filter((segment) => wanted.includes(segment.id))
    .map((segment) => ({ definitionVersion, segmentId: segment.id, total: segment.threshold.total }));
}
