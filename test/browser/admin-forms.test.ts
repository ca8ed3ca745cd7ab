import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import type { RunningService } from '../e2e/support/service-process.ts';
import { createWorld, type World } from '../e2e/support/world.ts';
import { launchChromium } from '../support/chromium.ts';
import { editorText, photographBothWidths, watchPageErrors } from './support/editor.ts';

/**
 * Issue 20's forms for the rejection reasons and the status map, in a real headless Chromium against the real
 * service process: a label changed and a reason added in the form reach the code editor with the file's comments
 * kept, the draft saves with a comment and validates. Screenshots at 1,280 px and 400 px (test-artifacts/screenshots/).
 */
declare const document: { querySelector(selector: string): { textContent: string | null } | null };

const TOKEN = 'admin-forms-test-token-long-enough-to-start';
const ADMIN = 'Rosa Revops';
const REASONS = 'rejection-reasons.yaml';
const STATUS = 'status-map.yaml';
const tab = (file: string) => `#tab-${file.replace('.', '\\.')}`;
const comments = (text: string) => text.split('\n').filter((line) => line.trim().startsWith('#'));

let world: World;
let service: RunningService;
let browser: Browser | undefined;
let page: Page;
let pageErrors: Error[] = [];
let consoleErrors: string[] = [];

beforeAll(async () => {
  world = await createWorld();
  service = await world.start({ ADMIN_TOKEN: TOKEN });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  ({ pageErrors, consoleErrors } = watchPageErrors(page));
});

afterAll(async () => {
  await browser?.close();
  await service?.kill();
  await world?.close();
});

const waitForText = (selector: string, text: string) =>
  page.waitForFunction(([s, t]) => (document.querySelector(s)?.textContent ?? '').includes(t), [selector, text] as const);

/** Both widths of the current view; the narrow one must not scroll sideways. */
async function photograph(name: string) {
  expect((await photographBothWidths(page, name)).narrowFits).toBe(true);
}

describe('the admin page edits rejection reasons and the status map in forms', () => {
  it('changes a label and adds a reason, keeps the comments, saves a draft that validates', async () => {
    await page.goto(`${service.url}/admin/`);
    await page.fill('#admin-name', ADMIN);
    await page.fill('#token', TOKEN);
    await page.click('#login-form button[type=submit]');
    await waitForText('#signed-in-as', `Signed in as ${ADMIN}`);

    await page.click(tab(REASONS));
    await page.waitForSelector('#reasons-table tbody tr[data-code=bad_fit]');
    const shipped = await editorText(page, REASONS);
    // A stored code is shown, not offered for editing: records carry it.
    expect(await page.locator('#reasons-table input[id^=reason-code-]').count()).toBe(0);
    expect(await page.getAttribute('#reason-code-0', 'title')).toContain('renaming it would break them');

    await page.fill('#reason-label-1', 'No budget this year');
    await page.press('#reason-label-1', 'Tab');
    const rows = await page.locator('#reasons-table tbody tr').count();
    // A code that exists already is refused before it reaches the file.
    await page.fill('#reason-new-code', 'no_budget');
    await page.fill('#reason-new-label', 'Wrong region');
    await page.fill('#reason-new-list', 'Nurture – Wrong region');
    await page.click('#reason-add');
    await waitForText('#message', 'already exists');
    expect(await page.locator('#reasons-table tbody tr').count()).toBe(rows);
    await page.fill('#reason-new-code', 'wrong_region');
    await page.selectOption('#reason-new-lifecycle', 'recycle');
    await page.click('#reason-add');
    await page.waitForSelector(`#reasons-table tbody tr[data-row="${rows}"][data-code=wrong_region]`);
    // The new reason's code stays editable until it is stored.
    expect(await page.locator(`input#reason-code-${rows}`).count()).toBe(1);

    const edited = await editorText(page, REASONS);
    expect(edited).toContain('  - code: no_budget\n    label: No budget this year\n');
    expect(edited).toContain(
      '  - code: wrong_region\n    label: Wrong region\n    feedback: { lifecycle: recycle, nurtureList: Nurture – Wrong region }\n',
    );
    expect(comments(edited)).toEqual(comments(shipped));
    expect(edited.replace('No budget this year', 'No budget').replace(/ {2}- code: wrong_region\n(?: {4}.*\n)+$/, '')).toBe(shipped);
    await photograph('6-rejection-reasons');

    // The status map: turning SAL off enables the stage it resolves to; the YAML follows.
    await page.click(tab(STATUS));
    await page.waitForSelector('#status-table tbody tr[data-stage=sal]');
    expect(await page.isDisabled('#status-salDisabledResolvesTo')).toBe(true);
    await page.uncheck('#status-useSal');
    await page.waitForFunction(
      () => (document.querySelector('#status-salDisabledResolvesTo') as unknown as { disabled: boolean }).disabled === false,
    );
    expect(await editorText(page, STATUS)).toContain('\nuseSal: false\n');
    await page.check('#status-useSal');
    await page.waitForFunction(
      () => (document.querySelector('#status-salDisabledResolvesTo') as unknown as { disabled: boolean }).disabled === true,
    );
    await photograph('7-status-map');

    await page.fill('#comment', 'Reason for the wrong region');
    await page.click('#save-draft');
    await waitForText('#validation', 'Valid: no problems found.');
    expect(await page.textContent('#version-list tr.selected')).toContain('Reason for the wrong region');

    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  }, 120_000);
});
