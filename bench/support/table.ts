import type { ReportRow, Verdict } from '../report.ts';

/** One figure for the baseline and the current service; a side that lacks the row shows '—'. */
export interface ComparisonRow {
  figure: string;
  target: string;
  baseline: { value: string; verdict: Verdict | '—' };
  current: { value: string; verdict: Verdict | '—' };
}

/** Rows matched by figure (labels hold no measured values), in the current side's order, baseline-only rows last. */
export function compareRows(baseline: ReportRow[], current: ReportRow[]): ComparisonRow[] {
  const missing = { value: '—', verdict: '—' as const };
  const side = (row: ReportRow | undefined) => (row ? { value: row.value, verdict: row.verdict } : missing);
  const byFigure = new Map(baseline.map((row) => [row.figure, row]));
  const rows = current.map((row) => ({
    figure: row.figure,
    target: row.target,
    baseline: side(byFigure.get(row.figure)),
    current: side(row),
  }));
  const seen = new Set(current.map((row) => row.figure));
  for (const row of baseline)
    if (!seen.has(row.figure)) rows.push({ figure: row.figure, target: row.target, baseline: side(row), current: missing });
  return rows;
}

/** A plain-text table, widths fitted to the content. */
export function renderTable(rows: ReportRow[]): string {
  return render(
    ['figure', 'measured', 'target', 'verdict'],
    rows.map((row) => [row.figure, row.value, row.target, row.verdict]),
    [1],
  );
}

/** A column per side, each with its own verdict. */
export function renderComparison(rows: ComparisonRow[]): string {
  return render(
    ['figure', 'baseline', 'current', 'target', 'verdict baseline / current'],
    rows.map((row) => [row.figure, row.baseline.value, row.current.value, row.target, `${row.baseline.verdict} / ${row.current.verdict}`]),
    [1, 2],
  );
}

/** Columns padded to their widest cell; the `rightAligned` ones (figures) to the right. */
function render(header: string[], cells: string[][], rightAligned: number[]): string {
  const all = [header, ...cells];
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) => (rightAligned.includes(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  const rule = '-'.repeat(widths.reduce((sum, width) => sum + width + 2, -2));
  return [line(header), rule, ...cells.map(line)].join('\n');
}
