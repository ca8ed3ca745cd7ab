/**
 * PostgreSQL cannot store U+0000 in text or jsonb, and one such value fails the whole statement it is in.
 * Text from outside (webhooks, records read from HubSpot or Salesforce) gets the replacement character
 * instead, so a stray byte from an import never blocks a record, or its batch, forever.
 */
export function withoutNul(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
  if (Array.isArray(value)) return value.map(withoutNul);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [withoutNul(key) as string, withoutNul(inner)]));
  }
  return value;
}

/** Property values as PostgreSQL can store them (see withoutNul). */
export function storableProperties(properties: Record<string, string | null>): Record<string, string | null> {
  return withoutNul(properties) as Record<string, string | null>;
}
