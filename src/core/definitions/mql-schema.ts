import { z } from 'zod';
import { type Parsed, problemsFromZod } from '../mappings/problems.ts';
import { propertyRefSchema, whenSchema } from './conditions.ts';

const idSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'id must be lower-case letters, digits, - or _');
const labelSchema = z.string().min(1, 'label must not be empty');

/** Points for a numeric property: `points` per unit, never more than `max` (e.g. 2 per click, max 10). */
const perUnitSchema = z.strictObject({
  property: propertyRefSchema,
  points: z.number().positive('points per unit must be > 0'),
  max: z.number().positive('max must be > 0'),
});

/** A scoring rule is either `when` + `points`, or `perUnit`. */
const scoringRuleSchema = z
  .strictObject({
    id: idSchema,
    label: labelSchema,
    when: whenSchema.optional(),
    points: z.number().optional(),
    perUnit: perUnitSchema.optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.perUnit !== undefined) {
      if (rule.when !== undefined) ctx.addIssue({ code: 'custom', path: ['when'], message: 'a perUnit rule has no when' });
      if (rule.points !== undefined)
        ctx.addIssue({ code: 'custom', path: ['points'], message: 'a perUnit rule sets points inside perUnit' });
      return;
    }
    if (rule.when === undefined) ctx.addIssue({ code: 'custom', path: ['when'], message: 'needs when (or perUnit)' });
    if (rule.points === undefined) ctx.addIssue({ code: 'custom', path: ['points'], message: 'needs points (or perUnit)' });
  });

const switchRuleSchema = z.strictObject({
  id: idSchema,
  label: labelSchema,
  enabled: z.boolean().default(true),
  when: whenSchema,
});

const thresholdSchema = z.strictObject({
  total: z.number(),
  minFit: z.number().optional(),
  minBehaviour: z.number().optional(),
});

const segmentSchema = z.strictObject({
  id: idSchema,
  label: labelSchema,
  default: z.boolean().default(false),
  when: whenSchema.optional(),
  threshold: thresholdSchema,
});

export const mqlDefinitionSchema = z
  .strictObject({
    version: z.string().min(1, 'version must be a non-empty string'),
    fit: z.array(scoringRuleSchema).default([]),
    behaviour: z.array(scoringRuleSchema).default([]),
    // Checked on the list itself so its problems show even when other sections are broken too.
    segments: z.array(segmentSchema).min(1, 'at least one segment (the default) is required').superRefine(checkSegments),
    fastTrack: z.array(switchRuleSchema).default([]),
    exclusions: z.array(switchRuleSchema).default([]),
  })
  .superRefine(checkUniqueIds);

export type MqlDefinition = z.output<typeof mqlDefinitionSchema>;
export type ScoringRule = z.output<typeof scoringRuleSchema>;
export type SwitchRule = z.output<typeof switchRuleSchema>;
export type Segment = z.output<typeof segmentSchema>;
export type Threshold = z.output<typeof thresholdSchema>;

type Ctx = z.RefinementCtx;

function checkSegments(segments: Segment[], ctx: Ctx): void {
  const defaults = segments.flatMap((s, i) => (s.default ? [i] : []));
  if (defaults.length !== 1) {
    ctx.addIssue({ code: 'custom', path: [], message: `exactly one segment must be default: true (found ${defaults.length})` });
  }
  segments.forEach((s, i) => {
    if (s.default && s.when) ctx.addIssue({ code: 'custom', path: [i, 'when'], message: 'the default segment has no when' });
    if (!s.default && !s.when) ctx.addIssue({ code: 'custom', path: [i, 'when'], message: 'a non-default segment needs when' });
  });
}

/** Rule ids are recorded in breakdowns and audits, so they must be unique across the file. */
function checkUniqueIds(def: Pick<MqlDefinition, 'fit' | 'behaviour' | 'fastTrack' | 'exclusions' | 'segments'>, ctx: Ctx): void {
  const seen = new Map<string, string>();
  for (const list of ['fit', 'behaviour', 'fastTrack', 'exclusions', 'segments'] as const) {
    def[list].forEach((item, i) => {
      const where = `${list}[${i}]`;
      const first = seen.get(item.id);
      if (first) ctx.addIssue({ code: 'custom', path: [list, i, 'id'], message: `duplicate id "${item.id}" (first used at ${first})` });
      else seen.set(item.id, where);
    });
  }
}

export function parseMqlDefinition(file: string, data: unknown): Parsed<MqlDefinition> {
  const result = mqlDefinitionSchema.safeParse(data);
  return result.success ? { ok: true, value: result.data } : { ok: false, problems: problemsFromZod(file, result.error) };
}
