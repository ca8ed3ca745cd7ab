import { ALWAYS_RETURNED, DEFAULT_READ_PROPERTIES } from '../properties.ts';
import { type SimContact, SimHttpError } from '../types.ts';

/** Which properties a read answers: its defaults when none are asked, and those always returned. */
export interface ReadShape {
  defaults: readonly string[];
  always: readonly string[];
  /** A property of the object; a requested name that is not one is left out of the answer, not refused. */
  known?: (name: string) => boolean;
}

const CONTACT_SHAPE: ReadShape = { defaults: DEFAULT_READ_PROPERTIES, always: ALWAYS_RETURNED };

/** How contact reads answer, knowing the portal's contact properties. */
export function contactShape(store: { definition(name: string): unknown }): ReadShape {
  return { ...CONTACT_SHAPE, known: (name) => store.definition(name) !== undefined };
}

/**
 * A record in the CRM v3 object shape, with the properties HubSpot would include: requested ones come back
 * even when empty (as null); a requested name the object does not have is simply left out, as HubSpot's
 * reads do (CRM API guides, "retrieve records": properties that don't exist are ignored).
 */
export function toApiObject(record: SimContact, requested?: string[], shape: ReadShape = CONTACT_SHAPE) {
  const asked = (requested ?? []).filter((name) => shape.known?.(name) ?? true);
  const names = requested && requested.length > 0 ? [...new Set([...asked, ...shape.always])] : shape.defaults;
  const properties: Record<string, string | null> = {};
  for (const name of names) properties[name] = record.properties[name] ?? null;
  return { id: record.id, properties, createdAt: record.createdAt, updatedAt: record.updatedAt, archived: false };
}

/** `?properties=a,b&properties=c` as a list. */
export function queryList(value: unknown): string[] {
  const parts = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return parts
    .flatMap((part) => String(part).split(','))
    .map((name) => name.trim())
    .filter(Boolean);
}

export function requireObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SimHttpError(400, 'VALIDATION_ERROR', `Invalid input JSON: ${what} must be an object`);
  }
  return value as Record<string, unknown>;
}

export function requireArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new SimHttpError(400, 'VALIDATION_ERROR', `Invalid input JSON: ${what} must be an array`);
  return value;
}
