import { esc } from './escape.ts';

export interface Bar {
  label: string;
  value: number;
  /** What is written after the bar (defaults to the value). */
  text?: string;
}

const ROW = 22;
const LABEL_WIDTH = 200;
const BAR_SPACE = 320;

/**
 * Horizontal bars scaled to `max` (default the largest value), as inline SVG: no script, no external reference. A
 * value above zero gets at least one pixel so small counts stay visible.
 */
export function barChart(title: string, bars: Bar[], max = Math.max(0, ...bars.map((b) => b.value))): string {
  const height = bars.length * ROW + 8;
  const width = LABEL_WIDTH + BAR_SPACE + 90;
  const rows = bars.map((bar, i) => {
    const y = i * ROW + 4;
    const length = max > 0 && bar.value > 0 ? Math.max(1, Math.round((bar.value / max) * BAR_SPACE)) : 0;
    return (
      `<text x="${LABEL_WIDTH - 6}" y="${y + 14}" text-anchor="end">${esc(bar.label)}</text>` +
      `<rect x="${LABEL_WIDTH}" y="${y + 2}" width="${length}" height="${ROW - 6}" class="bar"/>` +
      `<text x="${LABEL_WIDTH + length + 6}" y="${y + 14}">${esc(bar.text ?? String(bar.value))}</text>`
    );
  });
  return `<svg role="img" aria-label="${esc(title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><title>${esc(title)}</title>${rows.join('')}</svg>`;
}

/** Rates in [0, 1] (null as no bar, written —) as bars on a 0–100% scale. */
export function rateChart(title: string, rates: { label: string; rate: number | null }[]): string {
  return barChart(
    title,
    rates.map((r) => ({ label: r.label, value: r.rate ?? 0, text: r.rate === null ? '—' : `${(r.rate * 100).toFixed(1)}%` })),
    1,
  );
}
