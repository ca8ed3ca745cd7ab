import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import type { Browser, Page } from 'playwright-core';
import { adminApiRouter } from '../../src/http/admin/admin-api-router.ts';
import { createParkedWork } from '../../src/http/admin/parked-work.ts';
import { createRecordLookup } from '../../src/http/admin/record-lookup.ts';
import { type RoutingAdminDeps, routingKpiLabels } from '../../src/http/admin/routing-routes.ts';
import { createAdminSessions, postgresSessionStore } from '../../src/http/admin/sessions.ts';
import { adminPageRouter } from '../../src/http/admin-page/admin-page-router.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { createKpiReader } from '../../src/kpis/compute-kpis.ts';
import { createRoutingKpiReader } from '../../src/kpis/routing-kpis.ts';
import { silentLogger } from '../../src/log.ts';
import { fakeDirectory, testRouting } from '../http/routing-fixtures.ts';
import { FakeConfigVersions } from '../http/support/fake-config-versions.ts';
import { seedRouting } from '../kpis/routing-seed.ts';
import { launchChromium } from '../support/chromium.ts';
import { type FreshDatabase, freshDatabase } from '../support/databases.ts';
import { listenOnLoopback } from '../support/http.ts';

/**
 * The Routing view in a real headless Chromium: pools, who is next, pause and resume a member (by mouse and by
 * keyboard, found by their accessible names), a routing dry run, routing in the record look-up, and the Funnel
 * page's KPIs by owner and pool.
 */
declare const document: { querySelector(selector: string): { textContent: string | null } | null };

const TOKEN = 'browser-routing-token-0123456789';
const NOW = new Date('2026-12-07T23:30:00Z');

let fresh: FreshDatabase;
let server: { url: string; close: () => Promise<void> };
let browser: Browser | undefined;
let page: Page;
const pageErrors: Error[] = [];
const dryRuns: Array<{ body: unknown; contentType: string | undefined; origin: string | undefined }> = [];

/** Stands in for the lead's POST /api/routing/dry-run: records what the page sent, answers a fixed decision. */
function dryRunStub() {
  const router = express.Router();
  router.post('/api/routing/dry-run', express.json(), (req, res) => {
    dryRuns.push({ body: req.body, contentType: req.get('content-type'), origin: req.get('origin') });
    res.json({
      decision: {
        rule: { id: 'enterprise', label: 'Enterprise' },
        strategy: 'pool',
        owner: { kind: 'user', id: '005000000000003AAA' },
        pool: 'ent',
        member: 'cara@example.test',
        reason: 'Enterprise: next in Enterprise reps',
        passed: [{ ruleId: 'existing-account', reason: 'no Account owns example.test' }],
        skipped: [{ pool: 'ent', user: 'ana@example.test', reason: 'daily_cap_reached', detail: 'daily cap 3 reached' }],
      },
    });
  });
  return router;
}

const memberRow = async (member: string) =>
  (await fresh.db.query('SELECT paused, paused_by FROM routing_members WHERE pool_id = $1 AND member = $2', ['ent', member])).rows[0];

beforeAll(async () => {
  const logger = silentLogger();
  fresh = await freshDatabase();
  await fresh.db.query(
    `INSERT INTO routing_members (pool_id, member, credit, day, assigned_today) VALUES
       ('ent', 'ana@example.test', 0, '2026-12-08', 3), ('ent', 'cara@example.test', 1, '2026-12-07', 2)`,
  );
  await seedRouting(fresh.db);
  const routing: RoutingAdminDeps = { db: fresh.db, routing: testRouting, resolveDirectory: fakeDirectory(), now: () => NOW };
  const sessions = createAdminSessions(postgresSessionStore(fresh.db));
  const app = createHttpApp({
    logger,
    routers: [
      adminApiRouter({
        adminToken: TOKEN,
        configVersions: await FakeConfigVersions.seeded(),
        records: createRecordLookup(fresh.db),
        parked: createParkedWork(fresh.db, async () => ({ status: 'not_open' as const }), { maxAutoReplays: 1 }),
        kpis: createKpiReader(fresh.db),
        routing,
        routingKpis: createRoutingKpiReader(fresh.db, routingKpiLabels(routing)),
        sessions,
        logger,
      }),
      dryRunStub(),
      adminPageRouter({ adminToken: TOKEN, sessions, logger }),
    ],
  });
  server = await listenOnLoopback(app);
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(error));
  await page.goto(`${server.url}/admin/`);
  await page.fill('#admin-name', 'Test Admin');
  await page.fill('#token', TOKEN);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#nav', { state: 'visible' });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await fresh?.cleanup();
});

