import type { BacktestResult } from '../config/versions/backtest-schema.ts';

/** How the command-line reports (report, backtest, review) write figures and tables. */

export type Cell = string | number;

/** A ratio in [0, 1] as a percentage with one decimal; "—" when there was nothing to divide. */
export function percent(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)}%`;
}

/** A ratio (an F1, a lift) with two decimals; "—" when there is none. */
export function ratio(value: number | null): string {
  return value === null ? '—' : value.toFixed(2);
}

/**
 * Columns padded to their widest cell, the header's included; the first left-aligned, the rest right-aligned.
 * The widths come back too, for lines that line up with the first column (a bar per row).
 */
export function alignedTable(header: string[], rows: Cell[][]): { lines: string[]; widths: number[] } {
  const text = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, i) => Math.max(...text.map((row) => (row[i] ?? '').length)));
  const lines = text.map((row) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
  return { lines, widths };
}

export function table(header: string[], rows: Cell[][]): string[] {
  return alignedTable(header, rows).lines;
}

type ThresholdRow = BacktestResult['segments'][number]['thresholds'][number];

/** One threshold of a backtest's curve as the text and HTML tables show it: MQLs, then precision, recall and F1 for SQL and won. */
export function thresholdCells(row: ThresholdRow): Cell[] {
  return [
    row.threshold,
    row.mql,
    percent(row.sql.precision),
    percent(row.sql.recall),
    ratio(row.sql.f1),
    percent(row.won.precision),
    percent(row.won.recall),
    ratio(row.won.f1),
  ];
}

type RuleLift = BacktestResult['rules'][number];

/** A rule's kind ("(off)" when disabled) and its lift figures: fired, MQL share, SQL rate and lift, win rate and lift. */
export function ruleLiftCells(rule: RuleLift): { kind: string; figures: Cell[] } {
  return {
    kind: rule.enabled ? rule.category : `${rule.category} (off)`,
    figures: [
      rule.firedFor.contacts,
      percent(rule.shareOfMql),
      percent(rule.outcomes.sqlRate),
      ratio(rule.sqlLift),
      percent(rule.outcomes.winRate),
      ratio(rule.winLift),
    ],
  };
}
