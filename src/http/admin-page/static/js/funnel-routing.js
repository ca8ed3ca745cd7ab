// The Funnel page's routing section: KPIs by owner and by pool for the same window, a table each and a bar per
// owner of the leads assigned, with CSV links.
import { api } from './api.js';
import { h } from './dom.js';
import { barChart } from './svg-chart.js';

const pct = (value) => (value === null ? '—' : `${(value * 100).toFixed(1)}%`);
const minutes = (value) => (value === null ? '—' : `${value.toFixed(1)} min`);
const NO_KEY = { owner: '(not recorded)', pool: '(no pool)' };

/** Both cuts for the window; a service without routing (404) shows a note instead. */
export async function routingSection(from, to) {
  try {
    const [owners, pools] = await Promise.all(
      ['owner', 'pool'].map((by) => api('GET', `/api/kpis/routing?${new URLSearchParams({ from, to, by })}`)),
    );
    return [h('h3', {}, 'Routing'), ...cut(owners, 'By owner'), ...cut(pools, 'By pool')];
  } catch (error) {
    if (error.status === 404) return [h('p', { className: 'meta' }, 'Routing KPIs are not available on this service.')];
    throw error;
  }
}

function nameOf(report, g) {
  if (g.key === null) return NO_KEY[report.by];
  return g.label ? `${g.label} (${g.key})` : g.key;
}

function cut(report, title) {
  const csv = `/api/kpis/routing?${new URLSearchParams({ from: report.from.slice(0, 10), to: report.to.slice(0, 10), by: report.by, format: 'csv' })}`;
  if (report.groups.length === 0) return [h('h4', {}, title), h('p', { className: 'meta' }, 'No routed leads in this window.')];
  const head = ['Assigned', 'Initial', 'Re-routed', 'Re-routed away', 'SQL', 'MQL→SQL', 'Response p50', 'Response p90', 'First-touch SLA'];
  return [
    h('h4', {}, title),
    report.by === 'owner'
      ? barChart(
          report.groups.map((g) => ({ label: g.label ?? g.key ?? NO_KEY.owner, value: g.assigned.total, note: `${pct(g.mqlToSql)} SQL` })),
          { title: 'Leads assigned per owner', kind: 'owners' },
        )
      : null,
    h(
      'table',
      { className: 'list', id: `kpi-routing-${report.by}` },
      h('caption', { className: 'meta' }, `Routing KPIs ${title.toLowerCase()}`),
      h(
        'thead',
        {},
        h('tr', {}, h('th', { scope: 'col' }, report.by === 'owner' ? 'Owner' : 'Pool'), ...head.map((t) => h('th', { scope: 'col' }, t))),
      ),
      h(
        'tbody',
        {},
        ...report.groups.map((g) =>
          h(
            'tr',
            { dataset: { key: g.key ?? '' } },
            h('th', { scope: 'row' }, nameOf(report, g)),
            h('td', {}, g.assigned.total),
            h('td', {}, g.assigned.initial),
            h('td', {}, g.assigned.rerouted),
            h('td', {}, g.reroutedAway),
            h('td', {}, g.sql),
            h('td', {}, pct(g.mqlToSql)),
            h('td', {}, minutes(g.firstResponse.medianMinutes)),
            h('td', {}, minutes(g.firstResponse.p90Minutes)),
            h('td', {}, `${pct(g.firstTouchSla.adherence)} (${g.firstTouchSla.met}/${g.firstTouchSla.decided})`),
          ),
        ),
      ),
    ),
    h('a', { href: csv, download: true }, `Download CSV (${title.toLowerCase()})`),
  ];
}
