/** Field values as the last-written store keeps them: text, null for empty (store/last-written.ts WrittenValues). */
export type WrittenText = Record<string, string | null>;

/** Salesforce field values as the last-written store keeps them: strings, null for empty. */
export function asWrittenValues(fields: Record<string, unknown>): WrittenText {
  const out: WrittenText = {};
  for (const [key, value] of Object.entries(fields)) out[key] = value === null || value === undefined ? null : String(value);
  return out;
}
