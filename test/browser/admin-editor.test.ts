import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import type { RunningService } from '../e2e/support/service-process.ts';
import { createWorld, type World } from '../e2e/support/world.ts';
import { launchChromium } from '../support/chromium.ts';
import { editorDiagnostics, editorText, photographBothWidths, SCREENSHOT_DIR, watchPageErrors } from './support/editor.ts';

/**
 * Issue 20 in a real headless Chromium against the real service process and the simulated HubSpot and
 * Salesforce: an admin signs in with a name, maps a new field picked from the live schemas, lowers a threshold
 * while the preview shows the effect, publishes only once the draft is valid, and rolls back. Each view is
 * photographed at 1,280 px and at 400 px (test-artifacts/screenshots/).
 */
declare const document: { querySelector(selector: string): { textContent: string | null } | null };

const TOKEN = 'admin-editor-test-token-long-enough-to-start';
const ADMIN = 'Rosa Revops';
const MAPPING = 'field-mapping.yaml';
const MQL = 'mql-definition.yaml';
// Score 45 (software 15 + director 15 + three pricing views 15): below the shipped SMB threshold of 50.
const SAMPLE = { jobtitle: 'Director of IT', industry: 'COMPUTER_SOFTWARE', pricing_page_views: '3', country: 'Brazil' };

let world: World;
let service: RunningService;
let browser: Browser | undefined;
let page: Page;
let pageErrors: Error[] = [];
let consoleErrors: string[] = [];
const missing: string[] = [];

beforeAll(async () => {
  world = await createWorld();
  service = await world.start({ ADMIN_TOKEN: TOKEN });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  ({ pageErrors, consoleErrors } = watchPageErrors(page));
  page.on('response', (response) => {
    if (response.status() === 404 && !response.url().endsWith('/favicon.ico')) missing.push(response.url());
  });
});

afterAll(async () => {
  await browser?.close();
  await service?.kill();
  await world?.close();
});

const textOf = async (selector: string) => (await page.textContent(selector)) ?? '';
const waitForText = (selector: string, text: string) =>
  page.waitForFunction(([s, t]) => (document.querySelector(s)?.textContent ?? '').includes(t), [selector, text] as const);
