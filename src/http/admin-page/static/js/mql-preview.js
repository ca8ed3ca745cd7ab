// The live MQL preview: scores sample contacts (pasted, or read from HubSpot by id) under the files being edited,
// again after every edit (POST /api/config/preview/mql; nothing is written).
import { api, detailLines } from './api.js';
import { h } from './dom.js';

const PAUSE_MS = 400;

/** Pasted JSON: one contact's properties, a contact ({id, properties}), or a list of either. */
export function contactsFrom(text) {
  if (!text.trim()) return [];
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('the sample contacts are not valid JSON');
  }
  return (Array.isArray(parsed) ? parsed : [parsed]).map((item, i) => {
    const properties = item && typeof item.properties === 'object' ? item.properties : item;
    const values = {};
    for (const [key, value] of Object.entries(properties ?? {})) if (value !== null && value !== undefined) values[key] = String(value);
    return { id: item?.id !== undefined ? String(item.id) : `sample ${i + 1}`, properties: values };
  });
}

function verdict(r) {
  if (r.excluded) return `excluded: ${r.excluded}`;
  if (r.fastTrack) return `MQL (fast track: ${r.fastTrack})`;
  return r.qualified ? 'MQL' : 'not an MQL';
}

function resultCard(r) {
  return h(
    'div',
    { className: 'preview-result', dataset: { contact: r.id, qualified: String(r.qualified) } },
    h('h5', {}, `${r.id}: `, h('span', { className: 'verdict' }, verdict(r))),
    h('p', { className: 'score' }, `score ${r.score} · segment ${r.segment} · threshold ${r.threshold}`),
    h(
      'ul',
      { className: 'breakdown' },
      ...r.breakdown.map((b) =>
        h(
          'li',
          { dataset: { rule: b.rule } },
          `${b.label ?? b.rule}: ${b.points > 0 ? '+' : ''}${b.points}`,
          b.detail ? ` (${b.detail})` : '',
        ),
      ),
    ),
  );
}

/** `currentFiles()` gives the files as they stand in the editors. */
export function mqlPreview({ currentFiles }) {
  const output = h('div', { id: 'mql-preview-result', 'aria-live': 'polite' });
  const samples = h('textarea', {
    id: 'mql-preview-samples',
    rows: 4,
    spellcheck: false,
    placeholder: '{"jobtitle": "Director of IT", "pricing_page_views": "3"}',
  });
  const ids = h('input', { id: 'mql-preview-ids', inputMode: 'numeric', placeholder: 'e.g. 101, 102' });
  let timer;

  async function run() {
    let contacts;
    try {
      contacts = contactsFrom(samples.value);
    } catch (error) {
      output.replaceChildren(h('p', { className: 'error' }, error.message));
      return;
    }
    const hubspotIds = ids.value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (contacts.length === 0 && hubspotIds.length === 0) {
      output.replaceChildren(h('p', { className: 'meta' }, 'Paste a contact or give HubSpot ids to see how the definition scores them.'));
      return;
    }
    try {
      const answer = await api('POST', '/api/config/preview/mql', { files: currentFiles(), contacts, hubspotIds });
      output.replaceChildren(
        ...answer.problems.map((p) =>
          h('p', { className: 'error' }, `${p.file}${p.line ? ` line ${p.line}` : ''} · ${p.path}: ${p.message}`),
        ),
        ...answer.results.map(resultCard),
      );
    } catch (error) {
      output.replaceChildren(h('p', { className: 'error' }, error.message, ...detailLines(error).map((l) => h('div', {}, l))));
    }
  }

  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(run, PAUSE_MS);
  };
  samples.addEventListener('input', soon);
  ids.addEventListener('input', soon);
  const element = h(
    'section',
    { className: 'mql-preview' },
    h('h4', {}, 'Live preview'),
    h('p', { className: 'meta' }, 'Scores these contacts under the definition as you edit it. Nothing is written.'),
    h('label', { htmlFor: 'mql-preview-samples' }, 'Sample contacts (JSON: properties, a contact, or a list)'),
    samples,
    h('label', { htmlFor: 'mql-preview-ids' }, 'or HubSpot contact ids, comma-separated'),
    ids,
    h('button', { type: 'button', id: 'mql-preview-run', onclick: run }, 'Score now'),
    output,
  );
  return { element, changed: soon };
}
