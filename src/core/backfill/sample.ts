/** One contact in a run's sample: its verdict and why (ids only: no e-mail addresses or names). */
export interface SampleEntry {
  contactId: string;
  verdict: string;
  reasons: string[];
  score?: number | null;
  /** Where it lands (or would land) in Salesforce, e.g. `would create a Lead`, `Lead 00Q… adopted`. */
  salesforce?: string;
}

/** Enough of each verdict to see what a run does, small enough to keep in the run record. */
const SAMPLE_PER_VERDICT = 10;
const SAMPLE_MAX_REASON_CHARS = 300;

/** Keeps the first `perVerdict` entries of every verdict, in the order they came. */
export function addToSample(sample: SampleEntry[], entries: SampleEntry[], perVerdict = SAMPLE_PER_VERDICT): SampleEntry[] {
  const counts = new Map<string, number>();
  for (const entry of sample) counts.set(entry.verdict, (counts.get(entry.verdict) ?? 0) + 1);
  const out = [...sample];
  for (const entry of entries) {
    const seen = counts.get(entry.verdict) ?? 0;
    if (seen >= perVerdict) continue;
    counts.set(entry.verdict, seen + 1);
    out.push({ ...entry, reasons: entry.reasons.map((reason) => reason.slice(0, SAMPLE_MAX_REASON_CHARS)) });
  }
  return out;
}
