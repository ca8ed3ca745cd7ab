// rejection-reasons.yaml as a form: a row per reason (code, label, what marketing does next, note required), add,
// remove and reorder. A code already in the stored version is read-only: Leads and contacts carry it, so renaming
// it would strand them; the admin adds a new reason instead.
import { h, say } from './dom.js';
import { addReason, newReasonProblem } from './form-values.js';
import { moveItem, readValue, removeItem, setValue } from './yaml-edit.js';

/** The closed set core/sales/rejection-schema.ts allows; the note under the heading says what each does. */
const LIFECYCLES = [
  ['recycle', 'Recycle'],
  ['hold', 'Hold'],
];
const LOCKED_NOTE = 'Records already use this code: renaming it would break them. Add a new reason instead.';

function choice(id, label, current, choices) {
  return h(
    'select',
    { id, 'aria-label': label },
    ...choices.map(([value, text]) => h('option', { value, selected: value === current }, text)),
  );
}

/** `saved` is the file as stored: its codes are the ones records may carry. */
export function reasonsForm({ edit, saved }) {
  const root = h('div', { className: 'form reasons-form' });
  const locked = new Set(codesIn(saved));

  function textInput(id, label, value, onChange, props = {}) {
    const element = h('input', { id, value: value ?? '', 'aria-label': label, ...props });
    element.addEventListener('change', () => onChange(element.value));
    return element;
  }

  function codeCell(reason, i, n, codes) {
    if (locked.has(reason.code))
      return h(
        'td',
        {},
        h('code', { id: `reason-code-${i}`, title: LOCKED_NOTE }, reason.code),
        h('span', { className: 'meta' }, ' in use'),
      );
    const others = codes.filter((_, k) => k !== i);
    return h(
      'td',
      {},
      textInput(`reason-code-${i}`, `Reason ${n}: code (new, not yet used by records)`, reason.code, (code) => {
        const problem = newReasonProblem({ code, label: 'x', nurtureList: 'x' }, others);
        if (problem) say(`Reason ${n}: ${problem}.`, 'error');
        else edit((text) => setValue(text, ['reasons', i, 'code'], code), `reason-code-${i}`);
      }),
    );
  }

  function row(reason, i, codes) {
    const n = i + 1;
    const id = (part) => `reason-${part}-${i}`;
    const set = (path, value, focus) => edit((text) => setValue(text, ['reasons', i, ...path], value), focus);
    const feedback = reason.feedback ?? {};
    const lifecycle = choice(id('lifecycle'), `Reason ${n}: lifecycle feedback`, feedback.lifecycle, LIFECYCLES);
    lifecycle.addEventListener('change', () => set(['feedback', 'lifecycle'], lifecycle.value, id('lifecycle')));
    const note = h('input', {
      type: 'checkbox',
      id: id('note'),
      checked: reason.requiresNote === true,
      'aria-label': `Reason ${n}: note required`,
    });
    note.addEventListener('change', () => set(['requiresNote'], note.checked ? true : undefined, id('note')));
    const days = (value) => (value.trim() === '' ? undefined : Number(value));
    const button = (part, text, label, change, disabled, focus = id(part)) =>
      h('button', { type: 'button', id: id(part), 'aria-label': label, disabled, onclick: () => edit(change, focus) }, text);
    return h(
      'tr',
      { dataset: { row: i, code: reason.code } },
      codeCell(reason, i, n, codes),
      h(
        'td',
        {},
        textInput(id('label'), `Reason ${n}: label`, reason.label, (v) => set(['label'], v, id('label'))),
      ),
      h(
        'td',
        {},
        textInput(id('list'), `Reason ${n}: nurture list`, feedback.nurtureList, (v) => set(['feedback', 'nurtureList'], v, id('list'))),
      ),
      h('td', {}, lifecycle),
      h(
        'td',
        {},
        textInput(
          id('days'),
          `Reason ${n}: recycle after days`,
          feedback.recycleAfterDays,
          (v) => set(['feedback', 'recycleAfterDays'], days(v), id('days')),
          {
            type: 'number',
            min: 1,
            step: 1,
          },
        ),
      ),
      h('td', {}, note),
      h(
        'td',
        { className: 'row-actions' },
        button('up', '↑', `Move reason ${n} up`, (text) => moveItem(text, ['reasons'], i, -1), i === 0, `reason-up-${i - 1}`),
        button(
          'down',
          '↓',
          `Move reason ${n} down`,
          (text) => moveItem(text, ['reasons'], i, 1),
          i === codes.length - 1,
          `reason-down-${i + 1}`,
        ),
        button('remove', 'Remove', `Remove reason ${n}`, (text) => removeItem(text, ['reasons'], i), codes.length <= 1, 'reason-new-code'),
      ),
    );
  }

  function addForm(codes) {
    const code = h('input', { id: 'reason-new-code', 'aria-label': 'New reason: code (snake_case)', placeholder: 'code' });
    const label = h('input', { id: 'reason-new-label', 'aria-label': 'New reason: label', placeholder: 'label' });
    const list = h('input', { id: 'reason-new-list', 'aria-label': 'New reason: nurture list', placeholder: 'nurture list' });
    const lifecycle = choice('reason-new-lifecycle', 'New reason: lifecycle feedback', 'hold', LIFECYCLES);
    const add = () => {
      const reason = { code: code.value.trim(), label: label.value, lifecycle: lifecycle.value, nurtureList: list.value };
      const problem = newReasonProblem(reason, codes);
      if (problem) {
        say(`New reason: ${problem}.`, 'error');
        return;
      }
      say(`Added the reason ${reason.code}.`);
      edit((text) => addReason(text, reason), 'reason-new-code');
    };
    return h(
      'div',
      { className: 'row add-row' },
      h('strong', {}, 'Add a reason:'),
      code,
      label,
      lifecycle,
      list,
      h('button', { type: 'button', id: 'reason-add', onclick: add }, 'Add reason'),
    );
  }

  function render(text) {
    let reasons;
    let top;
    try {
      reasons = readValue(text, ['reasons']) ?? [];
      top = { version: readValue(text, ['version']), salesReadyList: readValue(text, ['salesReadyList']) };
    } catch (error) {
      root.replaceChildren(h('p', { className: 'error' }, `The form shows again once the YAML parses: ${error.message}`));
      return;
    }
    const codes = reasons.map((r) => String(r.code ?? ''));
    const head = ['Code', 'Label', 'Nurture list', 'Lifecycle', 'Recycle after (days)', 'Note required', 'Order'];
    const setTop = (key) => (value) => edit((t) => setValue(t, [key], value), `reasons-${key}`);
    root.replaceChildren(
      h('h4', {}, 'Rejection reasons: why sales turned an MQL down, and what marketing does next'),
      h(
        'div',
        { className: 'row' },
        h('label', { htmlFor: 'reasons-version' }, 'Version'),
        textInput('reasons-version', undefined, top.version, setTop('version')),
        h('label', { htmlFor: 'reasons-salesReadyList' }, 'Sales-ready list (left on rejection)'),
        textInput('reasons-salesReadyList', undefined, top.salesReadyList, setTop('salesReadyList')),
      ),
      h('p', { className: 'meta' }, `Codes marked "in use" are read-only. ${LOCKED_NOTE} Change the version when you change the reasons.`),
      h('p', { className: 'meta' }, 'Recycle: back to lead, marketing may re-qualify later. Hold: the contact stays out of the funnel.'),
      h(
        'div',
        { className: 'table-scroll' },
        h(
          'table',
          { className: 'list reasons', id: 'reasons-table' },
          h('thead', {}, h('tr', {}, ...head.map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, ...reasons.map((r, i) => row(r, i, codes))),
        ),
      ),
      addForm(codes),
    );
  }

  return { element: root, render };
}

function codesIn(text) {
  try {
    return (readValue(text ?? '', ['reasons']) ?? []).map((r) => String(r?.code ?? ''));
  } catch {
    return [];
  }
}
