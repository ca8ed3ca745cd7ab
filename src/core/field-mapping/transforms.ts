import { z } from 'zod';

/** A value on its way between HubSpot (always strings) and Salesforce (typed fields). */
export type FieldValue = string | number | boolean | null;

/** The closed set of transforms. Simple ones are written as a name; parametrised ones as `{ name: {...} }`. */
export const SIMPLE_TRANSFORMS = ['trim', 'lower', 'upper', 'number', 'integer', 'boolean', 'date', 'datetime'] as const;
export type SimpleTransform = (typeof SIMPLE_TRANSFORMS)[number];

const truncateSchema = z.strictObject({ truncate: z.strictObject({ max: z.number().int().positive() }) });
const picklistSchema = z.strictObject({
  picklist: z.strictObject({
    values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    /** Used when the value is not in `values`; without it an unknown value is reported. */
    fallback: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
  }),
});

export type Transform = SimpleTransform | z.output<typeof truncateSchema> | z.output<typeof picklistSchema>;

const KNOWN = [...SIMPLE_TRANSFORMS, 'truncate', 'picklist'].join(', ');

/** Picks the schema by the transform's name so an unknown name is one clear problem at its path. */
export const transformSchema: z.ZodType<Transform> = z.unknown().transform((raw, ctx) => {
  if (typeof raw === 'string') {
    if ((SIMPLE_TRANSFORMS as readonly string[]).includes(raw)) return raw as SimpleTransform;
    const hint = raw === 'truncate' || raw === 'picklist' ? ` (${raw} needs settings: { ${raw}: {...} })` : '';
    ctx.addIssue({ code: 'custom', message: `unknown transform "${raw}"${hint}; known: ${KNOWN}` });
    return z.NEVER;
  }
  const name = typeof raw === 'object' && raw !== null ? Object.keys(raw)[0] : undefined;
  const schema = name === 'truncate' ? truncateSchema : name === 'picklist' ? picklistSchema : undefined;
  if (!schema) {
    ctx.addIssue({ code: 'custom', message: `unknown transform ${JSON.stringify(name ?? raw)}; known: ${KNOWN}` });
    return z.NEVER;
  }
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', path: issue.path as PropertyKey[], message: issue.message });
  return z.NEVER;
});

export type TransformOutcome = { ok: true; value: FieldValue } | { ok: false; message: string };

function transformName(t: Transform): string {
  return typeof t === 'string' ? t : 'truncate' in t ? 'truncate' : 'picklist';
}

/** Applies transforms in order; stops at the first that cannot convert the value and says why. */
export function applyTransforms(value: FieldValue, transforms: readonly Transform[]): TransformOutcome {
  let current: FieldValue = value;
  for (const t of transforms) {
    const outcome = applyOne(current, t);
    if (!outcome.ok) return { ok: false, message: `${transformName(t)}: ${outcome.message}` };
    current = outcome.value;
  }
  return { ok: true, value: current };
}

function applyOne(value: FieldValue, t: Transform): TransformOutcome {
  if (value === null) return { ok: true, value };
  if (typeof t !== 'string') return 'truncate' in t ? ok(String(value).slice(0, t.truncate.max)) : picklist(value, t.picklist);
  const text = String(value);
  switch (t) {
    case 'trim':
      return ok(text.trim());
    case 'lower':
      return ok(text.toLowerCase());
    case 'upper':
      return ok(text.toUpperCase());
    case 'number':
      return toNumber(value, false);
    case 'integer':
      return toNumber(value, true);
    case 'boolean':
      return toBoolean(value);
    case 'date':
      return toDate(value, 'date');
    case 'datetime':
      return toDate(value, 'datetime');
  }
}

const ok = (value: FieldValue): TransformOutcome => ({ ok: true, value });
const fail = (message: string): TransformOutcome => ({ ok: false, message });

function toNumber(value: FieldValue, whole: boolean): TransformOutcome {
  const text = String(value).trim();
  const n = typeof value === 'number' ? value : text === '' ? NaN : Number(text);
  if (!Number.isFinite(n)) return fail(`"${short(text)}" is not a number`);
  if (whole && !Number.isInteger(n)) return fail(`${n} is not a whole number`);
  return ok(n);
}

const TRUE_WORDS = ['true', 'yes', '1', 'on'];
const FALSE_WORDS = ['false', 'no', '0', 'off'];

function toBoolean(value: FieldValue): TransformOutcome {
  if (typeof value === 'boolean') return ok(value);
  const text = String(value).trim().toLowerCase();
  if (TRUE_WORDS.includes(text)) return ok(true);
  if (FALSE_WORDS.includes(text)) return ok(false);
  return fail(`"${short(text)}" is not a yes/no value`);
}

/**
 * HubSpot date properties arrive as epoch milliseconds (midnight UTC) or ISO text; Salesforce dates as YYYY-MM-DD.
 * Output is UTC: `date` → YYYY-MM-DD, `datetime` → full ISO 8601.
 */
function toDate(value: FieldValue, kind: 'date' | 'datetime'): TransformOutcome {
  const text = String(value).trim();
  const millis = typeof value === 'number' || /^-?\d{9,}$/.test(text) ? Number(text) : Date.parse(text);
  if (text === '' || !Number.isFinite(millis)) return fail(`"${short(text)}" is not a date`);
  const iso = new Date(millis).toISOString();
  return ok(kind === 'date' ? iso.slice(0, 10) : iso);
}

function picklist(value: FieldValue, settings: z.output<typeof picklistSchema>['picklist']): TransformOutcome {
  const text = String(value);
  const exact = settings.values[text];
  if (exact !== undefined) return ok(exact);
  const key = Object.keys(settings.values).find((k) => k.toLowerCase() === text.trim().toLowerCase());
  if (key !== undefined) return ok(settings.values[key] ?? null);
  if (settings.fallback !== undefined) return ok(settings.fallback);
  return fail(`"${short(text)}" is not in the picklist and there is no fallback`);
}

const short = (text: string): string => (text.length > 40 ? `${text.slice(0, 37)}...` : text);
