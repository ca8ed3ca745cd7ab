import { parseSalesforceDateTime } from './lead-state.ts';

/** Where a poll resumes: the last record it recorded, in (SystemModstamp, Id) order. */
export interface Watermark {
  systemModstamp: string;
  id: string;
}

/** Records changed at or after this are read: the watermark less the overlap (same-stamp and late commits). */
export function pollSince(mark: Watermark | undefined, overlapMs = 5_000): Date {
  return new Date(Math.max(0, (mark ? parseSalesforceDateTime(mark.systemModstamp) : 0) - overlapMs));
}

/**
 * The watermark after a page whose last record is `last`, or undefined when it would not move forward (an empty page,
 * or one made only of the overlap's re-reads).
 */
export function advancedWatermark(mark: Watermark | undefined, last: Record<string, unknown> | undefined): Watermark | undefined {
  if (!last) return undefined;
  const stamp = String(last.SystemModstamp);
  if (mark && !(parseSalesforceDateTime(stamp) >= parseSalesforceDateTime(mark.systemModstamp))) return undefined;
  return { systemModstamp: stamp, id: String(last.Id) };
}
