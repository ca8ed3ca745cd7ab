import { type RecordError, SimApiError } from './api-error.ts';
import { sfDateTime } from './ids.ts';
import { type FieldDef, findField, type ObjectDef } from './schema.ts';

export type Row = Record<string, unknown>;
export type Mode = 'create' | 'update';

/** Keys that ride along in request bodies but are not fields. */
const IGNORED_KEYS = new Set(['attributes']);

/** Salesforce rejects a body it cannot deserialise as a whole (400 JSON_PARSER_ERROR), before any record runs. */
function parserError(field: FieldDef, value: unknown): SimApiError {
  const kind = typeof value === 'string' ? 'VALUE_STRING' : typeof value === 'object' ? 'START_OBJECT' : 'VALUE_OTHER';
  return new SimApiError(
    400,
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${field.type} from ${kind} value ${String(value)} or request may be missing a required field`,
  );
}

function coerceNumber(field: FieldDef, value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw parserError(field, value);
  if (field.type === 'int') return Math.trunc(n);
  // A Number(p,s) field keeps s decimals: Salesforce rounds what it is sent.
  if (field.scale === undefined) return n;
  const factor = 10 ** field.scale;
  return Math.round(n * factor) / factor;
}

function coerceDate(field: FieldDef, value: unknown): string {
  if (typeof value !== 'string') throw parserError(field, value);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw parserError(field, value);
  return field.type === 'date' ? new Date(ms).toISOString().slice(0, 10) : sfDateTime(ms);
}

/** Converts a JSON value to the field's type the way the REST API deserialiser would. */
function coerce(field: FieldDef, value: unknown): unknown {
  // A checkbox is never null in Salesforce: null saves as false.
  if (value === null) return field.type === 'boolean' ? false : null;
  switch (field.type) {
    case 'double':
    case 'currency':
    case 'int':
      return coerceNumber(field, value);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw parserError(field, value);
    case 'datetime':
    case 'date':
      return coerceDate(field, value);
    default:
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw parserError(field, value);
  }
}

/** Canonicalises field names and types; unknown fields fail the whole request like the real API. */
export function normalizeFields(object: ObjectDef, input: Row): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(input)) {
    if (IGNORED_KEYS.has(key)) continue;
    const field = findField(object, key);
    if (!field) {
      throw new SimApiError(400, 'INVALID_FIELD', `No such column '${key}' on sobject of type ${object.name}`);
    }
    out[field.name] = coerce(field, value);
  }
  return out;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Number(p,s) holds at most p − s digits before the decimal point. */
function outOfRange(value: number, precision: number, scale: number): boolean {
  return Math.abs(Math.trunc(value)) >= 10 ** (precision - scale);
}

function fieldError(field: FieldDef, value: unknown): RecordError | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' && field.length !== undefined && value.length > field.length) {
    return {
      statusCode: 'STRING_TOO_LONG',
      message: `${field.label}: data value too large: ${value.slice(0, 40)} (max length=${field.length})`,
      fields: [field.name],
    };
  }
  if (typeof value === 'number' && field.precision !== undefined && outOfRange(value, field.precision, field.scale ?? 0)) {
    return {
      statusCode: 'NUMBER_OUTSIDE_VALID_RANGE',
      message: `${field.label}: value outside of valid range on numeric field: ${value}`,
      fields: [field.name],
    };
  }
  if (field.type === 'email' && typeof value === 'string' && !EMAIL.test(value)) {
    return { statusCode: 'INVALID_EMAIL_ADDRESS', message: `${field.label}: invalid email address: ${value}`, fields: [field.name] };
  }
  if (field.restrictedPicklist && !(field.picklistValues ?? []).includes(String(value))) {
    return {
      statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      message: `${field.label}: bad value for restricted picklist field: ${String(value)}`,
      fields: [field.name],
    };
  }
  return undefined;
}

/**
 * Per-record checks after deserialisation, in Salesforce's order: field-level access, then values,
 * then required fields (on create, or when an update blanks one).
 */
export function recordErrors(object: ObjectDef, values: Row, mode: Mode, existing?: Row): RecordError[] {
  const locked = Object.keys(values).filter((name) => {
    const field = findField(object, name);
    return field !== undefined && !(mode === 'create' ? field.createable : field.updateable);
  });
  if (locked.length > 0) {
    return [
      {
        statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        message: `Unable to create/update fields: ${locked.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        fields: locked,
      },
    ];
  }
  for (const [name, value] of Object.entries(values)) {
    const field = findField(object, name);
    const error = field ? fieldError(field, value) : undefined;
    if (error) return [error];
  }
  const merged = { ...(existing ?? {}), ...values };
  const missing = object.fields
    .filter((field) => field.required && (merged[field.name] === null || merged[field.name] === undefined || merged[field.name] === ''))
    .map((field) => field.name);
  if (missing.length > 0) {
    return [{ statusCode: 'REQUIRED_FIELD_MISSING', message: `Required fields are missing: [${missing.join(', ')}]`, fields: missing }];
  }
  return [];
}
