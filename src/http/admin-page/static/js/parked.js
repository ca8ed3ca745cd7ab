// Parked errors: work retries could not fix, with its context and replays; replay one, or all that match a filter.
import { api } from './api.js';
import { $, formatTime, h, say } from './dom.js';

const FILTERS = { kind: '#parked-kind', provider: '#parked-provider', code: '#parked-code', waitingFor: '#parked-waiting' };

/** The filter as the API takes it: only the fields given. */
function selection() {
  const chosen = {};
  for (const [name, selector] of Object.entries(FILTERS)) {
    const value = $(selector).value.trim();
    if (value) chosen[name] = value;
  }
  return chosen;
}

export function setUpParked() {
  $('#parked-open').addEventListener('change', () => showParked());
  $('#parked-filter').addEventListener('submit', async (event) => {
    event.preventDefault();
    await showParked();
  });
  $('#parked-retry-all').addEventListener('click', async () => {
    const chosen = selection();
    const what = Object.keys(chosen).length
      ? Object.entries(chosen)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')
      : 'every open item';
    if (!confirm(`Replay all open parked items matching: ${what}?`)) return;
    try {
      const result = await api('POST', '/api/parked/retry-all', chosen);
      say(`Replayed ${result.retried.length}; ${result.failed.length} not replayed`, result.failed.length ? 'error' : 'ok');
      showOutcome(result);
    } catch (error) {
      say(error.message, 'error');
    }
    await showParked();
  });
}

function showOutcome(result) {
  $('#parked-outcome').replaceChildren(
    ...result.retried.map((r) => h('li', { dataset: { id: r.id } }, `${r.id} ${r.kind} ${r.recordKey}: ${r.outcome}`)),
    ...result.failed.map((f) =>
      h('li', { className: 'failed', dataset: { id: f.id } }, `${f.id} ${f.kind} ${f.recordKey}: ${f.code} — ${f.message}`),
    ),
  );
}

export async function showParked() {
  const query = new URLSearchParams({ open: String($('#parked-open').checked), ...selection() });
  const { items } = await api('GET', `/api/parked?${query}`);
  $('#parked-list').replaceChildren(
    ...items.map((item) =>
      h(
        'tr',
        { dataset: { id: item.id } },
        h('td', {}, item.id),
        h('td', {}, item.kind),
        h('td', {}, item.recordKey),
        h('td', {}, item.provider ?? ''),
        h('td', {}, item.message),
        h('td', {}, formatTime(item.parkedAt)),
        h('td', {}, String(item.attempts), item.needsPerson ? h('span', { className: 'badge person' }, ' needs a person') : null),
        h('td', {}, item.waitingFor ?? ''),
        h('td', {}, details(item)),
        h(
          'td',
          {},
          item.resolvedAt
            ? `resolved ${formatTime(item.resolvedAt)}`
            : h('button', { type: 'button', onclick: () => retry(item.id) }, 'Replay'),
        ),
      ),
    ),
  );
}

function details(item) {
  const replays = item.replays.length
    ? h(
        'ul',
        { className: 'replays' },
        ...item.replays.map((r) => h('li', {}, `${formatTime(r.at)} by ${r.actor}: ${r.outcome}${r.message ? ` — ${r.message}` : ''}`)),
      )
    : h('p', { className: 'meta' }, 'not replayed yet');
  return h(
    'details',
    {},
    h('summary', {}, `${item.replays.length} replay${item.replays.length === 1 ? '' : 's'}`),
    replays,
    h('pre', {}, JSON.stringify(item.context, null, 2)),
  );
}

async function retry(id) {
  try {
    const result = await api('POST', `/api/parked/${encodeURIComponent(id)}/retry`, {});
    say(`Parked item ${id} replayed: ${result.outcome}`);
  } catch (error) {
    say(error.message, 'error');
  }
  await showParked();
}
