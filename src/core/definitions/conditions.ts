import { z } from 'zod';
import type { HubSpotProperties } from '../contact.ts';
import { HUBSPOT_PROPERTY_REF } from '../mappings/company-properties.ts';
import { matchesPattern, patternProblem } from './linear-pattern.ts';

/** A contact property by internal name, or `company.<name>` for the primary associated company's property. */
export const propertyRefSchema = z
  .string()
  .min(1, 'property must name a HubSpot property')
  .regex(
    HUBSPOT_PROPERTY_REF,
    'property must be a HubSpot internal name (lower-case, digits, _), or company.<name> for the primary company',
  );

/**
 * The closed set of condition operators a definition may use on a HubSpot property.
 * HubSpot sends every value as a string: numbers are parsed, booleans are "true"/"false".
 * An empty or missing property never matches, whatever the operator, except `isEmpty`, which matches
 * exactly then: it makes a fallback (score the contact's band only when the company has no number).
 */
const OPERATORS = [
  'eq',
  'neq',
  'in',
  'notIn',
  'contains',
  'matches',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'exists',
  'isEmpty',
  'isTrue',
  'emailDomainIn',
] as const;
export type Operator = (typeof OPERATORS)[number];

type Operand = 'value' | 'values' | 'min' | 'max';
/** Which operands each operator needs; any other operand given is a load error. */
export const OPERANDS: Record<Operator, readonly Operand[]> = {
  eq: ['value'],
  neq: ['value'],
  contains: ['value'],
  matches: ['value'],
  gt: ['value'],
  gte: ['value'],
  lt: ['value'],
  lte: ['value'],
  in: ['values'],
  notIn: ['values'],
  emailDomainIn: ['values'],
  between: ['min', 'max'],
  exists: [],
  isEmpty: [],
  isTrue: [],
};
const NUMERIC_OPS: readonly Operator[] = ['gt', 'gte', 'lt', 'lte'];
const TEXT_OPS: readonly Operator[] = ['contains', 'matches'];

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const conditionSchema = z
  .strictObject({
    property: propertyRefSchema,
    op: z.enum(OPERATORS),
    value: scalar.optional(),
    values: z.array(scalar).min(1, 'values must list at least one value').optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .superRefine((c, ctx) => {
    const needed = OPERANDS[c.op];
    for (const key of ['value', 'values', 'min', 'max'] as const) {
      const present = c[key] !== undefined;
      if (needed.includes(key) && !present) ctx.addIssue({ code: 'custom', path: [key], message: `${c.op} needs ${key}` });
      if (!needed.includes(key) && present) ctx.addIssue({ code: 'custom', path: [key], message: `${c.op} does not use ${key}` });
    }
    if (NUMERIC_OPS.includes(c.op) && c.value !== undefined && typeof c.value !== 'number') {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${c.op} compares numbers: value must be a number` });
    }
    if (TEXT_OPS.includes(c.op) && c.value !== undefined && typeof c.value !== 'string') {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${c.op} needs a text value` });
    }
    if (c.op === 'matches' && typeof c.value === 'string') {
      const problem = patternProblem(c.value);
      if (problem)
        ctx.addIssue({
          code: 'custom',
          path: ['value'],
          message: `invalid regular expression (RE2 syntax: no backreferences or lookaround): ${problem}`,
        });
    }
    if (c.op === 'between' && c.min !== undefined && c.max !== undefined && c.min > c.max) {
      ctx.addIssue({ code: 'custom', path: ['max'], message: 'max must be ≥ min' });
    }
  });
export type Condition = z.output<typeof conditionSchema>;

const allSchema = z.strictObject({ all: z.array(conditionSchema).min(1) });
const anySchema = z.strictObject({ any: z.array(conditionSchema).min(1) });
/** `when:` is one condition, or `all:` / `any:` of a list of conditions. */
export type When = Condition | { all: Condition[] } | { any: Condition[] };

