import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { adminApiRouter } from '../../src/http/admin/admin-api-router.ts';
import type { ParkedWorkPort } from '../../src/http/admin/parked-work.ts';
import type { RecordLookup } from '../../src/http/admin/record-lookup.ts';
import { adminPageRouter } from '../../src/http/admin-page/admin-page-router.ts';
import { silentLogger } from '../../src/log.ts';
import { listenOnLoopback } from '../support/http.ts';
import { FakeConfigVersions } from '../http/support/fake-config-versions.ts';

/**
 * The admin page in a real headless Chromium (the system package, driven by playwright-core): edit a
 * mapping so it is invalid, see the problem inline, fix it, dry-run, publish, see the new version active.
 */
/** The page's document, for functions that run inside the browser (the project's tsconfig has no DOM lib). */
declare const document: { querySelector(selector: string): { textContent: string | null } | null };

const TOKEN = 'browser-test-token-42';
const FILE = 'field-mapping.yaml';

const noRecords: RecordLookup = { find: async () => undefined };
const noParked: ParkedWorkPort = { list: async () => [], retry: async () => ({ status: 'not_found' as const }), retryAll: async () => ({ retried: [], failed: [] }) };

let versions: FakeConfigVersions;
let server: { url: string; close: () => Promise<void> };
let browser: Browser | undefined;
let page: Page;
const pageErrors: Error[] = [];

beforeAll(async () => {
  versions = await FakeConfigVersions.seeded();
  const logger = silentLogger();
  const app = createHttpApp({
    logger,
    routers: [
      adminApiRouter({ adminToken: TOKEN, configVersions: versions, records: noRecords, parked: noParked, logger }),
      adminPageRouter({ adminToken: TOKEN, logger }),
    ],
  });
  server = await listenOnLoopback(app);
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(error));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const textOf = async (selector: string) => (await page.textContent(selector)) ?? '';
const waitForText = (selector: string, text: string) =>
  page.waitForFunction(([s, t]) => (document.querySelector(s)?.textContent ?? '').includes(t), [selector, text] as const);

describe('admin page in Chromium', () => {
  it('edits a mapping, shows the problem inline, fixes it, dry-runs, publishes and shows the new active version', async () => {
    await page.goto(`${server.url}/admin/`);
    await page.waitForSelector('#login-form', { state: 'visible' });
    await page.fill('#token', 'wrong-token');
    await page.click('#login-form button[type=submit]');
    await waitForText('#login-error', 'not right');

    await page.fill('#token', TOKEN);
    await page.click('#login-form button[type=submit]');
    await waitForText('#active-version', 'v1');
    const original = await page.inputValue(`textarea[data-file="${FILE}"]`);
    expect(original).toContain('    direction: both');

    // Break it: an unknown direction is a schema problem reported with its line and path.
    await page.fill(`textarea[data-file="${FILE}"]`, original.replace('    direction: both', '    direction: sideways'));
    await page.fill('#comment', 'try a new direction');
    await page.click('#save-draft');
    await waitForText(`.file-problems[data-file="${FILE}"]`, 'fields[0].direction');
    const inline = await textOf(`.file-problems[data-file="${FILE}"]`);
    expect(inline).toContain('line 57');
    expect(inline).toContain('expected one of');
    expect(await textOf('#validation')).toContain('1 problem');
    expect(versions.versions.at(-1)).toMatchObject({ id: 'v2', status: 'draft', comment: 'try a new direction' });

    // Fix it: the next draft is valid.
    await page.fill(`textarea[data-file="${FILE}"]`, original.replace('# holds the HubSpot contact id', '# the HubSpot contact id'));
    await page.fill('#comment', 'reword a comment');
    await page.click('#save-draft');
    await waitForText('#validation', 'Valid: no problems found.');
    expect(await textOf(`.file-problems[data-file="${FILE}"]`)).toBe('');
    expect(await textOf('.diff')).toContain('+  externalIdField: Handoff_HubSpot_Id__c # the HubSpot contact id');

    // Dry run a pasted HubSpot-shaped sample: the active and the draft side by side.
    await page.fill('#dry-run-sample', JSON.stringify({ id: '501', properties: { email: 'ana@example.test', jobtitle: 'CTO', lifecyclestage: null } }));
    await page.click('#dry-run');
    await waitForText('[data-side=draft] h4', 'v3');
    expect(await textOf('[data-side=active] h4')).toContain('v1');
    expect(await textOf('[data-side=draft] .payload')).toContain('MQL_Score__c');
    expect(versions.calls.filter((c) => c.method === 'dryRun').at(-1)?.args).toEqual(['v3', { sample: { email: 'ana@example.test', jobtitle: 'CTO' } }]);

    // Publish after confirming: the list and the header show v3 active, v1 archived.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('#publish');
    await waitForText('#active-version', 'v3');
    await waitForText('#message', 'Version v3 is now active');
    expect(await textOf('#version-list tr[data-id="v3"]')).toContain('active');
    expect(await textOf('#version-list tr[data-id="v1"]')).toContain('archived');
    expect((await versions.active()).id).toBe('v3');
    expect(pageErrors).toEqual([]);
  });
});
