import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { type Parsed, problemsFromZod } from '../mappings/problems.ts';

const idSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'id must be lower-case letters, digits, - or _');
const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;
const timeSchema = z.string().regex(TIME_PATTERN, 'time must be HH:MM (24-hour clock, 00:00–23:59)');
const dateSchema = z
  .string()
  .refine((d) => /^\d{4}-\d{2}-\d{2}$/.test(d) && DateTime.fromISO(d).isValid, 'holiday must be a real date as YYYY-MM-DD');
const timeZoneSchema = z.string().refine((zone) => IANAZone.isValidZone(zone), 'timeZone must be an IANA time zone such as Europe/Berlin');

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One day's opening hours `[open, close]` in local time, or null when closed all day. */
const hoursSchema = z
  .tuple([timeSchema, timeSchema])
  .nullable()
  // zod 4 still runs this when a time is malformed; compare only well-formed times (one problem each).
  .refine((h) => h === null || !h.every((t) => TIME_PATTERN.test(t)) || h[0] < h[1], 'opening time must be before closing time');

/** Working time: the SLA clocks' business hours, and the routing pools' working hours. */
export const calendarSchema = z.strictObject({
  timeZone: timeZoneSchema,
  businessHours: z
    .strictObject(Object.fromEntries(WEEKDAYS.map((d) => [d, hoursSchema])) as Record<Weekday, typeof hoursSchema>)
    .refine((week) => WEEKDAYS.some((d) => week[d] !== null), 'at least one day must have business hours'),
  holidays: z.array(dateSchema).default([]).superRefine(checkUniqueHolidays),
});
export type BusinessCalendar = z.output<typeof calendarSchema>;

export const SLA_UNITS = ['minutes', 'businessMinutes', 'businessHours', 'businessDays'] as const;
export type SlaUnit = (typeof SLA_UNITS)[number];

/**
 * Time-based units take decimals (0.5 minutes = 30 s, 1.5 business hours = 90 business minutes): the clock
 * arithmetic is in milliseconds. businessDays means "N business days later at the same local time", which
 * has no meaning for a fraction, so it stays whole.
 */
const limitSchema = z
  .strictObject({
    within: z.number().positive('within must be > 0'),
    unit: z.enum(SLA_UNITS),
  })
  .refine((limit) => limit.unit !== 'businessDays' || Number.isInteger(limit.within), {
    path: ['within'],
    message: 'within must be a whole number of businessDays (use businessHours for part of a day)',
  });
export type SlaLimit = z.output<typeof limitSchema>;

/** '2m', '90m', '1h', '1d': a warning lead time (see parseDuration). */
const durationSchema = z.string().regex(/^[1-9]\d*[mhd]$/, "duration must be a whole number and m, h or d, such as '2m', '1h' or '1d'");

/** Conditions on the handoff; all given ones must hold. */
const whenSchema = z
  .strictObject({
    /** HubSpot's hs_analytics_source internal values (ORGANIC_SEARCH, PAID_SEARCH, …). */
    source: z
      .array(z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'source must be an hs_analytics_source internal value such as PAID_SEARCH'))
      .min(1)
      .optional(),
    /** Segment ids of mql-definition.yaml. */
    segment: z.array(idSchema).min(1).optional(),
    fastTrack: z.literal(true).optional(),
  })
  .refine((w) => w.source !== undefined || w.segment !== undefined || w.fastTrack !== undefined, 'when needs source, segment or fastTrack');

const ruleSchema = z.strictObject({
  id: idSchema,
  label: z.string().trim().min(1, 'label must not be empty'),
  default: z.boolean().default(false),
  when: whenSchema.optional(),
  firstTouch: limitSchema,
  disposition: limitSchema,
  warnBefore: z.strictObject({ firstTouch: durationSchema.optional(), disposition: durationSchema.optional() }).default({}),
});
export type SlaRule = z.output<typeof ruleSchema>;

/** How a first touch is seen in Salesforce (see detectFirstTouch). */
export const FIRST_TOUCH_DETECTORS = ['statusLeavesInitial', 'firstCallOrEmail', 'activityLogged'] as const;
export type FirstTouchDetector = (typeof FIRST_TOUCH_DETECTORS)[number];
/**
 * The detectors every org can serve. firstCallOrEmail reads FirstCallDateTime/FirstEmailDateTime, which exist
 * only with Sales Engagement (High Velocity Sales), so it is opt-in.
 */
const DEFAULT_FIRST_TOUCH_DETECTORS: FirstTouchDetector[] = ['statusLeavesInitial', 'activityLogged'];

export const slaRulesSchema = z.strictObject({
  version: z.string().min(1, 'version must be a non-empty string'),
  calendar: calendarSchema,
  firstTouch: z
    .strictObject({
      detectBy: z
        .array(z.enum(FIRST_TOUCH_DETECTORS))
        .min(1, 'list at least one way to detect a first touch')
        .default([...DEFAULT_FIRST_TOUCH_DETECTORS]),
    })
    .default({ detectBy: [...DEFAULT_FIRST_TOUCH_DETECTORS] }),
  rules: z.array(ruleSchema).min(1, 'list at least one rule (the default)').superRefine(checkRules),
});
export type SlaRules = z.output<typeof slaRulesSchema>;

function checkUniqueHolidays(dates: string[], ctx: z.RefinementCtx): void {
  dates.forEach((d, i) => {
    if (dates.indexOf(d) !== i) ctx.addIssue({ code: 'custom', path: [i], message: `duplicate holiday ${d}` });
  });
}

/** Exactly one default, without `when`; every other rule has a `when`; ids unique. */
function checkRules(rules: SlaRule[], ctx: z.RefinementCtx): void {
  const defaults = rules.flatMap((r, i) => (r.default ? [i] : []));
  if (defaults.length !== 1)
    ctx.addIssue({ code: 'custom', path: [], message: `exactly one rule must be default: true (found ${defaults.length})` });
  const seen = new Map<string, number>();
  rules.forEach((rule, i) => {
    if (rule.default && rule.when) ctx.addIssue({ code: 'custom', path: [i, 'when'], message: 'the default rule has no when' });
    if (!rule.default && !rule.when) ctx.addIssue({ code: 'custom', path: [i, 'when'], message: 'a non-default rule needs when' });
    const first = seen.get(rule.id);
    if (first !== undefined)
      ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate id "${rule.id}" (first used at rules[${first}])` });
    else seen.set(rule.id, i);
  });
}

export function parseSlaRules(file: string, data: unknown): Parsed<SlaRules> {
  const result = slaRulesSchema.safeParse(data);
  return result.success ? { ok: true, value: result.data } : { ok: false, problems: problemsFromZod(file, result.error) };
}

/** Segment ids a rule names that mql-definition.yaml does not define (would never match): SLA and routing rules alike. */
export function unknownSegmentProblems(
  file: string,
  rules: ReadonlyArray<{ when?: { segment?: readonly string[] | undefined } | undefined }>,
  segmentIds: readonly string[],
): Array<{ file: string; path: string; message: string }> {
  return rules.flatMap((rule, i) =>
    (rule.when?.segment ?? []).flatMap((id, j) =>
      segmentIds.includes(id)
        ? []
        : [
            {
              file,
              path: `rules[${i}].when.segment[${j}]`,
              message: `segment "${id}" is not a segment of the MQL definition (${segmentIds.join(', ')})`,
            },
          ],
    ),
  );
}
