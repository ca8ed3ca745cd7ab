import type { BreakdownLine, MqlResult } from './qualify-mql.ts';

/** MQL_Breakdown__c is a long text area; we stay within 32,000 characters so any long-text field size fits. */
export const SALESFORCE_BREAKDOWN_MAX_CHARS = 32_000;

const SECTION_TITLES: Record<BreakdownLine['category'], string> = {
  fit: 'Fit',
  behaviour: 'Behaviour',
  fastTrack: 'Fast track',
  exclusion: 'Exclusion',
};

/** The plain text a Salesforce rep reads on the Lead: one line per rule, a total line, the definition version. */
export function formatBreakdown(result: MqlResult): string {
  const lines: string[] = [];
  lines.push(`MQL ${result.qualified ? 'qualified' : 'not qualified'} — segment ${result.segment.label}`);
  for (const category of ['fit', 'behaviour', 'fastTrack', 'exclusion'] as const) {
    const section = result.breakdown.filter((line) => line.category === category);
    if (section.length === 0) continue;
    lines.push(`${SECTION_TITLES[category]}:`);
    for (const line of section) lines.push(`  ${formatLine(line)}`);
  }
  const { total, minFit, minBehaviour } = result.threshold;
  const minimums = [
    minFit !== undefined ? `min fit ${minFit}` : '',
    minBehaviour !== undefined ? `min behaviour ${minBehaviour}` : '',
  ].filter(Boolean);
  const extra = minimums.length > 0 ? `, ${minimums.join(', ')}` : '';
  lines.push(`Total: ${result.score} (fit ${result.fitScore}, behaviour ${result.behaviourScore}); threshold ${total}${extra}`);
  for (const reason of result.reasons) lines.push(`- ${reason}`);
  lines.push(`Definition version: ${result.version}`);
  return fitWithin(lines.join('\n'), SALESFORCE_BREAKDOWN_MAX_CHARS);
}

function formatLine(line: BreakdownLine): string {
  const detail = line.detail ? ` (${line.detail})` : '';
  if (line.category === 'fastTrack' || line.category === 'exclusion') return `${line.label}${detail}`;
  const points = line.points > 0 ? `+${line.points}` : String(line.points);
  return `${points.padStart(4)}  ${line.label}${detail}`;
}

/** Keeps the tail (total, reasons, version) when cutting: those matter most to the rep. */
function fitWithin(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = '\n[… breakdown shortened …]\n';
  const tailStart = text.lastIndexOf('\nTotal: ');
  const tail = tailStart >= 0 ? text.slice(tailStart + 1) : '';
  const room = max - tail.length - marker.length;
  if (room <= 0) return text.slice(0, max);
  return `${text.slice(0, room)}${marker}${tail}`;
}
