import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';

/** What the page's globals look like to these helpers (the tests have no DOM types). */
declare const document: {
  querySelector(selector: string): { shadowRoot: { querySelector(selector: string): unknown } | null } | null;
  documentElement: { scrollWidth: number; clientWidth: number };
};
interface EditorState {
  doc: { toString(): string; lineAt(pos: number): { number: number } };
}
interface EditorViewModule {
  EditorView: { findFromDOM(dom: unknown): { state: EditorState } | null };
}
interface LintModule {
  forEachDiagnostic(state: EditorState, f: (d: { message: string }, from: number) => void): void;
}

/** The editor lives in the .code element's shadow root; Playwright's CSS selectors pierce it. */
const hostSelector = (file: string) => `.code[data-file="${file}"]`;
const editorSelector = (file: string) => `${hostSelector(file)} .cm-editor`;

/** The text in a file's code editor (CodeMirror draws only the visible lines, so ask the editor itself). */
export function editorText(page: Page, file: string): Promise<string> {
  return page.evaluate(async (selector) => {
    const { EditorView } = (await import('/admin/vendor/@codemirror/view/dist/index.js' as string)) as EditorViewModule;
    const dom = document.querySelector(selector)?.shadowRoot?.querySelector('.cm-editor');
    const view = EditorView.findFromDOM(dom);
    if (!view) throw new Error(`no editor in ${selector}`);
    return view.state.doc.toString();
  }, hostSelector(file));
}

/** The lines the editor marks with a problem, and each problem's text. */
export function editorDiagnostics(page: Page, file: string): Promise<Array<{ line: number; message: string }>> {
  return page.evaluate(async (selector) => {
    const { EditorView } = (await import('/admin/vendor/@codemirror/view/dist/index.js' as string)) as EditorViewModule;
    const { forEachDiagnostic } = (await import('/admin/vendor/@codemirror/lint/dist/index.js' as string)) as LintModule;
    const view = EditorView.findFromDOM(document.querySelector(selector)?.shadowRoot?.querySelector('.cm-editor'));
    if (!view) throw new Error(`no editor in ${selector}`);
    const found: Array<{ line: number; message: string }> = [];
    forEachDiagnostic(view.state, (d, from) => found.push({ line: view.state.doc.lineAt(from).number, message: d.message }));
    return found;
  }, hostSelector(file));
}

/** Opens the file's tab and types the whole text over it, as an admin pasting a file would. */
export async function replaceEditorText(page: Page, file: string, text: string): Promise<void> {
  await page.click(`#tab-${cssEscape(file)}`);
  await page.click(`${editorSelector(file)} .cm-content`);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(text);
}

const cssEscape = (id: string) => id.replaceAll('.', '\\.');

/** Screenshots are test artifacts (git-ignored), one per view and width. */
export const SCREENSHOT_DIR = new URL('../../../test-artifacts/screenshots/', import.meta.url);

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, SCREENSHOT_DIR).pathname, fullPage: true });
}

/** True when the page is no wider than the window (tables scroll inside their own box). */
export function fitsTheWindow(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
}

/**
 * The current view at 1,280 px and at 400 px, each kept as a screenshot; whether the narrow one fitted (no sideways
 * scroll) comes back for the test to assert.
 */
export async function photographBothWidths(page: Page, name: string): Promise<{ narrowFits: boolean }> {
  await screenshot(page, `${name}-wide`);
  await page.setViewportSize({ width: 400, height: 900 });
  const narrowFits = await fitsTheWindow(page);
  await screenshot(page, `${name}-narrow`);
  await page.setViewportSize({ width: 1280, height: 900 });
  return { narrowFits };
}

/** Script errors and console errors (a policy violation shows there); failed loads are checked by their answers. */
export function watchPageErrors(page: Page): { pageErrors: Error[]; consoleErrors: string[] } {
  const watched = { pageErrors: [] as Error[], consoleErrors: [] as string[] };
  page.on('pageerror', (error) => watched.pageErrors.push(error));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) watched.consoleErrors.push(message.text());
  });
  return watched;
}
