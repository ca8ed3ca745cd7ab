// Parked errors: work retries could not fix, with a retry per item and for all.
import { api } from './api.js';
import { $, formatTime, h, say } from './dom.js';

export function setUpParked() {
  $('#parked-open').addEventListener('change', () => showParked());
  $('#parked-retry-all').addEventListener('click', async () => {
    try {
      const result = await api('POST', '/api/parked/retry-all', {});
      say(`Retried ${result.retried.length}; ${result.failed.length} could not be retried`, result.failed.length ? 'error' : 'ok');
    } catch (error) {
      say(error.message, 'error');
    }
    await showParked();
  });
}

export async function showParked() {
  const open = $('#parked-open').checked;
  const { items } = await api('GET', `/api/parked?open=${open}`);
  $('#parked-list').replaceChildren(...items.map((item) => h('tr', { dataset: { id: item.id } },
    h('td', {}, item.id), h('td', {}, item.kind), h('td', {}, item.recordKey), h('td', {}, item.provider ?? ''),
    h('td', {}, item.message), h('td', {}, formatTime(item.parkedAt)), h('td', {}, item.attempts),
    h('td', {}, item.resolvedAt ? 'resolved' : h('button', { type: 'button', onclick: () => retry(item.id) }, 'Retry')))));
}

async function retry(id) {
  try {
    await api('POST', `/api/parked/${encodeURIComponent(id)}/retry`, {});
    say(`Parked item ${id} queued again`);
  } catch (error) {
    say(error.message, 'error');
  }
  await showParked();
}
