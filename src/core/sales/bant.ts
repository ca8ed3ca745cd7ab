import { evaluateCondition } from '../definitions/conditions.ts';
import { BANT_CRITERIA, type BantCriterion, type SqlDefinition } from './sql-schema.ts';

export interface CriterionResult {
  key: BantCriterion;
  label: string;
  field: string;
  met: boolean;
  /** What was seen, e.g. `Timeline__c = 12+ months` or `Need__c is empty`. */
  detail: string;
}

export interface BantResult {
  qualified: boolean;
  criteria: CriterionResult[];
  /** Labels of the criteria met, in BANT order. */
  metLabels: string[];
  /** What is missing, for people: required criteria not met, then "one of …" for an unmet anyOf. */
  missing: string[];
  /** The same without the values seen: short enough for the Lead's sync-status field. */
  missingShort: string[];
}

/** Evaluates the SQL definition over the Lead's field values (checkboxes read "true"/"false"). */
export function evaluateBant(def: SqlDefinition, fields: Record<string, string | null>): BantResult {
  const criteria = BANT_CRITERIA.map((key): CriterionResult => {
    const { label, field, met } = def.criteria[key];
    const result = evaluateCondition({ ...met, property: field }, { [field]: fields[field] });
    return { key, label, field, met: result.matched, detail: result.detail };
  });
  const byKey = new Map(criteria.map((c) => [c.key, c]));
  const pick = (keys: BantCriterion[]): CriterionResult[] => keys.flatMap((k) => byKey.get(k) ?? []);
  const requiredMissing = pick(def.rule.require).filter((c) => !c.met);
  const anyOf = pick(def.rule.anyOf);
  const anyOfMissing = anyOf.length > 0 && !anyOf.some((c) => c.met);

  const missing = requiredMissing.map(describe);
  const missingShort = requiredMissing.map((c) => c.label);
  if (anyOfMissing) {
    missing.push(`one of ${anyOf.map(describe).join(' or ')}`);
    missingShort.push(`one of ${anyOf.map((c) => c.label).join(' or ')}`);
  }
  return {
    qualified: missing.length === 0,
    criteria,
    metLabels: criteria.filter((c) => c.met).map((c) => c.label),
    missing,
    missingShort,
  };
}

/** The rule in words, e.g. "Need identified and Buying within 6 months, plus Budget confirmed or Decision maker". */
export function describeRule(def: SqlDefinition): string {
  const label = (k: BantCriterion): string => def.criteria[k].label;
  const all = def.rule.require.map(label).join(' and ');
  const any = def.rule.anyOf.map(label).join(' or ');
  if (all && any) return `${all}, plus ${any}`;
  return all || `one of ${any}`;
}

const describe = (c: CriterionResult): string => `${c.label} (${c.detail})`;
