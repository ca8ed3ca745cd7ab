import { conditionsOf } from '../definitions/conditions.ts';
import type { MqlDefinition } from '../definitions/mql-schema.ts';
import { qualifyMql } from '../definitions/qualify-mql.ts';
import { type MqlEvaluationRecord, propertiesRead, replayProperties } from './evaluation-record.ts';

/** A stored evaluation as the backtest reads it; `values` and `emailDomains` are null once purged or erased. */
export type StoredEvaluation = Pick<
  MqlEvaluationRecord,
  'contactId' | 'evaluatedAt' | 'definitionVersion' | 'segmentId' | 'score' | 'qualified'
> & {
  values: MqlEvaluationRecord['values'] | null;
  emailDomains: MqlEvaluationRecord['emailDomains'] | null;
};

export interface BacktestDefinitions {
  active: MqlDefinition;
  draft: MqlDefinition;
}

export interface ReplaySide {
  qualified: boolean;
  score: number;
  segmentId: string;
}

export interface DraftSide extends ReplaySide {
  /** An exclusion matched: never an MQL at any threshold. */
  excluded: boolean;
  /** A fast track qualified it (and no exclusion): an MQL at any threshold. */
  fastTracked: boolean;
  /** Judged by the threshold alone: neither excluded nor fast-tracked, and the segment's minimum fit and behaviour met. */
  byThreshold: boolean;
  /**
   * Ids of the draft's rules that fired, as the breakdown records them: scoring rules that gave points, and the
   * fast track or exclusion that decided (the first enabled one that matched; one shadowed by another never decides).
   */
  fired: string[];
}

export interface ReplayedContact {
  contactId: string;
  evaluatedAt: Date;
  active: ReplaySide;
  draft: DraftSide;
  /** Properties the active or the draft definition reads that this evaluation did not record (replayed as empty). */
  notRecorded: string[];
  /** Properties kept as a domain that the draft reads with an operator needing the whole value (an approximation). */
  domainOnly: string[];
}

/** What replaying needs from the two definitions, worked out once per backtest. */
export interface ReplayPlan {
  definitions: BacktestDefinitions;
  /** Every property either definition reads, sorted. */
  read: string[];
  /** Properties the draft reads with an operator other than emailDomainIn, exists or isEmpty. */
  draftWholeValueReads: Set<string>;
}

/** Shared by the (many) contacts with nothing to report, so a big replay allocates no empty arrays. */
const NONE: string[] = [];

const DOMAIN_SAFE_OPS = new Set(['emailDomainIn', 'exists', 'isEmpty']);

export function replayPlan(definitions: BacktestDefinitions): ReplayPlan {
  const { active, draft } = definitions;
  const whole = new Set<string>();
  const whens = [
    ...[...draft.fit, ...draft.behaviour].flatMap((rule) => (rule.when ? [rule.when] : [])),
    ...[...draft.fastTrack, ...draft.exclusions].map((rule) => rule.when),
    ...draft.segments.flatMap((segment) => (segment.when ? [segment.when] : [])),
  ];
  for (const when of whens) for (const c of conditionsOf(when)) if (!DOMAIN_SAFE_OPS.has(c.op)) whole.add(c.property);
  for (const rule of [...draft.fit, ...draft.behaviour]) if (rule.perUnit) whole.add(rule.perUnit.property);
  return {
    definitions,
    read: [...new Set([...propertiesRead(active), ...propertiesRead(draft)])].sort(),
    draftWholeValueReads: whole,
  };
}

/**
 * Qualifies one stored evaluation's values under the active and the draft definitions; undefined when its values
 * are gone (past the retention, or the contact was erased). The active side is the stored verdict when the
 * evaluation was made under the active definition itself (same version and content hash): qualifyMql would
 * only repeat it.
 */
export function replayEvaluation(evaluation: StoredEvaluation, plan: ReplayPlan): ReplayedContact | undefined {
  const { values, emailDomains } = evaluation;
  if (values === null || emailDomains === null) return undefined;
  const { active, draft } = plan.definitions;
  const contact = { id: evaluation.contactId, properties: replayProperties({ values, emailDomains }) };
  const activeSide: ReplaySide =
    evaluation.definitionVersion === active.version
      ? { qualified: evaluation.qualified, score: evaluation.score, segmentId: evaluation.segmentId }
      : sideOf(qualifyMql(contact, active));
  const result = qualifyMql(contact, draft);
  const { minFit, minBehaviour } = result.threshold;
  const excluded = result.excludedBy !== undefined;
  const fastTracked = result.fastTrack !== undefined;
  const fired: string[] = [];
  for (const line of result.breakdown)
    if (line.points !== 0 || line.category === 'fastTrack' || line.category === 'exclusion') fired.push(line.ruleId);
  return {
    contactId: evaluation.contactId,
    evaluatedAt: evaluation.evaluatedAt,
    active: activeSide,
    draft: {
      ...sideOf(result),
      excluded,
      fastTracked,
      byThreshold:
        !excluded &&
        !fastTracked &&
        (minFit === undefined || result.fitScore >= minFit) &&
        (minBehaviour === undefined || result.behaviourScore >= minBehaviour),
      fired,
    },
    notRecorded: missingFrom(plan.read, values, emailDomains),
    domainOnly: wholeValueReads(emailDomains, plan.draftWholeValueReads),
  };
}

function missingFrom(read: string[], values: Record<string, unknown>, emailDomains: Record<string, unknown>): string[] {
  let missing = NONE;
  for (const property of read) {
    if (property in values || property in emailDomains) continue;
    if (missing === NONE) missing = [];
    missing.push(property);
  }
  return missing;
}

function wholeValueReads(emailDomains: Record<string, string>, whole: Set<string>): string[] {
  let found = NONE;
  for (const property in emailDomains) {
    if (!whole.has(property)) continue;
    if (found === NONE) found = [];
    found.push(property);
  }
  return found;
}

function sideOf(result: { qualified: boolean; score: number; segment: { id: string } }): ReplaySide {
  return { qualified: result.qualified, score: result.score, segmentId: result.segment.id };
}
