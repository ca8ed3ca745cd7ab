// A version's files, one tab each: the form where a form is clearer (field mapping, MQL definition, rejection
// reasons, status map) above the code
// editor every file gets. Both edit the same text: a form edit goes into the editor, typing redraws the form.
import { h, say } from './dom.js';
import { codeEditor } from './editor.js';
import { mappingTable } from './mapping-table.js';
import { mqlForm } from './mql-form.js';
import { mqlPreview } from './mql-preview.js';
import { reasonsForm } from './reasons-form.js';
import { statusForm } from './status-form.js';

const FORMS = {
  'field-mapping.yaml': mappingTable,
  'mql-definition.yaml': mqlForm,
  'rejection-reasons.yaml': reasonsForm,
  'status-map.yaml': statusForm,
};
const formRank = (name) => (name in FORMS ? Object.keys(FORMS).indexOf(name) : Number.POSITIVE_INFINITY);
const REDRAW_MS = 300;
const enc = encodeURIComponent;

/** `onChange()` hears every edit, from a form or the keyboard; `onSelect(name)` which file the admin opened. */
export function fileEditors(version, { onChange, onSelect = () => {} }) {
  const editors = new Map();
  const saved = { ...version.files };
  const currentFiles = () => Object.fromEntries([...editors].map(([name, editor]) => [name, editor.text]));
  const preview = mqlPreview({ currentFiles });
  // The files with a form first, in FORMS' order: they are what admins change most.
  const names = Object.keys(version.files).sort((a, b) => formRank(a) - formRank(b) || 0);
  const tabs = h('div', { role: 'tablist', className: 'tabs', 'aria-label': 'Files' });
  const panels = names.map((name, i) => filePanel(name, i));

  function filePanel(name, i) {
    const panel = h('div', {
      role: 'tabpanel',
      id: `panel-${name}`,
      className: 'file',
      dataset: { file: name },
      'aria-labelledby': `tab-${name}`,
      hidden: i !== 0,
    });
    const codeHost = h('div', { className: 'code', dataset: { file: name } });
    const makeForm = FORMS[name];
    let form;
    const changed = () => {
      onChange();
      if (name === 'mql-definition.yaml') preview.changed();
    };
    let timer;
    const editor = codeEditor(codeHost, {
      text: version.files[name],
      label: `${name} (YAML)`,
      onChange: (text) => {
        changed();
        clearTimeout(timer);
        timer = setTimeout(() => form?.render(text), REDRAW_MS);
      },
    });
    editors.set(name, editor);
    if (makeForm) {
      form = makeForm({
        saved: version.files[name],
        edit: (change, focusId) => {
          let next;
          try {
            next = change(editor.text);
          } catch (error) {
            say(error.message, 'error');
            return;
          }
          editor.setText(next);
          form.render(next);
          changed();
          if (focusId) document.getElementById(focusId)?.focus();
        },
      });
      form.render(version.files[name]);
    }
    panel.append(
      name === 'mql-definition.yaml' ? preview.element : '',
      form ? form.element : '',
      h(
        'div',
        { className: 'file-head' },
        h('span', { id: `code-label-${name}` }, `${name} as YAML`),
        h('a', { href: `/api/config/versions/${enc(version.id)}/export?file=${enc(name)}`, download: name }, 'export'),
      ),
      codeHost,
      h('ul', { className: 'file-problems', dataset: { file: name } }),
    );
    const tab = h(
      'button',
      {
        type: 'button',
        role: 'tab',
        id: `tab-${name}`,
        'aria-controls': `panel-${name}`,
        'aria-selected': String(i === 0),
        tabIndex: i === 0 ? 0 : -1,
        onclick: () => select(i),
      },
      name,
    );
    tab.addEventListener('keydown', (event) => {
      const by = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (by) select((i + by + names.length) % names.length, true);
    });
    tabs.append(tab);
    return panel;
  }

  function select(index, focus = false) {
    panels.forEach((panel, i) => {
      panel.hidden = i !== index;
      const tab = tabs.children[i];
      tab.setAttribute('aria-selected', String(i === index));
      tab.tabIndex = i === index ? 0 : -1;
      if (i === index && focus) tab.focus();
    });
    onSelect(names[index]);
    editors.get(names[index]).view.requestMeasure();
  }

  return {
    element: h('div', { className: 'files' }, tabs, ...panels),
    currentFiles,
    /** Files that differ from the version as stored. */
    changedFiles: () => names.filter((name) => editors.get(name).text !== saved[name]),
    selectFile: (name) => select(Math.max(0, names.indexOf(name))),
    showProblems(problems) {
      for (const [name, editor] of editors) editor.showProblems(problems.filter((p) => p.file === name));
    },
  };
}
