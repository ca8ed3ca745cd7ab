/**
 * What a backfill run counts. Every contact read lands in exactly one of the verdict counts of its mode
 * (handoff: notQualified, alreadyLinked, handedOff, linkedExisting, or parked/errors; resync: resynced,
 * inSync, waitingForRep, notLinked, or parked/errors). `qualified` spans the handoff verdicts after the
 * definition said yes; `parked` also counts a handed-off contact whose HubSpot write-back was parked.
 */
export const COUNT_KEYS = [
  'read',
  'qualified',
  'handedOff',
  'linkedExisting',
  'alreadyLinked',
  'notQualified',
  'resynced',
  'inSync',
  'skipped',
  'notLinked',
  'parked',
  'errors',
] as const;
export type CountKey = (typeof COUNT_KEYS)[number];
export type BackfillCounts = Record<CountKey, number>;

export function emptyCounts(): BackfillCounts {
  return Object.fromEntries(COUNT_KEYS.map((key) => [key, 0])) as BackfillCounts;
}

/** Counts read back from storage: unknown keys dropped, missing ones zero. */
export function countsFrom(stored: Partial<Record<string, unknown>> | null | undefined): BackfillCounts {
  const counts = emptyCounts();
  for (const key of COUNT_KEYS) {
    const value = Number(stored?.[key] ?? 0);
    counts[key] = Number.isFinite(value) ? value : 0;
  }
  return counts;
}

export function addCounts(into: BackfillCounts, more: Partial<BackfillCounts>): BackfillCounts {
  for (const key of COUNT_KEYS) into[key] += more[key] ?? 0;
  return into;
}
