import { esc } from './escape.ts';
import {
  examplesSection,
  funnelSection,
  rejectionSection,
  ruleLiftSection,
  scoreBandSection,
  slaSection,
  thresholdSection,
} from './html-sections.ts';
import type { ReviewPack } from './review-pack.ts';

/** Inline styles: the file is read offline and mailed around, so it asks nothing of the network. */
const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #1d2433; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { border-bottom: 2px solid #d9dee8; padding-bottom: .2rem; margin-top: 2.2rem; }
table { border-collapse: collapse; margin: .6rem 0 1rem; } th, td { padding: .25rem .6rem; border-bottom: 1px solid #e4e7ee; text-align: right; }
th:first-child, td:first-child { text-align: left; } th { background: #f3f5f9; }
tr.flagged td, tr.best td { background: #fff4d6; } tr.current td { font-weight: 600; }
svg { display: block; margin: .5rem 0; font-size: 12px; } svg text { fill: #1d2433; } svg .bar { fill: #3b6fd8; }
.note { color: #5a6478; } .figures { font-size: 1.05rem; }
.example { border: 1px solid #e4e7ee; border-radius: 6px; padding: .4rem 1rem; margin: .6rem 0; }
.example h3 { font-size: 1rem; margin: .4rem 0; } .breakdown { margin: .3rem 0 .5rem; padding-left: 1.2rem; }
.pts { display: inline-block; min-width: 3em; font-variant-numeric: tabular-nums; } .kind { color: #5a6478; font-size: .85em; }
nav a { margin-right: 1rem; }
@media print { body { margin: 0; } .example { break-inside: avoid; } }`;

const NAV: [string, string][] = [
  ['funnel', 'Funnel'],
  ['sla', 'SLA'],
  ['rejections', 'Rejections'],
  ['rule-lift', 'Rule lift'],
  ['score-bands', 'Score bands'],
  ['thresholds', 'Thresholds'],
  ['rejected-high-scorers', 'High scorers rejected'],
  ['accepted-low-scorers', 'Low scorers accepted'],
];

/** The review pack as one self-contained HTML page: inline CSS and SVG, no script, every text value escaped. */
export function reviewHtml(pack: ReviewPack, generatedAt: Date): string {
  const period = `${pack.from.slice(0, 10)} → ${pack.to.slice(0, 10)}`;
  const { backtest: b, examples: x } = pack;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>MQL review ${esc(period)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>MQL review ${esc(period)}</h1>
<p class="note">End exclusive. Funnel, SLA and rejections count contacts handed off in the period; rule lift, bands, thresholds
  and examples count each contact evaluated in the period (its latest evaluation) under the active version ${esc(b.activeVersionId)}
  (MQL definition ${esc(b.definitions.active)}). Generated ${esc(generatedAt.toISOString())}.</p>
<nav>${NAV.map(([id, label]) => `<a href="#${id}">${esc(label)}</a>`).join('')}</nav>
${funnelSection(pack.kpis.total)}
${slaSection(pack.kpis.total)}
${rejectionSection(pack.kpis.total)}
${ruleLiftSection(b)}
${scoreBandSection(b)}
${thresholdSection(b)}
${examplesSection(
  'rejected-high-scorers',
  'High scorers rejected by sales',
  `MQLs with the highest scores that sales rejected (and did not accept since), at most ${x.limit}. The rep's note stays in Salesforce and HubSpot: Handoff keeps the reason code.`,
  x.rejectedHighScorers,
)}
${examplesSection(
  'accepted-low-scorers',
  'Low scorers or non-MQLs that became SQL or won',
  `Contacts that were no MQL, or one under their threshold (a fast track), and became SQL (won or lost included); lowest score first, at most ${x.limit}.`,
  x.acceptedLowScorers,
)}
</body>
</html>
`;
}
