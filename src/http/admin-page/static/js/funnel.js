// Funnel KPIs for a window and a grouping: the funnel and rejection reasons as bar charts, a table per group,
// and a CSV download of the same figures.
import { api } from './api.js';
import { $, h, say } from './dom.js';
import { routingSection } from './funnel-routing.js';
import { barChart } from './svg-chart.js';

const pct = (value) => (value === null ? '—' : `${(value * 100).toFixed(1)}%`);
const num = (value, unit) => (value === null ? '—' : `${value.toFixed(1)} ${unit}`);
// The org's currency is not known here: the amount is shown grouped, without a symbol.
const amount = (value) => value.toLocaleString('en-US', { maximumFractionDigits: 2 });

function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

/** Defaults to the last 30 days, ending tomorrow so today's handoffs count. */
function defaultWindow() {
  const to = new Date(Date.now() + 24 * 3600 * 1000);
  return { from: isoDay(new Date(to.getTime() - 31 * 24 * 3600 * 1000)), to: isoDay(to) };
}

function queryString() {
  const params = new URLSearchParams({ from: $('#kpi-from').value, to: $('#kpi-to').value });
  if ($('#kpi-group').value) params.set('groupBy', $('#kpi-group').value);
  return params;
}

export function setUpFunnel() {
  const { from, to } = defaultWindow();
  $('#kpi-from').value = from;
  $('#kpi-to').value = to;
  $('#kpi-form').addEventListener('submit', (event) => {
    event.preventDefault();
    showFunnel().catch((error) => say(error.message, 'error'));
  });
}

export async function showFunnel() {
  const params = queryString();
  const report = await api('GET', `/api/kpis?${params}`);
  const csv = new URLSearchParams(params);
  csv.set('format', 'csv');
  $('#kpi-csv').href = `/api/kpis?${csv}`;
  $('#kpi-csv').hidden = false;
  $('#kpi-result').replaceChildren(...summary(report.total), ...(report.groupBy ? [groupTable(report)] : []));
  $('#kpi-routing').replaceChildren(...(await routingSection($('#kpi-from').value, $('#kpi-to').value)));
}

function funnelChart(group) {
  const { mql, sal, sql, opportunity, won } = group.funnel;
  return barChart(
    [
      { label: 'MQL', value: mql },
      { label: 'SAL', value: sal, note: pct(group.rates.mqlToSal) },
      { label: 'SQL', value: sql, note: pct(group.rates.mqlToSql) },
      { label: 'Opportunity', value: opportunity, note: `${pct(group.rates.sqlToOpportunity)} of SQL` },
      { label: 'Won', value: won, note: `${pct(group.rates.opportunityToWon)} of opportunities` },
    ],
    { title: 'Funnel', max: mql, kind: 'funnel' },
  );
}

function summary(total) {
  const reasons = total.rejectionReasons.map((r) => ({ label: r.reason, value: r.count }));
  const ft = total.sla.firstTouch;
  const disp = total.sla.disposition;
  return [
    h('h3', {}, 'Funnel'),
    funnelChart(total),
    h(
      'dl',
      { className: 'kpi-facts' },
      h('dt', {}, 'Won deals'),
      h(
        'dd',
        { id: 'kpi-revenue' },
        `win rate ${pct(total.rates.winRate)} (${total.revenue.won} won, ${total.revenue.lost} lost), won amount ` +
          `${amount(total.revenue.wonAmount)}, open pipeline ${amount(total.revenue.openAmount)} (${total.revenue.openDeals} deals), ` +
          `MQL→won median ${num(total.revenue.medianDaysMqlToWon, 'days')}`,
      ),
      h('dt', {}, 'First response (rep)'),
      h(
        'dd',
        { id: 'kpi-response' },
        `median ${num(total.firstResponse.medianMinutes, 'min')}, p90 ${num(total.firstResponse.p90Minutes, 'min')} (${total.firstResponse.count} touched)`,
      ),
      h('dt', {}, 'Routing delay (our sync)'),
      h('dd', {}, `median ${num(total.routingDelay.medianSeconds, 's')}, p90 ${num(total.routingDelay.p90Seconds, 's')}`),
      h('dt', {}, 'SLA adherence'),
      h(
        'dd',
        { id: 'kpi-sla' },
        `first touch ${pct(ft.adherence)} (${ft.met}/${ft.decided}), disposition ${pct(disp.adherence)} (${disp.met}/${disp.decided})`,
      ),
    ),
    h('h3', {}, 'Rejection reasons'),
    reasons.length
      ? barChart(reasons, { title: 'Rejection reasons', kind: 'reasons' })
      : h('p', { className: 'meta' }, 'No rejections in this window.'),
  ];
}

function groupTable(report) {
  const head = [
    'Group',
    'MQL',
    'SAL',
    'SQL',
    'Opp',
    'Won',
    'MQL→SAL',
    'MQL→SQL',
    'SQL→Opp',
    'Win rate',
    'Won amount',
    'Response p50',
    'First-touch SLA',
  ];
  return h(
    'div',
    {},
    h('h3', {}, `By ${report.groupBy}`),
    h(
      'table',
      { className: 'list', id: 'kpi-groups' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          head.map((cell) => h('th', {}, cell)),
        ),
      ),
      h(
        'tbody',
        {},
        report.groups.map((g) =>
          h(
            'tr',
            {},
            h('td', {}, g.key ?? '(not recorded)'),
            h('td', {}, g.funnel.mql),
            h('td', {}, g.funnel.sal),
            h('td', {}, g.funnel.sql),
            h('td', {}, g.funnel.opportunity),
            h('td', {}, g.funnel.won),
            h('td', {}, pct(g.rates.mqlToSal)),
            h('td', {}, pct(g.rates.mqlToSql)),
            h('td', {}, pct(g.rates.sqlToOpportunity)),
            h('td', {}, pct(g.rates.winRate)),
            h('td', {}, amount(g.revenue.wonAmount)),
            h('td', {}, num(g.firstResponse.medianMinutes, 'min')),
            h('td', {}, pct(g.sla.firstTouch.adherence)),
          ),
        ),
      ),
    ),
  );
}