const activeFiles = async () => {
  const response = await fetch(`${service.url}/api/config/active`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return ((await response.json()) as { id: string; files: Record<string, string> }).files;
};

/** Both widths of the current view; the narrow one must not scroll sideways. */
async function photograph(name: string) {
  expect((await photographBothWidths(page, name)).narrowFits).toBe(true);
}

describe('the admin page edits mappings and definitions without YAML', () => {
  it('signs in with a name, maps a field from the live schemas, previews a threshold, publishes and rolls back', async () => {
    await page.goto(`${service.url}/admin/`);
    await page.fill('#admin-name', ADMIN);
    await page.fill('#token', TOKEN);
    await page.click('#login-form button[type=submit]');
    await waitForText('#signed-in-as', `Signed in as ${ADMIN}`);

    // The field mapping table, its pickers filled from HubSpot's properties and Salesforce's describe.
    await page.waitForSelector('#map-new-hs option[value=city]', { state: 'attached' });
    await page.waitForSelector('#map-new-sf option[value=City]', { state: 'attached' });
    const rowsBefore = await page.locator('#mapping-table tbody tr').count();
    await page.selectOption('#map-new-hs', 'city');
    await page.selectOption('#map-new-sf', 'NumberOfEmployees');
    await page.click('#map-add');
    const added = `#mapping-table tbody tr[data-row="${rowsBefore}"]`;
    // A text property into a number field is flagged as it is picked…
    await waitForText(`${added} .flags`, 'needs a number');
    // The view as the README shows it: the new row, flagged, at the end of the table.
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.locator('#map-add').scrollIntoViewIfNeeded();
    await page.screenshot({ path: new URL('0-overview-wide.png', SCREENSHOT_DIR).pathname });
    await page.setViewportSize({ width: 1280, height: 900 });
    // …and picking the right field clears it.
    await page.selectOption(`#map-sf-${rowsBefore}`, 'City');
    await page.waitForSelector(`${added}[data-salesforce=City]`);
    expect(await textOf(`${added} .flags`)).toBe('');
    // From the keyboard: the new row moves up one place, and the focus moves with it.
    await page.focus(`#map-up-${rowsBefore}`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#mapping-table tbody tr[data-row="${rowsBefore - 1}"][data-hubspot=city]`);
    expect(await page.evaluate(() => (document as unknown as { activeElement: { id: string } }).activeElement.id)).toBe(
      `map-up-${rowsBefore - 1}`,
    );
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter'); // ↓ on the same row: back to the end
    await page.waitForSelector(`${added}[data-hubspot=city]`);
    const mapping = await editorText(page, MAPPING);
    expect(mapping).toContain('  - hubspot: city\n    salesforce: City\n    direction: to_salesforce\n');
    expect(mapping).toContain('  # Salesforce requires Lead.LastName and Lead.Company.\n  - hubspot: lastname');
    await photograph('1-field-mapping');

    // The MQL form with the live preview: 45 points do not reach SMB's 50; at 40 they do.
    await page.click(`#tab-${MQL.replace('.', '\\.')}`);
    await page.fill('#mql-preview-samples', JSON.stringify(SAMPLE));
    await waitForText('#mql-preview-result', 'score 45 · segment smb · threshold 50');
    expect(await textOf('#mql-preview-result .verdict')).toBe('not an MQL');
    await page.fill('#segment-smb-total', '40');
    await page.press('#segment-smb-total', 'Tab');
    await waitForText('#mql-preview-result', 'threshold 40');
    expect(await textOf('#mql-preview-result .verdict')).toBe('MQL');
    expect(await textOf('#mql-preview-result .breakdown')).toContain('Pricing page views: +15');
    expect(await editorText(page, MQL)).toContain('threshold: { total: 40, minFit: 15 }');
    await photograph('2-mql-definition');

    // A draft without the threshold's total is saved but cannot be published: the reasons say why.
    await page.fill('#segment-smb-total', '');
    await page.press('#segment-smb-total', 'Tab');
    await page.fill('#comment', 'forgot the total');
    await page.click('#save-draft');
    await waitForText('#publish-blocked', 'segments[1].threshold.total');
    expect(await page.isDisabled('#publish')).toBe(true);
    // The code editor marks the problem at the line validation reports.
    const totalLine = (await editorText(page, MQL)).split('\n').indexOf('    threshold: { minFit: 15 }') + 1;
    expect(await editorDiagnostics(page, MQL)).toEqual([
      { line: totalLine, message: expect.stringContaining('segments[1].threshold.total') },
    ]);
    await photograph('3-invalid-draft');

    await page.click(`#tab-${MQL.replace('.', '\\.')}`);
    await page.fill('#segment-smb-total', '40');
    await page.press('#segment-smb-total', 'Tab');
    await waitForText('#publish-blocked', 'Unsaved edits in mql-definition.yaml');
    await page.fill('#comment', 'Map city; SMB threshold 40');
    await page.click('#save-draft');
    await waitForText('#validation', 'Valid: no problems found.');
    await page.waitForFunction(() => (document.querySelector('#publish') as unknown as { disabled: boolean }).disabled === false);
    const draftRow = '#version-list tr.selected';
    expect(await textOf(draftRow)).toContain(ADMIN);
    expect(await textOf(draftRow)).toContain('Map city; SMB threshold 40');

    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('#publish');
    await waitForText('#message', 'is now active');
    const published = await activeFiles();
    expect(published[MAPPING]).toContain('- hubspot: city');
    // The total was taken out and put back, so it now comes last; every other byte is the shipped file's.
    expect(published[MQL]).toContain('threshold: { minFit: 15, total: 40 }');
    await photograph('4-published');

    // Roll back to the shipped version: a new active version with its files.
    await page.click('#version-list tr[data-status=archived]:last-child button');
    await page.waitForSelector('#rollback');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('#rollback');
    await waitForText('#message', 'Rolled back');
    const rolledBack = await activeFiles();
    expect(rolledBack[MAPPING]).not.toContain('- hubspot: city');
    expect(rolledBack[MQL]).toContain('threshold: { total: 50, minFit: 15 }');
    await photograph('5-rolled-back');

    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(missing).toEqual([]);
  }, 120_000);
});
