import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { adminPageRouter } from '../../src/http/admin-page/admin-page-router.ts';
import { launchChromium } from '../support/chromium.ts';
import { startKpiServer } from './kpi-server.ts';

/** The Funnel view in a real headless Chromium over the seeded history (figures as in kpis.test.ts). */
declare const document: {
  querySelectorAll(selector: string): ArrayLike<{ getAttribute(name: string): string | null; textContent: string | null }>;
};

const TOKEN = 'funnel-browser-token-42';

let server: { url: string; close: () => Promise<void> };
let browser: Browser | undefined;
let page: Page;
const pageErrors: Error[] = [];

beforeAll(async () => {
  server = await startKpiServer(TOKEN, (logger) => [adminPageRouter({ adminToken: TOKEN, logger })]);
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(error));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const bars = (chart: string) =>
  page.evaluate(
    (selector) =>
      Array.from(document.querySelectorAll(`${selector} .bar-row`)).map((row) => [
        row.getAttribute('data-label'),
        row.getAttribute('data-value'),
      ]),
    chart,
  );

describe('Funnel view in Chromium', () => {
  it('shows the funnel and reasons as SVG bars, a table per group and a CSV link', async () => {
    await page.goto(`${server.url}/admin/`);
    await page.waitForSelector('#login-form', { state: 'visible' });
    await page.fill('#admin-name', 'Funnel Reader');
    await page.fill('#token', TOKEN);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#nav', { state: 'visible' });
    await page.click('#nav [data-view=funnel]');
    // The view opens on the last 30 days (empty here); then the seeded November.
    await page.waitForSelector('#kpi-result svg.chart-funnel');
    await page.fill('#kpi-from', '2026-11-01');
    await page.fill('#kpi-to', '2026-12-01');
    await page.click('#kpi-form button[type=submit]');
    await page.waitForSelector('svg.chart-funnel .bar-row[data-label="MQL"][data-value="10"]');
    expect(await bars('svg.chart-funnel')).toEqual([
      ['MQL', '10'],
      ['SAL', '6'],
      ['SQL', '4'],
      ['Opportunity', '1'],
      ['Won', '0'],
    ]);
    expect(await bars('svg.chart-reasons')).toEqual([
      ['bad_fit', '2'],
      ['no_budget', '1'],
    ]);
    expect(await page.textContent('svg.chart-funnel')).toContain('4 · 40.0%');
    expect(await page.textContent('#kpi-response')).toBe('median 17.5 min, p90 35.5 min (4 touched)');
    expect(await page.textContent('#kpi-sla')).toBe('first touch 40.0% (2/5), disposition 33.3% (1/3)');
    expect(await page.textContent('#kpi-revenue')).toBe(
      'win rate — (0 won, 0 lost), won amount 0, open pipeline 0 (0 deals), MQL→won median —',
    );

    await page.selectOption('#kpi-group', 'source');
    await page.click('#kpi-form button[type=submit]');
    await page.waitForSelector('#kpi-groups');
    const rows = await page.$$eval('#kpi-groups tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/^PAID_SEARCH66410100\.0%/);
    const href = await page.getAttribute('#kpi-csv', 'href');
    expect(href).toBe('/api/kpis?from=2026-11-01&to=2026-12-01&groupBy=source&format=csv');
    // The link works with the page's session cookie.
    const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href ?? '');
    expect(csv.split('\r\n')[0]).toMatch(/^source,mql,/);
    expect(pageErrors).toEqual([]);
  });
});
