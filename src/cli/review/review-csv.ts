import { csvCell } from '../../kpis/kpi-csv.ts';
import type { ReviewPack } from './review-pack.ts';

type Cell = string | number | null;

/** RFC 4180 text (CRLF line ends), cells quoted and guarded against spreadsheet formulas as the KPI CSV does. */
function csv(header: string[], rows: Cell[][]): string {
  return `${[header, ...rows].map((cells) => cells.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** One CSV per table of the review, keyed by the name that ends its file (`review-<period>-<name>.csv`). */
export function reviewCsvFiles(pack: ReviewPack): Record<string, string> {
  const g = pack.kpis.total;
  const b = pack.backtest;
  const examples = [
    ...pack.examples.rejectedHighScorers.map((e) => ['rejected_high_scorer', e] as const),
    ...pack.examples.acceptedLowScorers.map((e) => ['accepted_low_scorer', e] as const),
  ];
  return {
    funnel: csv(
      ['stage', 'contacts', 'rate', 'rate_of'],
      [
        ['mql', g.funnel.mql, null, null],
        ['sal', g.funnel.sal, g.rates.mqlToSal, 'mql'],
        ['sql', g.funnel.sql, g.rates.mqlToSql, 'mql'],
        ['opportunity', g.funnel.opportunity, g.rates.sqlToOpportunity, 'sql'],
        ['won', g.funnel.won, g.rates.opportunityToWon, 'opportunity'],
        ['win_rate', g.revenue.won, g.rates.winRate, 'won_and_lost'],
      ],
    ),
    sla: csv(
      ['clock', 'met', 'decided', 'breached', 'adherence'],
      (['firstTouch', 'disposition'] as const).map((kind) => {
        const k = g.sla[kind];
        return [kind === 'firstTouch' ? 'first_touch' : 'disposition', k.met, k.decided, k.breached, k.adherence];
      }),
    ),
    'rejection-reasons': csv(
      ['reason', 'rejections'],
      g.rejectionReasons.map((r) => [r.reason, r.count]),
    ),
    'rule-lift': csv(
      [
        'rule_id',
        'label',
        'category',
        'enabled',
        'fired',
        'fired_mql',
        'share_of_mql',
        'sql_rate',
        'sql_lift',
        'win_rate',
        'win_lift',
        'flag',
      ],
      b.rules.map((r) => [
        r.ruleId,
        r.label,
        r.category,
        String(r.enabled),
        r.firedFor.contacts,
        r.firedFor.mql,
        r.shareOfMql,
        r.outcomes.sqlRate,
        r.sqlLift,
        r.outcomes.winRate,
        r.winLift,
        r.flag,
      ]),
    ),
    'score-bands': csv(
      ['from', 'to', 'contacts', 'mql', 'sql', 'won', 'lost', 'rejected', 'open', 'sql_rate', 'win_rate'],
      b.scoreBands.map((band) => {
        const o = band.outcomes;
        return [band.from, band.to, o.contacts, band.mql, o.sql, o.won, o.lost, o.rejected, o.open, o.sqlRate, o.winRate];
      }),
    ),
    thresholds: csv(
      [
        'segment',
        'threshold',
        'mql',
        'sql_precision',
        'sql_recall',
        'sql_f1',
        'won_precision',
        'won_recall',
        'won_f1',
        'active',
        'best_f1_for',
      ],
      b.segments.flatMap((s) =>
        s.thresholds.map((t) => [
          s.segmentId,
          t.threshold,
          t.mql,
          t.sql.precision,
          t.sql.recall,
          t.sql.f1,
          t.won.precision,
          t.won.recall,
          t.won.f1,
          String(t.current),
          t.bestFor.join(' '),
        ]),
      ),
    ),
    examples: csv(
      [
        'list',
        'contact_id',
        'segment',
        'score',
        'threshold',
        'qualified',
        'fast_track',
        'definition_version',
        'evaluated_at',
        'outcome',
        'outcome_at',
        'reason_code',
        'reason_label',
        'breakdown',
      ],
      examples.map(([list, e]) => [
        list,
        e.contactId,
        e.segmentId,
        e.score,
        e.threshold,
        String(e.qualified),
        e.fastTrack,
        e.definitionVersion,
        e.evaluatedAt,
        e.outcome.status,
        e.outcome.at,
        e.outcome.reasonCode,
        e.outcome.reasonLabel,
        e.breakdown
          .filter((line) => line.points !== 0 || line.category === 'fastTrack' || line.category === 'exclusion')
          .map((line) => `${line.label} (${line.points})`)
          .join('; '),
      ]),
    ),
  };
}
