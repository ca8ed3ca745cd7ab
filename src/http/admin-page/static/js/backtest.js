// The backtest of a draft beside its diff: replays the draft and the active MQL definitions over a period's
// evaluated contacts (POST /api/config/versions/:id/backtest) and shows what would have changed. Nothing is written.
import { api, detailLines } from './api.js';
import { $, h } from './dom.js';
import { barChart } from './svg-chart.js';

const DAY_MS = 86_400_000;
const enc = encodeURIComponent;

const day = (ms) => new Date(ms).toISOString().slice(0, 10);
const pct = (rate) => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`);
const lift = (value) => (value === null || value === undefined ? '—' : `${value.toFixed(2)}×`);

/** The form (from/to in UTC days; default the last 90 days, today included) and where the answer goes. */
export function backtestPanel(id) {
  const today = Date.now();
  return h(
    'div',
    { className: 'backtest' },
    h('h3', {}, 'Backtest'),
    h(
      'p',
      { className: 'meta' },
      'Replays this draft and the active MQL definition over every contact evaluated in the period, and compares them on what became of those contacts. Nothing is written.',
    ),
    h(
      'div',
      { className: 'row' },
      h('label', { htmlFor: 'backtest-from' }, 'From (UTC)'),
      h('input', { id: 'backtest-from', type: 'date', value: day(today - 90 * DAY_MS) }),
      h('label', { htmlFor: 'backtest-to' }, 'to, inclusive'),
      h('input', { id: 'backtest-to', type: 'date', value: day(today) }),
      h('button', { type: 'button', id: 'backtest', onclick: () => runBacktest(id) }, 'Backtest'),
    ),
    h('div', { id: 'backtest-result' }),
  );
}

async function runBacktest(id) {
  const target = $('#backtest-result');
  const from = $('#backtest-from').value;
  const to = $('#backtest-to').value;
  if (!from || !to) {
    target.replaceChildren(h('p', { className: 'error' }, 'Choose both days of the period.'));
    return;
  }
  target.replaceChildren(h('p', { className: 'meta' }, 'Replaying…'));
  try {
    const body = { from: `${from}T00:00:00.000Z`, to: new Date(Date.parse(`${to}T00:00:00.000Z`) + DAY_MS).toISOString() };
    target.replaceChildren(...report(await api('POST', `/api/config/versions/${enc(id)}/backtest`, body)));
  } catch (error) {
    target.replaceChildren(h('p', { className: 'error' }, error.message, ...detailLines(error).map((line) => h('div', {}, line))));
  }
}

function report(r) {
  return [
    h('p', { className: 'meta' }, `${r.definitions.active} (active) against ${r.definitions.draft} (this draft)`),
    summary(r),
    groups(r.groups),
    h('h4', {}, 'Precision and recall per segment'),
    h(
      'p',
      { className: 'meta' },
      `"MQL" against "became SQL" and against "won"; ★ marks the threshold with the best ${r.objective.toUpperCase()}.`,
    ),
    ...r.segments.map(segmentCurve),
    h('h4', {}, 'Rule lift'),
    rules(r.rules),
    h('h4', {}, 'Score bands'),
    barChart(
      r.scoreBands.map((band) => ({
        label: `${band.from}–${band.to}`,
        value: band.outcomes.contacts,
        note: `SQL ${pct(band.outcomes.sqlRate)} · won ${pct(band.outcomes.winRate)}`,
      })),
      { title: 'Contacts per score band, with their SQL and win rates', kind: 'bands' },
    ),
  ];
}

function table(id, head, rows) {
  return h(
    'table',
    { className: 'list backtest-table', id },
    h('thead', {}, h('tr', {}, ...head.map((label) => h('th', {}, label)))),
    h('tbody', {}, ...rows),
  );
}

function summary(r) {
  const row = (label, active, draft, key) =>
    h('tr', { dataset: { row: key } }, h('th', {}, label), h('td', {}, active), h('td', {}, draft));
  return table(
    'backtest-summary',
    ['', 'Active', 'This draft'],
    [
      row('MQLs', r.mql.active, r.mql.draft, 'mql'),
      row('Newly qualifying', '', r.newlyQualifying.count, 'newly'),
      row('No longer qualifying', '', r.noLongerQualifying.count, 'no-longer'),
      row('Contacts evaluated / replayed', r.contacts.evaluated, r.contacts.replayed, 'contacts'),
    ],
  );
}

function groups(g) {
  const row = (label, key, t) =>
    h(
      'tr',
      { dataset: { group: key } },
      h('th', {}, label),
      h('td', {}, t.contacts),
      h('td', {}, t.sql + t.won + t.lost),
      h('td', {}, t.won),
      h('td', {}, t.rejected),
      h('td', {}, pct(t.sqlRate)),
      h('td', {}, pct(t.winRate)),
      h(
        'td',
        {},
        t.rejectionReasons
          .slice(0, 3)
          .map((reason) => `${reason.reason} ${reason.count}`)
          .join(', '),
      ),
    );
  return table(
    'backtest-groups',
    ['MQL under', 'Contacts', 'SQL', 'Won', 'Rejected', 'SQL rate', 'Win rate', 'Top rejection reasons'],
    [
      row('both', 'both', g.both),
      row('active only (no longer)', 'activeOnly', g.activeOnly),
      row('this draft only (newly)', 'draftOnly', g.draftOnly),
    ],
  );
}

/** Thresholds in steps of 5, plus the current one and the best ones: the whole curve is one row per score. */
function segmentCurve(s) {
  const shown = s.thresholds.filter((t) => t.current || t.bestFor.length > 0 || t.threshold % 5 === 0);
  const cell = (figures, best) => h('td', {}, `${pct(figures.precision)} / ${pct(figures.recall)}`, best ? ' ★' : '');
  const rows = shown.map((t) =>
    h(
      'tr',
      { className: t.current ? 'selected' : '', dataset: { threshold: t.threshold, best: t.bestFor.join(' ') } },
      h('th', {}, String(t.threshold), t.current ? ' (draft)' : ''),
      h('td', {}, t.mql),
      cell(t.sql, t.bestFor.includes('sql')),
      cell(t.won, t.bestFor.includes('won')),
    ),
  );
  return h(
    'div',
    { className: 'backtest-segment', dataset: { segment: s.segmentId } },
    h(
      'h5',
      {},
      `${s.label}: ${s.contacts} contacts, threshold ${s.currentThreshold}; best for SQL ${s.best.sql ?? '—'}, for won ${s.best.won ?? '—'}`,
    ),
    table(`backtest-curve-${s.segmentId}`, ['Threshold', 'MQLs', 'SQL: precision / recall', 'Won: precision / recall'], rows),
  );
}

function rules(list) {
  const flagText = { never_fires: 'never fires', fires_for_everyone: 'fires for everyone' };
  const rows = list.map((rule) =>
    h(
      'tr',
      { dataset: { rule: rule.ruleId, flag: rule.flag ?? '' } },
      h('th', {}, rule.label, rule.enabled ? '' : ' (off)'),
      h('td', {}, rule.category),
      h('td', {}, `${rule.firedFor.contacts} / ${rule.firedFor.mql}`),
      h('td', {}, pct(rule.shareOfMql)),
      h('td', {}, pct(rule.outcomes.sqlRate)),
      h('td', {}, lift(rule.sqlLift)),
      h('td', {}, pct(rule.outcomes.winRate)),
      h('td', {}, lift(rule.winLift)),
      h('td', {}, rule.flag ? h('span', { className: 'badge flag' }, flagText[rule.flag]) : ''),
    ),
  );
  return table(
    'backtest-rules',
    ['Rule', 'Kind', 'Fired for (contacts / MQLs)', 'Share of MQLs', 'SQL rate', 'SQL lift', 'Win rate', 'Win lift', 'Flag'],
    rows,
  );
}
