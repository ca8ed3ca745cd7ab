import { ALWAYS_RETURNED, DEFAULT_READ_PROPERTIES } from '../properties.ts';
import { SimHttpError, type SimContact } from '../types.ts';

/** A contact in the CRM v3 object shape, with the properties HubSpot would include. */
export function toApiObject(contact: SimContact, requested?: string[]) {
  const names = requested && requested.length > 0 ? [...new Set([...requested, ...ALWAYS_RETURNED])] : DEFAULT_READ_PROPERTIES;
  const properties: Record<string, string | null> = {};
  // Requested properties come back even when empty, as null.
  for (const name of names) properties[name] = contact.properties[name] ?? null;
  return { id: contact.id, properties, createdAt: contact.createdAt, updatedAt: contact.updatedAt, archived: false };
}

/** `?properties=a,b&properties=c` as a list. */
export function queryList(value: unknown): string[] {
  const parts = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return parts.flatMap((part) => String(part).split(',')).map((name) => name.trim()).filter(Boolean);
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
