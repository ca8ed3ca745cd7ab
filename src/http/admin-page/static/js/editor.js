// The code editor for one YAML file: CodeMirror 6 (served by the service from node_modules) with YAML
// highlighting, line numbers, and the problems validate reports marked at their lines.
import { yaml } from '@codemirror/lang-yaml';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { basicSetup, EditorView } from 'codemirror';

/** A long file scrolls inside the editor instead of stretching the page. */
const SIZE = EditorView.theme({
  '&': { maxHeight: '32rem', fontSize: '12.5px', backgroundColor: '#fff' },
  '.cm-scroller': { overflow: 'auto', fontFamily: 'ui-monospace, monospace' },
});

/** The smallest change turning `from` into `to`: the cursor and undo history keep their place. */
function minimalChange(from, to) {
  let start = 0;
  while (start < from.length && start < to.length && from[start] === to[start]) start++;
  let end = 0;
  while (end < from.length - start && end < to.length - start && from[from.length - 1 - end] === to[to.length - 1 - end]) end++;
  return { from: start, to: from.length - end, insert: to.slice(start, to.length - end) };
}

/**
 * Mounts an editor in `parent`. `onChange(text)` hears the admin's typing only, not `setText` (a form's edit), so
 * the form that caused a change does not redraw itself under the admin's hands.
 */
export function codeEditor(parent, { text, label, onChange }) {
  let quiet = false;
  // In a shadow root CodeMirror's styles are constructed style sheets, which the page's style-src 'self' allows;
  // in the document itself they would be <style> elements, which it refuses.
  const root = parent.attachShadow({ mode: 'open' });
  const view = new EditorView({
    root,
    parent: root,
    doc: text,
    extensions: [
      basicSetup,
      SIZE,
      yaml(),
      lintGutter(),
      EditorView.contentAttributes.of({ 'aria-label': label }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged && !quiet) onChange(update.state.doc.toString());
      }),
    ],
  });
  return {
    view,
    get text() {
      return view.state.doc.toString();
    },
    setText(next) {
      const current = view.state.doc.toString();
      if (next === current) return;
      quiet = true;
      try {
        view.dispatch({ changes: minimalChange(current, next) });
      } finally {
        quiet = false;
      }
    },
    /** Validate's problems for this file, each at its line (line 1 when it names none). */
    showProblems(problems) {
      const doc = view.state.doc;
      const diagnostics = problems.map((p) => {
        const line = doc.line(Math.min(Math.max(p.line ?? 1, 1), doc.lines));
        return { from: line.from, to: line.to, severity: 'error', message: p.path ? `${p.path}: ${p.message}` : p.message };
      });
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
  };
}