/** Picks the shape by its key so problems keep precise paths (a plain union would only say "invalid input"). */
export const whenSchema: z.ZodType<When> = z.unknown().transform((raw, ctx) => {
  const isObject = typeof raw === 'object' && raw !== null;
  const schema = isObject && 'all' in raw ? allSchema : isObject && 'any' in raw ? anySchema : conditionSchema;
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    ctx.addIssue({ code: 'custom', path: issue.path as PropertyKey[], message: issue.message });
  }
  return z.NEVER;
});

export interface ConditionResult {
  matched: boolean;
  /** What was seen, for the breakdown a rep reads (e-mails show only their domain). */
  detail: string;
}

export function conditionsOf(when: When): Condition[] {
  if ('all' in when) return when.all;
  if ('any' in when) return when.any;
  return [when];
}

export function evaluateWhen(when: When, props: HubSpotProperties): ConditionResult {
  if ('all' in when || 'any' in when) {
    const results = conditionsOf(when).map((c) => evaluateCondition(c, props));
    const matched = 'all' in when ? results.every((r) => r.matched) : results.some((r) => r.matched);
    const shown = 'all' in when || !matched ? results : results.filter((r) => r.matched);
    return { matched, detail: shown.map((r) => r.detail).join('; ') };
  }
  return evaluateCondition(when, props);
}

export function evaluateCondition(c: Condition, props: HubSpotProperties): ConditionResult {
  const raw = props[c.property]?.trim() ?? '';
  if (c.op === 'isEmpty') return { matched: raw === '', detail: raw === '' ? `${c.property} is empty` : `${c.property} = ${shorten(raw)}` };
  if (raw === '') return { matched: false, detail: `${c.property} is empty` };
  if (c.op === 'emailDomainIn') {
    const domain = emailDomain(raw);
    const wanted = (c.values ?? []).map((v) => String(v).toLowerCase());
    const matched = domain !== undefined && wanted.some((d) => domain === d || domain.endsWith(`.${d}`));
    return { matched, detail: `${c.property} domain ${domain ?? '(none)'}` };
  }
  return { matched: matches(c, raw), detail: `${c.property} = ${shorten(raw)}` };
}

function matches(c: Condition, raw: string): boolean {
  const num = parseNumber(raw);
  switch (c.op) {
    case 'eq':
      return sameValue(raw, c.value);
    case 'neq':
      return !sameValue(raw, c.value);
    case 'in':
      return (c.values ?? []).some((v) => sameValue(raw, v));
    case 'notIn':
      return !(c.values ?? []).some((v) => sameValue(raw, v));
    case 'contains':
      return raw.toLowerCase().includes(String(c.value).toLowerCase());
    case 'matches':
      return matchesPattern(String(c.value), raw);
    case 'gt':
      return num !== undefined && num > Number(c.value);
    case 'gte':
      return num !== undefined && num >= Number(c.value);
    case 'lt':
      return num !== undefined && num < Number(c.value);
    case 'lte':
      return num !== undefined && num <= Number(c.value);
    case 'between':
      return num !== undefined && num >= (c.min ?? -Infinity) && num <= (c.max ?? Infinity);
    case 'exists':
      return true;
    case 'isEmpty':
      return false; // handled by evaluateCondition (an empty value never reaches here)
    case 'isTrue':
      return raw.toLowerCase() === 'true';
    case 'emailDomainIn':
      return false; // handled by evaluateCondition (needs the domain, not the value)
  }
}

/** Numbers compare numerically ("1000.0" eq 1000); text compares case-insensitively. */
function sameValue(raw: string, expected: string | number | boolean | undefined): boolean {
  if (typeof expected === 'number') return parseNumber(raw) === expected;
  return raw.toLowerCase() === String(expected).toLowerCase();
}

export function parseNumber(raw: string | null | undefined): number | undefined {
  const text = raw?.trim() ?? '';
  if (text === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function emailDomain(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  return at >= 0 && at < email.length - 1 ? email.slice(at + 1).toLowerCase() : undefined;
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
