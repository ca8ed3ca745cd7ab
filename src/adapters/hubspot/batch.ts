import type { ContactUpdate } from './hubspot-port.ts';

/** Splits `items` into consecutive chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (size < 1) throw new RangeError(`chunk size must be positive, got ${size}`);
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/** Unique values in first-seen order. */
export function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/**
 * HubSpot rejects a batch that names the same id twice, so updates for one contact are merged
 * (later values win) and keep the position of the first.
 */
export function mergeUpdates(updates: readonly ContactUpdate[]): ContactUpdate[] {
  const merged = new Map<string, Record<string, string>>();
  for (const update of updates) {
    merged.set(update.id, { ...(merged.get(update.id) ?? {}), ...update.properties });
  }
  return [...merged].map(([id, properties]) => ({ id, properties }));
}

/** One entry of `errors` in a 207 multi-status batch answer. */
export interface BatchErrorLike {
  category?: string;
  message?: string;
  status?: string;
  context?: Record<string, string[] | undefined>;
}

/** Ids a batch error names (HubSpot puts them in `context.ids`). */
export function idsOf(error: BatchErrorLike): string[] {
  return (error.context?.ids ?? []).map(String);
}

export const NOT_FOUND_CATEGORY = 'OBJECT_NOT_FOUND';
