import { type OutcomeStatus, sqlLabel, wonLabel } from './outcome.ts';
import type { DraftSide } from './replay.ts';

/**
 * The objective a threshold is chosen by: F1, the harmonic mean of precision and recall (2PR / (P + R)).
 * Ties go to the higher threshold: as good a match with fewer leads for sales to work.
 */
export const THRESHOLD_OBJECTIVE = 'f1';

export interface ClassifierFigures {
  /** Of the contacts MQL at this threshold whose answer is known, the share that answered yes. */
  precision: number | null;
  /** Of the contacts that answered yes, the share MQL at this threshold. */
  recall: number | null;
  f1: number | null;
}

export interface ThresholdRow {
  threshold: number;
  /** Contacts of the segment MQL at this threshold (every contact, open ones included). */
  mql: number;
  sql: ClassifierFigures;
  won: ClassifierFigures;
  /** The draft's own threshold for the segment. */
  current: boolean;
  /** Which labels' F1 is highest at this threshold. */
  bestFor: ('sql' | 'won')[];
}

type Label = 'sql' | 'won';
const LABELS: Record<Label, (status: OutcomeStatus) => boolean | undefined> = { sql: sqlLabel, won: wonLabel };

/** Contacts counted together: all of them, and per label those whose answer is known and those that answered yes. */
interface Bucket {
  all: number;
  known: Record<Label, number>;
  yes: Record<Label, number>;
}

const emptyBucket = (): Bucket => ({ all: 0, known: { sql: 0, won: 0 }, yes: { sql: 0, won: 0 } });

/**
 * Precision and recall of "MQL" in one segment at each score seen (and at the draft's own threshold), as if it were
 * the segment's threshold, with the draft's exclusions, fast tracks and minimum fit and behaviour unchanged. Each
 * label (became SQL, won) is judged on the contacts whose answer to it is known; open ones count toward `mql` only.
 * Contacts are added one at a time and kept as counts per score, so a big replay holds no list of them.
 */
export class ThresholdCurve {
  contacts = 0;
  /** Fast-tracked: MQL at any threshold. */
  private readonly always = emptyBucket();
  /** Judged by the threshold alone, per draft score. */
  private readonly byScore = new Map<number, Bucket>();
  private readonly scores = new Set<number>();
  private readonly positives: Record<Label, number> = { sql: 0, won: 0 };

  add(draft: Pick<DraftSide, 'score' | 'fastTracked' | 'byThreshold'>, status: OutcomeStatus): void {
    this.contacts += 1;
    this.scores.add(draft.score);
    const bucket = draft.fastTracked ? this.always : draft.byThreshold ? this.bucketAt(draft.score) : undefined;
    if (bucket) bucket.all += 1;
    for (const label of ['sql', 'won'] as const) {
      const answer = LABELS[label](status);
      if (answer === undefined) continue;
      if (answer) this.positives[label] += 1;
      if (!bucket) continue;
      bucket.known[label] += 1;
      if (answer) bucket.yes[label] += 1;
    }
  }

  /** One row per threshold, ascending; the best F1 per label marked. */
  rows(currentThreshold: number): ThresholdRow[] {
    const thresholds = [...new Set([...this.scores, currentThreshold])].sort((a, b) => a - b);
    const rows: ThresholdRow[] = new Array(thresholds.length);
    // From the highest threshold down: what is MQL at a threshold is everything scored at or above it.
    const sum = { ...emptyBucket(), all: this.always.all, known: { ...this.always.known }, yes: { ...this.always.yes } };
    for (let i = thresholds.length - 1; i >= 0; i--) {
      const threshold = thresholds[i]!;
      const at = this.byScore.get(threshold);
      if (at) {
        sum.all += at.all;
        for (const label of ['sql', 'won'] as const) {
          sum.known[label] += at.known[label];
          sum.yes[label] += at.yes[label];
        }
      }
      rows[i] = {
        threshold,
        mql: sum.all,
        sql: this.figures(sum, 'sql'),
        won: this.figures(sum, 'won'),
        current: threshold === currentThreshold,
        bestFor: [],
      };
    }
    for (const label of ['sql', 'won'] as const) {
      const best = bestIndex(rows.map((row) => row[label].f1));
      if (best !== undefined) rows[best]!.bestFor.push(label);
    }
    return rows;
  }

  private bucketAt(score: number): Bucket {
    let bucket = this.byScore.get(score);
    if (!bucket) {
      bucket = emptyBucket();
      this.byScore.set(score, bucket);
    }
    return bucket;
  }

  private figures(sum: Bucket, label: Label): ClassifierFigures {
    const predicted = sum.known[label];
    const hits = sum.yes[label];
    const positives = this.positives[label];
    const precision = predicted > 0 ? hits / predicted : null;
    const recall = positives > 0 ? hits / positives : null;
    const f1 =
      precision === null || recall === null ? null : precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { precision, recall, f1 };
  }
}

/** The index of the highest value; the last one (highest threshold) among equals; undefined when none is known. */
function bestIndex(values: (number | null)[]): number | undefined {
  let best: number | undefined;
  values.forEach((value, i) => {
    if (value !== null && (best === undefined || value >= values[best]!)) best = i;
  });
  return best;
}