const textOf = async (selector: string) => (await page.textContent(selector)) ?? '';
const waitForText = (selector: string, text: string) =>
  page.waitForFunction(([s, t]) => (document.querySelector(s)?.textContent ?? '').includes(t), [selector, text] as const);
const CARA = '#routing-pools tr[data-member="cara@example.test"]';

describe('Routing view in Chromium', () => {
  it('shows pools, caps used today and who is next; pauses and resumes a member and sees the state change', async () => {
    await page.click('#nav [data-view=routing]');
    await waitForText('#routing-pools', 'Enterprise reps');
    expect(await textOf('#routing-version')).toBe('routing-test-1');
    expect(await textOf('[data-pool=ent] .next')).toContain('cara@example.test');
    expect(await textOf('#routing-pools tr[data-member="ana@example.test"]')).toContain('3 of 3 on 2026-12-08');
    expect(await textOf('#routing-pools tr[data-member="ana@example.test"]')).toContain('daily cap reached');
    expect(await textOf('#routing-pools tr[data-member="dan@example.test"]')).toContain('inactive');
    expect(await textOf('[data-pool=inbound]')).toContain('queue Inbound_Leads');

    // Pause by its accessible name; every reader of the database sees it.
    await page.getByRole('button', { name: 'Pause cara@example.test in Enterprise reps' }).click();
    await waitForText(`${CARA} .member-status`, 'paused by Test Admin');
    await waitForText('#message', 'cara@example.test paused in ent');
    expect(await textOf('[data-pool=ent] .next')).toContain('ben@example.test');
    expect(await memberRow('cara@example.test')).toEqual({ paused: true, paused_by: 'Test Admin' });

    // Resume from the keyboard.
    await page.getByRole('button', { name: 'Resume cara@example.test in Enterprise reps' }).focus();
    await page.keyboard.press('Enter');
    await waitForText(`${CARA} .member-status`, 'takes leads');
    expect(await textOf('[data-pool=ent] .next')).toContain('cara@example.test');
    expect(await memberRow('cara@example.test')).toEqual({ paused: false, paused_by: null });
    expect(pageErrors).toEqual([]);
  });

  it('dry-runs routing for a contact and shows the rule, owner, rules passed and members skipped', async () => {
    await page.getByRole('textbox', { name: 'HubSpot contact id to route' }).fill('501');
    await page.click('#routing-dry-run-form button[type=submit]');
    await waitForText('#routing-decision', 'Enterprise (enterprise)');
    expect(await textOf('#routing-decision')).toContain('user 005000000000003AAA');
    expect(await textOf('#routing-decision')).toContain('ent → cara@example.test');
    expect(await textOf('#routing-passed')).toContain('existing-account: no Account owns example.test');
    expect(await textOf('#routing-skipped')).toContain('ana@example.test: daily_cap_reached (daily cap 3 reached)');
    // Sent as JSON from this origin, as every change the page makes.
    expect(dryRuns).toEqual([{ body: { contactId: '501' }, contentType: 'application/json', origin: server.url }]);
    expect(pageErrors).toEqual([]);
  });

  it("shows a contact's routing decisions and notifications in the record look-up", async () => {
    await page.click('#nav [data-view=records]');
    await page.fill('#record-key', 'k2');
    await page.click('#record-form button[type=submit]');
    await waitForText('#record-result', 'Re-routed by pool');
    expect(await textOf('#record-result')).toContain('seed r3');
    expect(await textOf('#record-result')).toContain('from 005B00000000001AAA');
    expect(pageErrors).toEqual([]);
  });

  it('shows the KPIs by owner and by pool on the Funnel page', async () => {
    await page.click('#nav [data-view=funnel]');
    // Opening the view shows the last 30 days first; then November's window.
    await waitForText('#kpi-routing', 'By owner');
    await page.fill('#kpi-from', '2026-11-01');
    await page.fill('#kpi-to', '2026-12-01');
    await page.click('#kpi-form button[type=submit]');
    await waitForText('#kpi-routing-owner tr[data-key="005A00000000001AAA"]', '100.0%');
    const ana = await textOf('#kpi-routing-owner tr[data-key="005A00000000001AAA"]');
    expect(ana).toContain('Ana Ruiz');
    expect(ana).toContain('15.0 min');
    expect(await textOf('#kpi-routing-pool tr[data-key="ent"]')).toContain('Enterprise reps');
    expect(await page.locator('svg.chart-owners .bar-row').count()).toBe(3);
    expect(pageErrors).toEqual([]);
  });
});
