import { z } from 'zod';
import { type Condition, conditionSchema } from '../definitions/conditions.ts';
import { type Parsed, problemsFromZod } from '../mappings/problems.ts';

/** BANT: the four things sales confirms before a Lead counts as a Sales Qualified Lead. */
export const BANT_CRITERIA = ['budget', 'authority', 'need', 'timeline'] as const;
export type BantCriterion = (typeof BANT_CRITERIA)[number];

/** A condition without `property`: it is evaluated over the criterion's own Lead field. */
export type MetCondition = Omit<Condition, 'property'>;

/** Reuses the definition's closed operator set; the field comes from the criterion, so `property` is refused. */
const metSchema: z.ZodType<MetCondition> = z.unknown().transform((raw, ctx) => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    ctx.addIssue({ code: 'custom', message: 'met must be a condition such as { op: isTrue }' });
    return z.NEVER;
  }
  if ('property' in raw) {
    ctx.addIssue({ code: 'custom', path: ['property'], message: 'met is evaluated over the criterion field; leave out property' });
    return z.NEVER;
  }
  const result = conditionSchema.safeParse({ ...raw, property: 'field' });
  if (!result.success) {
    for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', path: issue.path as PropertyKey[], message: issue.message });
    return z.NEVER;
  }
  const { property: _field, ...met } = result.data;
  return met;
});

/** Salesforce API names: letters, digits and underscores, custom ones ending in __c. */
const sfName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a Salesforce API name (letters, digits, _)');

const criterionSchema = z.strictObject({
  label: z.string().trim().min(1, 'label must not be empty'),
  field: sfName,
  met: metSchema,
});
export type BantCriterionSpec = z.output<typeof criterionSchema>;

const criterionList = z.array(z.enum(BANT_CRITERIA));

const ruleSchema = z
  .strictObject({
    /** Every one of these must be met. */
    require: criterionList.default([]),
    /** At least one of these must be met (ignored when empty). */
    anyOf: criterionList.default([]),
  })
  .superRefine((rule, ctx) => {
    if (rule.require.length === 0 && rule.anyOf.length === 0) {
      ctx.addIssue({ code: 'custom', path: [], message: 'the rule needs require or anyOf (otherwise every Lead would be an SQL)' });
    }
    rule.anyOf.forEach((c, i) => {
      if (rule.require.includes(c)) ctx.addIssue({ code: 'custom', path: ['anyOf', i], message: `${c} is already required` });
    });
    for (const key of ['require', 'anyOf'] as const) {
      rule[key].forEach((c, i) => {
        if (rule[key].indexOf(c) !== i) ctx.addIssue({ code: 'custom', path: [key, i], message: `${c} is listed twice` });
      });
    }
  });
export type SqlRule = z.output<typeof ruleSchema>;

export const sqlDefinitionSchema = z
  .strictObject({
    version: z.string().min(1, 'version must be a non-empty string'),
    criteria: z.strictObject({ budget: criterionSchema, authority: criterionSchema, need: criterionSchema, timeline: criterionSchema }),
    rule: ruleSchema,
  })
  .superRefine((def, ctx) => {
    const owner = new Map<string, BantCriterion>();
    for (const key of BANT_CRITERIA) {
      const field = def.criteria[key].field.toLowerCase();
      const first = owner.get(field);
      if (first)
        ctx.addIssue({
          code: 'custom',
          path: ['criteria', key, 'field'],
          message: `${def.criteria[key].field} is already the ${first} field`,
        });
      else owner.set(field, key);
    }
  });
export type SqlDefinition = z.output<typeof sqlDefinitionSchema>;

/** The Lead fields the BANT criteria read, in BANT order. */
export function bantFields(def: SqlDefinition): string[] {
  return BANT_CRITERIA.map((key) => def.criteria[key].field);
}

export function parseSqlDefinition(file: string, data: unknown): Parsed<SqlDefinition> {
  const result = sqlDefinitionSchema.safeParse(data);
  return result.success ? { ok: true, value: result.data } : { ok: false, problems: problemsFromZod(file, result.error) };
}
