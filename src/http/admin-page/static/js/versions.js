// Configuration versions: list, view/edit the files, save a draft, validate, dry run, backtest, publish, roll back.
import { api, detailLines } from './api.js';
import { backtestPanel } from './backtest.js';
import { $, formatTime, h, say } from './dom.js';
import { fileEditors } from './file-editors.js';

const state = { versions: [], selected: null, files: null, report: null, file: null };
const enc = encodeURIComponent;
const LONG_DIFF_LINES = 120;

export async function showVersions(selectId) {
  const [{ versions }, active] = await Promise.all([api('GET', '/api/config/versions'), api('GET', '/api/config/active')]);
  state.versions = versions;
  $('#active-version').textContent = active.id;
  renderList();
  await select(selectId ?? state.selected?.id ?? active.id);
}

function renderList() {
  const rows = state.versions.map((v) =>
    h(
      'tr',
      { dataset: { id: v.id, status: v.status }, className: v.id === state.selected?.id ? 'selected' : '', onclick: () => select(v.id) },
      h('td', {}, h('button', { type: 'button', className: 'link' }, v.id)),
      h('td', {}, h('span', { className: `badge ${v.status}` }, v.status)),
      h('td', {}, v.author),
      h('td', {}, formatTime(v.createdAt)),
      h('td', {}, v.comment),
    ),
  );
  $('#version-list').replaceChildren(...rows);
}

async function select(id) {
  state.selected = await api('GET', `/api/config/versions/${enc(id)}`);
  state.report = null;
  renderList();
  renderDetail(state.selected);
}

function renderDetail(v) {
  const files = fileEditors(v, { onChange: () => showPublishState(), onSelect: (name) => (state.file = name) });
  state.files = files;
  const actions = h(
    'div',
    { className: 'row' },
    h('button', { type: 'button', id: 'validate', onclick: () => validate(v.id, false) }, 'Validate'),
    h('button', { type: 'button', id: 'validate-live', onclick: () => validate(v.id, true) }, 'Validate against HubSpot and Salesforce'),
    v.status === 'draft' &&
      h(
        'button',
        { type: 'button', id: 'publish', className: 'primary', 'aria-describedby': 'publish-blocked', onclick: () => publish(v.id) },
        'Publish',
      ),
    v.status === 'archived' && h('button', { type: 'button', id: 'rollback', onclick: () => rollback(v.id) }, 'Roll back to this version'),
  );
  $('#version-detail').replaceChildren(
    h('h2', {}, `Version ${v.id} `, h('span', { className: `badge ${v.status}` }, v.status)),
    h(
      'p',
      { className: 'meta' },
      `by ${v.author} · created ${formatTime(v.createdAt)}`,
      v.publishedAt ? ` · published ${formatTime(v.publishedAt)}` : '',
      v.basedOn ? ` · based on ${v.basedOn}` : '',
    ),
    v.comment && h('p', { className: 'comment' }, v.comment),
    actions,
    h('div', { id: 'publish-blocked', className: 'error', role: 'status' }),
    h('div', { id: 'validation' }),
    h('h3', {}, 'Files'),
    files.element,
    h(
      'div',
      { className: 'row save' },
      h('label', { htmlFor: 'comment' }, 'Comment for the new version'),
      h('input', { id: 'comment', placeholder: 'What changed and why', maxLength: 500 }),
      h('button', { type: 'button', id: 'save-draft', onclick: () => saveDraft(v.id) }, 'Save as new draft'),
    ),
    dryRunForm(v.id),
    h('h3', {}, 'Changes'),
    diffView(v.diff),
    // replaceChildren would print a false as text: only a draft gets the backtest panel.
    ...(v.status === 'draft' ? [backtestPanel(v.id)] : []),
  );
  if (state.file) files.selectFile(state.file);
  if (v.validation) showProblems(v.validation);
  else if (v.status === 'draft') void validate(v.id, false);
  showPublishState();
}

/** Publish stays off, with the reasons, while the draft is invalid or the files hold unsaved edits. */
function showPublishState() {
  const button = $('#publish');
  if (!button) return;
  const reasons = [];
  const changed = state.files?.changedFiles() ?? [];
  if (changed.length > 0) reasons.push(`Unsaved edits in ${changed.join(', ')}: save them as a new draft first.`);
  if (state.report && !state.report.ok)
    reasons.push(...state.report.problems.map((p) => `${p.file}${p.line ? ` line ${p.line}` : ''} · ${p.path}: ${p.message}`));
  if (!state.report) reasons.push('Checking the draft…');
  button.disabled = reasons.length > 0;
  $('#publish-blocked').replaceChildren(
    ...(reasons.length > 0
      ? [h('p', {}, 'Publish is off:'), h('ul', { id: 'publish-reasons' }, ...reasons.map((r) => h('li', {}, r)))]
      : []),
  );
}

async function saveDraft(basedOn) {
  try {
    const draft = await api('POST', '/api/config/versions', { files: state.files.currentFiles(), comment: $('#comment').value, basedOn });
    say(`Draft ${draft.id} saved`);
    await showVersions(draft.id);
  } catch (error) {
    say(`${error.message} ${detailLines(error).join('; ')}`, 'error');
  }
}

async function validate(id, live) {
  try {
    const report = await api('POST', `/api/config/versions/${enc(id)}/validate`, { live });
    if (state.selected?.id !== id) return;
    showProblems(report);
  } catch (error) {
    say(error.message, 'error');
  }
}

