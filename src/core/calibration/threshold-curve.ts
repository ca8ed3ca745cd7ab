import type { OutcomeStatus } from './outcome.ts';
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

export interface CurveContact {
  draft: Pick<DraftSide, 'score' | 'excluded' | 'fastTracked' | 'byThreshold'>;
  status: OutcomeStatus;
}

type Label = (status: OutcomeStatus) => boolean | undefined;

/**
 * Precision and recall of "MQL" at each score seen in the segment (and at the draft's own threshold), as if it were
 * the segment's threshold, with the draft's exclusions, fast tracks and minimum fit and behaviour unchanged. Each
 * label (became SQL, won) is judged on the contacts whose answer to it is known; open ones count toward `mql` only.
 * Rows ascend by threshold.
 */
export function thresholdCurve(contacts: CurveContact[], currentThreshold: number, labels: { sql: Label; won: Label }): ThresholdRow[] {
  const thresholds = [...new Set([...contacts.map((c) => c.draft.score), currentThreshold])].sort((a, b) => a - b);
  const sql = figuresAt(contacts, thresholds, labels.sql);
  const won = figuresAt(contacts, thresholds, labels.won);
  const mql = figuresAt(contacts, thresholds, () => true);
  const rows: ThresholdRow[] = thresholds.map((threshold, i) => ({
    threshold,
    mql: mql.predicted[i]!,
    sql: sql.figures[i]!,
    won: won.figures[i]!,
    current: threshold === currentThreshold,
    bestFor: [],
  }));
  for (const label of ['sql', 'won'] as const) {
    const best = bestIndex(rows.map((row) => row[label].f1));
    if (best !== undefined) rows[best]!.bestFor.push(label);
  }
  return rows;
}

/** One sweep from the highest score down: what is predicted at a threshold is everything scored at or above it. */
function figuresAt(contacts: CurveContact[], thresholds: number[], label: Label): { figures: ClassifierFigures[]; predicted: number[] } {
  let always = { predicted: 0, hits: 0 };
  let positives = 0;
  const byScore = new Map<number, { predicted: number; hits: number }>();
  for (const contact of contacts) {
    const answer = label(contact.status);
    if (answer === undefined) continue;
    if (answer) positives += 1;
    const { draft } = contact;
    const hit = answer ? 1 : 0;
    if (draft.fastTracked) always = { predicted: always.predicted + 1, hits: always.hits + hit };
    else if (draft.byThreshold) {
      const at = byScore.get(draft.score) ?? { predicted: 0, hits: 0 };
      byScore.set(draft.score, { predicted: at.predicted + 1, hits: at.hits + hit });
    }
  }
  const figures: ClassifierFigures[] = new Array(thresholds.length);
  const predictedCounts: number[] = new Array(thresholds.length);
  let predicted = always.predicted;
  let hits = always.hits;
  for (let i = thresholds.length - 1; i >= 0; i--) {
    const at = byScore.get(thresholds[i]!);
    predicted += at?.predicted ?? 0;
    hits += at?.hits ?? 0;
    const precision = predicted > 0 ? hits / predicted : null;
    const recall = positives > 0 ? hits / positives : null;
    const f1 =
      precision === null || recall === null ? null : precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    figures[i] = { precision, recall, f1 };
    predictedCounts[i] = predicted;
  }
  return { figures, predicted: predictedCounts };
}

/** The index of the highest value; the last one (highest threshold) among equals; undefined when none is known. */
function bestIndex(values: (number | null)[]): number | undefined {
  let best: number | undefined;
  values.forEach((value, i) => {
    if (value !== null && (best === undefined || value >= values[best]!)) best = i;
  });
  return best;
}
