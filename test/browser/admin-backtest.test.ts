import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { type ActiveBundle, startActiveBundle } from '../../src/config/versions/active-bundle.ts';
import { createConfigVersions } from '../../src/config/versions/service.ts';
import { adminApiRouter } from '../../src/http/admin/admin-api-router.ts';
import type { ParkedWorkPort } from '../../src/http/admin/parked-work.ts';
import { createAdminSessions, postgresSessionStore } from '../../src/http/admin/sessions.ts';
import { adminPageRouter } from '../../src/http/admin-page/admin-page-router.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { silentLogger } from '../../src/log.ts';
import { seedSandboxHistory } from '../../src/sandbox/seed-history.ts';
import { launchChromium } from '../support/chromium.ts';
import { noSystems } from '../support/config-admin-server.ts';
import { type FreshDatabase, freshDatabase } from '../support/databases.ts';
import { listenOnLoopback } from '../support/http.ts';
import { editorText, replaceEditorText } from './support/editor.ts';

/**
 * The backtest beside a draft's diff, in a real headless Chromium over the real config versions and a database
 * holding the sandbox's seeded quarter: lower the SMB threshold in a draft, backtest it over the last 90 days, and
 * see more MQLs under the draft than under the active version.
 */
declare const document: { querySelector(selector: string): { textContent: string | null } | null };

const TOKEN = 'backtest-browser-token-42';
const FILE = 'mql-definition.yaml';
const SMB = 'threshold: { total: 50, minFit: 15 }';
const DAY_MS = 86_400_000;

let fresh: FreshDatabase;
let holder: ActiveBundle;
let server: { url: string; close: () => Promise<void> };
let browser: Browser | undefined;
let page: Page;
const pageErrors: Error[] = [];

beforeAll(async () => {
  const logger = silentLogger();
  fresh = await freshDatabase();
  const { db } = fresh;
  holder = await startActiveBundle({ db, seedDir: fileURLToPath(new URL('../../mappings/', import.meta.url)), logger, refreshMs: 60_000 });
  await seedSandboxHistory({ db, mappings: holder.current(), now: new Date(), logger });
  const sessions = createAdminSessions(postgresSessionStore(db));
  const configVersions = createConfigVersions({ db, ...noSystems, logger, now: () => new Date() });
  const parked = { list: async () => [] } as unknown as ParkedWorkPort;
  const app = createHttpApp({
    logger,
    routers: [
      adminApiRouter({ adminToken: TOKEN, configVersions, records: { find: async () => undefined }, parked, sessions, logger }),
      adminPageRouter({ adminToken: TOKEN, sessions, logger }),
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
  holder?.stop();
  await fresh?.cleanup();
});

const textOf = async (selector: string) => (await page.textContent(selector)) ?? '';
const waitForText = (selector: string, text: string) =>
  page.waitForFunction(([s, t]) => (document.querySelector(s)?.textContent ?? '').includes(t), [selector, text] as const);

describe('the backtest on the admin page', () => {
  it('backtests a draft with a lower SMB threshold over the seeded quarter and shows more MQLs under it', async () => {
    await page.goto(`${server.url}/admin/`);
    await page.waitForSelector('#login-form', { state: 'visible' });
    await page.fill('#admin-name', 'Test Admin');
    await page.fill('#token', TOKEN);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector(`.code[data-file="${FILE}"] .cm-editor`, { state: 'attached' });
    // The active version has no backtest of its own: it is what a draft is compared with.
    expect(await page.locator('#backtest').count()).toBe(0);

    const original = await editorText(page, FILE);
    expect(original).toContain(SMB);
    await replaceEditorText(
      page,
      FILE,
      original.replace('version: "2025.1"', 'version: "2025.2"').replace(SMB, 'threshold: { total: 40, minFit: 15 }'),
    );
    await page.fill('#comment', 'SMB threshold 40');
    await page.click('#save-draft');
    await waitForText('#validation', 'Valid: no problems found.');

    // A period that ends before it starts: the API's 400 is shown beside the form, not thrown.
    await page.fill('#backtest-from', '2026-03-10');
    await page.fill('#backtest-to', '2026-03-01');
    await page.click('#backtest');
    await waitForText('#backtest-result .error', 'to must be after from');

    // The default period: the last 90 days, today included.
    const today = Date.now();
    const from = new Date(today - 90 * DAY_MS).toISOString().slice(0, 10);
    await page.fill('#backtest-from', from);
    await page.fill('#backtest-to', new Date(today).toISOString().slice(0, 10));
    await page.click('#backtest');
    await page.waitForSelector('#backtest-summary');
    const expected = await fresh.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM mql_evaluations WHERE qualified AND evaluated_at >= $1`,
      [`${from}T00:00:00.000Z`],
    );
    const cells = async (row: string) => (await page.locator(`#backtest-summary tr[data-row="${row}"] td`).allTextContents()).map(Number);
    const [active, draft] = await cells('mql');
    expect(active).toBe(expected.rows[0]!.n);
    expect(draft).toBeGreaterThan(active!);
    const [, newly] = await cells('newly');
    expect(newly).toBe(draft! - active!);
    const [, noLonger] = await cells('no-longer');
    expect(noLonger).toBe(0);

    // The rest of the comparison: groups, curves with the F1-best threshold marked, rule lift, score bands.
    expect(await textOf('#backtest-groups tr[data-group="draftOnly"]')).toMatch(/%/);
    expect(await page.locator('#backtest-curve-smb tr[data-threshold="40"]').getAttribute('class')).toBe('selected');
    expect(await textOf('#backtest-curve-smb')).toContain('★');
    expect(await textOf('#backtest-rules tr[data-rule="job-title-decision-maker"]')).toMatch(/\d\.\d\d×/);
    expect(await page.locator('.backtest svg.chart-bands .bar-row').count()).toBeGreaterThan(3);
    expect(pageErrors).toEqual([]);
  });
});
