// Record look-up: a contact or Lead, its link and every step with its reason.
import { api } from './api.js';
import { $, formatTime, h } from './dom.js';

export function setUpRecords() {
  $('#record-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = $('#record-key').value.trim();
    const out = $('#record-result');
    out.hidden = false;
    try {
      out.replaceChildren(...recordView(await api('GET', `/api/records/${encodeURIComponent(key)}`)));
    } catch (error) {
      out.replaceChildren(h('p', { className: 'error' }, error.message));
    }
  });
}

function recordView(r) {
  const link = r.link
    ? `${r.link.salesforceObject} ${r.link.salesforceId} (linked ${formatTime(r.link.createdAt)})`
    : 'not linked to Salesforce';
  return [
    h('h2', {}, `Contact ${r.hubspotContactId}`),
    h('p', {}, link),
    h(
      'table',
      { className: 'list' },
      h(
        'thead',
        {},
        h('tr', {}, ...['When', 'Action', 'Stage', 'Reason', 'Score', 'Definition', 'Salesforce id'].map((t) => h('th', {}, t))),
      ),
      h(
        'tbody',
        {},
        ...r.history.map((e) =>
          h(
            'tr',
            {},
            h('td', {}, formatTime(e.at)),
            h('td', {}, e.action),
            h('td', {}, e.stage ?? ''),
            h('td', {}, e.reason ?? ''),
            h('td', {}, e.score ?? ''),
            h('td', {}, e.definitionVersion ?? ''),
            h('td', {}, e.salesforceId ?? ''),
          ),
        ),
      ),
    ),
  ];
}