/** Problems go under the file they belong to, with line, path and reason; a summary above the files. */
function showProblems(report) {
  state.report = report;
  for (const list of document.querySelectorAll('.file-problems')) list.replaceChildren();
  state.files?.showProblems(report.problems);
  showPublishState();
  const summary = report.ok
    ? h('p', { className: 'valid' }, 'Valid: no problems found.')
    : h(
        'p',
        { className: 'error' },
        `${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}: nothing invalid can be published.`,
      );
  $('#validation').replaceChildren(summary, h('ul', { id: 'problems' }, ...report.problems.map(problemItem)));
  for (const problem of report.problems) {
    document.querySelector(`.file-problems[data-file="${CSS.escape(problem.file)}"]`)?.append(problemItem(problem));
  }
}

function problemItem(p) {
  return h(
    'li',
    { className: 'problem' },
    h('strong', {}, p.file),
    p.line ? ` line ${p.line}` : '',
    p.path ? ` · ${p.path}` : '',
    `: ${p.message}`,
    p.source && p.source !== 'schema' ? h('span', { className: 'badge' }, p.source) : null,
  );
}

async function publish(id) {
  if (!confirm(`Publish ${id}? It becomes the active configuration for every replica.`)) return;
  try {
    const active = await api('POST', `/api/config/versions/${enc(id)}/publish`, {});
    say(`Version ${active.id} is now active`);
    await showVersions(active.id);
  } catch (error) {
    if (Array.isArray(error.details)) showProblems({ ok: false, problems: error.details });
    say(error.message, 'error');
  }
}

async function rollback(id) {
  if (!confirm(`Publish a new version with the files of ${id}?`)) return;
  try {
    const active = await api('POST', `/api/config/versions/${enc(id)}/rollback`, {});
    say(`Rolled back: ${active.id} is now active`);
    await showVersions(active.id);
  } catch (error) {
    say(error.message, 'error');
  }
}

function dryRunForm(id) {
  return h(
    'div',
    { className: 'dry-run' },
    h('h3', {}, 'Dry run'),
    h('p', { className: 'meta' }, 'Scores a contact under this version and the active one. Nothing is written.'),
    h('label', { htmlFor: 'dry-run-contact' }, 'HubSpot contact id'),
    h('input', { id: 'dry-run-contact', inputMode: 'numeric' }),
    h('label', { htmlFor: 'dry-run-sample' }, 'or a pasted sample record (JSON: properties, or a contact with "properties")'),
    h('textarea', { id: 'dry-run-sample', rows: 5, spellcheck: false }),
    h('button', { type: 'button', id: 'dry-run', onclick: () => dryRun(id) }, 'Dry run'),
    h('div', { id: 'dry-run-result' }),
  );
}

async function dryRun(id) {
  const contactId = $('#dry-run-contact').value.trim();
  try {
    const body = contactId ? { contactId } : { sample: sampleFrom($('#dry-run-sample').value) };
    const result = await api('POST', `/api/config/versions/${enc(id)}/dry-run`, body);
    $('#dry-run-result').replaceChildren(
      h('div', { className: 'sides' }, side('Active', result.active), side('This version', result.draft)),
    );
  } catch (error) {
    $('#dry-run-result').replaceChildren(h('p', { className: 'error' }, error.message, ...detailLines(error).map((l) => h('div', {}, l))));
  }
}

/** HubSpot shapes its contacts as {id, properties}; either form is accepted, values become text. */
function sampleFrom(text) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('the sample is not valid JSON');
  }
  const properties = parsed && typeof parsed.properties === 'object' ? parsed.properties : parsed;
  const sample = {};
  for (const [key, value] of Object.entries(properties ?? {})) if (value !== null && value !== undefined) sample[key] = String(value);
  return sample;
}

function side(title, s) {
  return h(
    'div',
    { className: 'side', dataset: { side: title === 'Active' ? 'active' : 'draft' } },
    h('h4', {}, `${title}: ${s.version}`),
    h('p', { className: 'score' }, `score ${s.score} · ${s.qualified ? 'qualified (MQL)' : 'not qualified'}`),
    h('pre', { className: 'breakdown' }, s.breakdown),
    s.reasons.length > 0 && h('ul', {}, ...s.reasons.map((r) => h('li', {}, r))),
    h('h5', {}, 'Salesforce payload'),
    h('pre', { className: 'payload' }, s.salesforcePayload ? JSON.stringify(s.salesforcePayload, null, 2) : 'no handoff'),
  );
}

function diffView(diff) {
  if (!diff) return h('p', { className: 'meta' }, 'No changes recorded.');
  const lines = diff.split('\n').map((line) => {
    const kind =
      line.startsWith('+++') || line.startsWith('---')
        ? 'head'
        : line.startsWith('@@')
          ? 'hunk'
          : line.startsWith('+')
            ? 'add'
            : line.startsWith('-')
              ? 'del'
              : '';
    return h('span', { className: kind }, `${line}\n`);
  });
  // A long diff (the first version's is every file) folds away instead of making the page endless.
  return h(
    'details',
    { open: lines.length <= LONG_DIFF_LINES },
    h('summary', {}, `${lines.length} lines`),
    h('pre', { className: 'diff' }, ...lines),
  );
}
