import type { BacktestResult } from '../../config/versions/backtest-schema.ts';
import type { CalibrationExamplesAnswer } from '../../config/versions/calibration-examples-schema.ts';
import type { KpiGroup } from '../../kpis/kpi-types.ts';
import { percent, ruleLiftCells, thresholdCells } from '../text-format.ts';
import { esc } from './escape.ts';
import { barChart, rateChart } from './svg-charts.ts';

type Cell = string | number | null;

/** A table whose cells are escaped; `marks` adds a class to a row (e.g. the current threshold). */
export function table(header: string[], rows: Cell[][], marks: (string | undefined)[] = []): string {
  const head = `<tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const body = rows
    .map((row, i) => `<tr${marks[i] ? ` class="${esc(marks[i])}"` : ''}>${row.map((c) => `<td>${esc(c ?? '—')}</td>`).join('')}</tr>`)
    .join('');
  return `<table><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

const FLAGS = { never_fires: 'never fires', fires_for_everyone: 'fires for everyone' } as const;

export function funnelSection(g: KpiGroup): string {
  const stages: [string, number, number | null][] = [
    ['MQL', g.funnel.mql, null],
    ['SAL', g.funnel.sal, g.rates.mqlToSal],
    ['SQL', g.funnel.sql, g.rates.mqlToSql],
    ['Opportunity', g.funnel.opportunity, g.rates.sqlToOpportunity],
    ['Won', g.funnel.won, g.rates.opportunityToWon],
  ];
  return [
    '<section id="funnel"><h2>Funnel to won</h2>',
    '<p class="note">Contacts handed off in the period (handoff time), followed to their latest stage.</p>',
    barChart(
      'Funnel to won',
      stages.map(([label, value]) => ({ label, value })),
    ),
    table(
      ['stage', 'contacts', 'rate', 'of'],
      stages.map(([name, count, rate], i) => [
        name,
        count,
        i === 0 ? '' : percent(rate),
        ['', 'MQL', 'MQL', 'SQL', 'Opportunity'][i] ?? '',
      ]),
    ),
    `<p class="figures"><strong>Win rate ${esc(percent(g.rates.winRate))}</strong> (${esc(g.revenue.won)} won, ${esc(g.revenue.lost)} lost);
      won amount ${esc(g.revenue.wonAmount)}; open pipeline ${esc(g.revenue.openAmount)} (${esc(g.revenue.openDeals)} deals)</p>`,
    '</section>',
  ].join('\n');
}

export function slaSection(g: KpiGroup): string {
  const kinds = [
    ['First touch', g.sla.firstTouch],
    ['Disposition', g.sla.disposition],
  ] as const;
  return [
    '<section id="sla"><h2>SLA adherence</h2>',
    rateChart(
      'SLA adherence',
      kinds.map(([label, k]) => ({ label, rate: k.adherence })),
    ),
    table(
      ['clock', 'met', 'decided', 'breached', 'adherence'],
      kinds.map(([label, k]) => [label, k.met, k.decided, k.breached, percent(k.adherence)]),
    ),
    '</section>',
  ].join('\n');
}

export function rejectionSection(g: KpiGroup): string {
  const reasons = g.rejectionReasons;
  const body =
    reasons.length === 0
      ? '<p>No rejection in the period.</p>'
      : barChart(
          'Rejection reasons',
          reasons.map((r) => ({ label: r.reason, value: r.count })),
        ) +
        table(
          ['reason', 'rejections'],
          reasons.map((r) => [r.reason, r.count]),
        );
  return `<section id="rejections"><h2>Rejection reasons</h2>\n${body}\n</section>`;
}

export function ruleLiftSection(b: BacktestResult): string {
  const base = b.baseline;
  return [
    '<section id="rule-lift"><h2>Rule lift</h2>',
    `<p class="note">Per rule of the active definition (${esc(b.definitions.active)}), over the contacts evaluated in the period, against all
      ${esc(base.contacts)} MQLs (SQL rate ${esc(percent(base.sqlRate))}, win rate ${esc(percent(base.winRate))}).</p>`,
    table(
      ['rule', 'label', 'kind', 'fired', 'MQL share', 'SQL rate', 'SQL lift', 'win rate', 'win lift', 'flag'],
      b.rules.map((r) => {
        const { kind, figures } = ruleLiftCells(r);
        return [r.ruleId, r.label, kind, ...figures, r.flag === null ? '' : FLAGS[r.flag]];
      }),
      b.rules.map((r) => (r.flag === null ? undefined : 'flagged')),
    ),
    '</section>',
  ].join('\n');
}

export function scoreBandSection(b: BacktestResult): string {
  const label = (band: BacktestResult['scoreBands'][number]) => `${band.from}–${band.to}`;
  return [
    '<section id="score-bands"><h2>Score bands</h2>',
    rateChart(
      'SQL rate by score band',
      b.scoreBands.map((band) => ({ label: `${label(band)} SQL rate`, rate: band.outcomes.sqlRate })),
    ),
    rateChart(
      'Win rate by score band',
      b.scoreBands.map((band) => ({ label: `${label(band)} win rate`, rate: band.outcomes.winRate })),
    ),
    table(
      ['band', 'contacts', 'MQL', 'SQL', 'won', 'lost', 'rejected', 'open', 'SQL rate', 'win rate'],
      b.scoreBands.map((band) => {
        const o = band.outcomes;
        return [label(band), o.contacts, band.mql, o.sql, o.won, o.lost, o.rejected, o.open, percent(o.sqlRate), percent(o.winRate)];
      }),
    ),
    '</section>',
  ].join('\n');
}

export function thresholdSection(b: BacktestResult): string {
  const segments = b.segments.map((s) => {
    const marks = s.thresholds.map((t) => [t.current ? 'current' : '', t.bestFor.length > 0 ? 'best' : ''].filter(Boolean).join(' '));
    return [
      `<h3>${esc(s.label)} (${esc(s.segmentId)}): threshold ${esc(s.currentThreshold)}, ${esc(s.contacts)} contacts;
        best F1: SQL ${esc(s.best.sql ?? '—')}, won ${esc(s.best.won ?? '—')}</h3>`,
      table(
        ['threshold', 'MQL', 'SQL precision', 'SQL recall', 'SQL F1', 'won precision', 'won recall', 'won F1', ''],
        s.thresholds.map((t) => [
          ...thresholdCells(t),
          [t.current ? 'active threshold' : '', ...t.bestFor.map((o) => `★ best F1 (${o === 'sql' ? 'SQL' : 'won'})`)]
            .filter(Boolean)
            .join(', '),
        ]),
        marks.map((m) => m || undefined),
      ),
    ].join('\n');
  });
  return [
    '<section id="thresholds"><h2>Precision and recall by threshold</h2>',
    `<p class="note">"MQL" against "became SQL" and against "won", on contacts whose answer is known. ${esc(b.objective)}.</p>`,
    ...segments,
    '</section>',
  ].join('\n');
}

type Example = CalibrationExamplesAnswer['rejectedHighScorers'][number];

/** The lines that counted: scoring rules that gave points, and the fast track or exclusion that decided. */
const counted = (e: Example) =>
  e.breakdown.filter((line) => line.points !== 0 || line.category === 'fastTrack' || line.category === 'exclusion');

function exampleCard(e: Example): string {
  const o = e.outcome;
  const reason = o.reasonCode === null ? '' : ` — ${esc(o.reasonCode)}${o.reasonLabel ? ` (${esc(o.reasonLabel)})` : ''}`;
  const lines = counted(e)
    .map(
      (line) =>
        `<li><span class="pts">${esc(line.points > 0 ? `+${line.points}` : line.points)}</span> ${esc(line.label)} <span class="kind">${esc(line.category)}</span></li>`,
    )
    .join('');
  return `<article class="example">
  <h3>Contact ${esc(e.contactId)}: score ${esc(e.score)} / threshold ${esc(e.threshold ?? '—')} (${esc(e.qualified ? 'MQL' : 'not MQL')}${e.fastTrack ? `, fast track ${esc(e.fastTrack)}` : ''})</h3>
  <p>Segment ${esc(e.segmentId)}, definition ${esc(e.definitionVersion)}, evaluated ${esc(e.evaluatedAt.slice(0, 10))};
    outcome <strong>${esc(o.status)}</strong> on ${esc(o.at.slice(0, 10))}${reason}</p>
  <ul class="breakdown">${lines || '<li>No rule gave points.</li>'}</ul>
</article>`;
}

export function examplesSection(id: string, title: string, note: string, examples: Example[]): string {
  const body = examples.length === 0 ? '<p>None in the period.</p>' : examples.map(exampleCard).join('\n');
  return `<section id="${esc(id)}"><h2>${esc(title)}</h2>\n<p class="note">${esc(note)}</p>\n${body}\n</section>`;
}
