import type { HubSpotContact, HubSpotProperties } from '../contact.ts';
import { conditionsOf, evaluateWhen, parseNumber } from './conditions.ts';
import type { MqlDefinition, ScoringRule, Segment, SwitchRule, Threshold } from './mql-schema.ts';

export type BreakdownCategory = 'fit' | 'behaviour' | 'fastTrack' | 'exclusion';

export interface BreakdownLine {
  ruleId: string;
  label: string;
  category: BreakdownCategory;
  points: number;
  detail: string;
}

export interface RuleRef {
  id: string;
  label: string;
}

export interface MqlResult {
  qualified: boolean;
  score: number;
  fitScore: number;
  behaviourScore: number;
  segment: RuleRef;
  threshold: Threshold;
  /** Every fit and behaviour rule (0 points when it did not match), then any fast track or exclusion that fired. */
  breakdown: BreakdownLine[];
  fastTrack?: RuleRef;
  excludedBy?: RuleRef;
  /** Human sentences: why qualified or not. */
  reasons: string[];
  /** The definition's recorded version (`${version}@${hash7}` once loaded through the mappings loader). */
  version: string;
}

/**
 * Scores a contact against the MQL definition. Order of precedence:
 * an enabled exclusion disqualifies; else an enabled fast track qualifies; else the segment threshold decides.
 */
export function qualifyMql(contact: HubSpotContact, definition: MqlDefinition): MqlResult {
  const props = contact.properties;
  const fitLines = definition.fit.map((rule) => scoreRule(rule, 'fit', props));
  const behaviourLines = definition.behaviour.map((rule) => scoreRule(rule, 'behaviour', props));
  const fitScore = sum(fitLines);
  const behaviourScore = sum(behaviourLines);
  const score = fitScore + behaviourScore;
  const segment = selectSegment(definition.segments, props);
  const exclusion = firstFired(definition.exclusions, props);
  const fastTrack = firstFired(definition.fastTrack, props);
  const thresholdCheck = checkThreshold({ score, fitScore, behaviourScore }, segment);

  const breakdown = [...fitLines, ...behaviourLines];
  const reasons: string[] = [];
  let qualified: boolean;
  if (exclusion) {
    qualified = false;
    breakdown.push(switchLine(exclusion, 'exclusion'));
    reasons.push(`Excluded: ${lowerFirst(exclusion.rule.label)}`);
    if (fastTrack) reasons.push(`Fast track "${fastTrack.rule.label}" ignored: an exclusion applies`);
  } else if (fastTrack) {
    qualified = true;
    breakdown.push(switchLine(fastTrack, 'fastTrack'));
    reasons.push(`Fast track: ${lowerFirst(fastTrack.rule.label)}`);
  } else {
    qualified = thresholdCheck.passed;
  }
  reasons.push(...thresholdCheck.reasons);

  return {
    qualified,
    score,
    fitScore,
    behaviourScore,
    segment: { id: segment.id, label: segment.label },
    threshold: segment.threshold,
    breakdown,
    ...(fastTrack && !exclusion ? { fastTrack: ref(fastTrack.rule) } : {}),
    ...(exclusion ? { excludedBy: ref(exclusion.rule) } : {}),
    reasons,
    version: definition.version,
  };
}

function scoreRule(rule: ScoringRule, category: 'fit' | 'behaviour', props: HubSpotProperties): BreakdownLine {
  const base = { ruleId: rule.id, label: rule.label, category };
  if (rule.perUnit) {
    const { property, points, max } = rule.perUnit;
    const units = Math.max(0, parseNumber(props[property]) ?? 0);
    const earned = round(Math.min(units * points, max));
    const capped = units * points > max ? `, capped at ${max}` : '';
    return { ...base, points: earned, detail: `${property} = ${units} × ${points}${capped}` };
  }
  const result = rule.when ? evaluateWhen(rule.when, props) : { matched: false, detail: '' };
  return { ...base, points: result.matched ? (rule.points ?? 0) : 0, detail: result.detail };
}

/** Segments are tried in file order; the first whose `when` matches wins, else the default. */
function selectSegment(segments: Segment[], props: HubSpotProperties): Segment {
  const matched = segments.find((s) => !s.default && s.when && evaluateWhen(s.when, props).matched);
  const chosen = matched ?? segments.find((s) => s.default);
  if (!chosen) throw new Error('MQL definition has no default segment (the schema should have refused it)');
  return chosen;
}

interface Fired {
  rule: SwitchRule;
  detail: string;
}

function firstFired(rules: SwitchRule[], props: HubSpotProperties): Fired | undefined {
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const result = evaluateWhen(rule.when, props);
    if (result.matched) return { rule, detail: result.detail };
  }
  return undefined;
}

function checkThreshold(
  scores: { score: number; fitScore: number; behaviourScore: number },
  segment: Segment,
): { passed: boolean; reasons: string[] } {
  const { total, minFit, minBehaviour } = segment.threshold;
  const name = segment.label;
  const reasons: string[] = [];
  let passed = scores.score >= total;
  reasons.push(
    passed ? `Score ${scores.score} ≥ ${name} threshold ${total}` : `Score ${scores.score} below the ${name} threshold ${total}`,
  );
  if (minFit !== undefined && scores.fitScore < minFit) {
    passed = false;
    reasons.push(`Fit ${scores.fitScore} below the ${name} minimum ${minFit}`);
  }
  if (minBehaviour !== undefined && scores.behaviourScore < minBehaviour) {
    passed = false;
    reasons.push(`Behaviour ${scores.behaviourScore} below the ${name} minimum ${minBehaviour}`);
  }
  return { passed, reasons };
}

/** The HubSpot properties a definition reads, sorted: what the worker must request. */
export function requiredProperties(definition: MqlDefinition): string[] {
  const props = new Set<string>();
  for (const rule of [...definition.fit, ...definition.behaviour]) {
    if (rule.perUnit) props.add(rule.perUnit.property);
    if (rule.when) for (const c of conditionsOf(rule.when)) props.add(c.property);
  }
  for (const rule of [...definition.fastTrack, ...definition.exclusions]) {
    for (const c of conditionsOf(rule.when)) props.add(c.property);
  }
  for (const segment of definition.segments) {
    if (segment.when) for (const c of conditionsOf(segment.when)) props.add(c.property);
  }
  return [...props].sort();
}

function switchLine(fired: Fired, category: 'fastTrack' | 'exclusion'): BreakdownLine {
  return { ruleId: fired.rule.id, label: fired.rule.label, category, points: 0, detail: fired.detail };
}

const ref = (rule: SwitchRule): RuleRef => ({ id: rule.id, label: rule.label });
const sum = (lines: BreakdownLine[]): number => round(lines.reduce((total, line) => total + line.points, 0));
/** Per-unit points may be fractional; two decimals keep sums free of float noise. */
const round = (n: number): number => Math.round(n * 100) / 100;
const lowerFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);
