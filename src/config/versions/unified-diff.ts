/**
 * A small line-based unified diff (the `diff` package is not installed). Longest common subsequence on
 * the lines between the common prefix and suffix; mappings files are a few hundred lines at most.
 */
export type Edit = { op: ' ' | '-' | '+'; line: string };

/** Above this many cells the LCS table is skipped and the changed middle is shown as removed then added. */
const MAX_LCS_CELLS = 4_000_000;
const CONTEXT_LINES = 3;

/** One section per file that differs, `--- a/name` / `+++ b/name` then hunks; '' when nothing differs. */
export function unifiedDiff(before: Record<string, string>, after: Record<string, string>): string {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const sections: string[] = [];
  for (const name of names) {
    const old = before[name];
    const now = after[name];
    if (old === now) continue;
    const hunks = formatHunks(diffLines(linesOf(old), linesOf(now)));
    if (hunks.length === 0) continue;
    const from = old === undefined ? '/dev/null' : `a/${name}`;
    const to = now === undefined ? '/dev/null' : `b/${name}`;
    sections.push([`--- ${from}`, `+++ ${to}`, ...hunks].join('\n'));
  }
  return sections.length === 0 ? '' : `${sections.join('\n')}\n`;
}

function linesOf(text: string | undefined): string[] {
  if (text === undefined || text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

export function diffLines(a: string[], b: string[]): Edit[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const keep = (lines: string[]): Edit[] => lines.map((line) => ({ op: ' ', line }));
  const middle = lcsEdits(a.slice(start, endA), b.slice(start, endB));
  return [...keep(a.slice(0, start)), ...middle, ...keep(a.slice(endA))];
}

function lcsEdits(a: string[], b: string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  if (n * m > MAX_LCS_CELLS) return [...a.map((line) => ({ op: '-' as const, line })), ...b.map((line) => ({ op: '+' as const, line }))];
  // table[i][j] = LCS length of a[i..] and b[j..], flattened.
  const width = m + 1;
  const table = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * width + j] =
        a[i] === b[j]
          ? (table[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(table[(i + 1) * width + j] ?? 0, table[i * width + j + 1] ?? 0);
    }
  }
  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      edits.push({ op: ' ', line: a[i] ?? '' });
      i++;
      j++;
    } else if (i < n && (j === m || (table[(i + 1) * width + j] ?? 0) >= (table[i * width + j + 1] ?? 0))) {
      // Removals before additions on a tie, as `diff -u` shows a changed line.
      edits.push({ op: '-', line: a[i] ?? '' });
      i++;
    } else {
      edits.push({ op: '+', line: b[j] ?? '' });
      j++;
    }
  }
  return edits;
}

/** Groups changes with CONTEXT_LINES of unchanged lines around them, merging groups that touch. */
function formatHunks(edits: Edit[]): string[] {
  const changed = edits.flatMap((edit, index) => (edit.op === ' ' ? [] : [index]));
  const hunks: string[] = [];
  let g = 0;
  while (g < changed.length) {
    let last = g;
    while (last + 1 < changed.length && (changed[last + 1] ?? 0) - (changed[last] ?? 0) <= 2 * CONTEXT_LINES + 1) last++;
    const from = Math.max(0, (changed[g] ?? 0) - CONTEXT_LINES);
    const to = Math.min(edits.length, (changed[last] ?? 0) + CONTEXT_LINES + 1);
    hunks.push(formatHunk(edits, from, to));
    g = last + 1;
  }
  return hunks;
}

function formatHunk(edits: Edit[], from: number, to: number): string {
  const before = edits.slice(0, from);
  const body = edits.slice(from, to);
  const oldBefore = before.filter((e) => e.op !== '+').length;
  const newBefore = before.filter((e) => e.op !== '-').length;
  const oldCount = body.filter((e) => e.op !== '+').length;
  const newCount = body.filter((e) => e.op !== '-').length;
  // Unified diff convention: an empty side names the line before it.
  const oldStart = oldCount === 0 ? oldBefore : oldBefore + 1;
  const newStart = newCount === 0 ? newBefore : newBefore + 1;
  return [`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`, ...body.map((e) => `${e.op}${e.line}`)].join('\n');
}
