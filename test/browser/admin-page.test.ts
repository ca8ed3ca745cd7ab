import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import type { HubSpotPort } from '../../src/adapters/hubspot/hubspot-port.ts';
import type { ListIdResolver } from '../../src/adapters/hubspot/list-ids.ts';
import { adminApiRouter } from '../../src/http/admin/admin-api-router.ts';
import { createParkedWork } from '../../src/http/admin/parked-work.ts';
import type { RecordLookup } from '../../src/http/admin/record-lookup.ts';
import { createAdminSessions, postgresSessionStore } from '../../src/http/admin/sessions.ts';
import { adminPageRouter } from '../../src/http/admin-page/admin-page-router.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { createParkedReplayer } from '../../src/jobs/parked/replay-parked.ts';
import { silentLogger } from '../../src/log.ts';
import { getParked, park } from '../../src/store/parked.ts';
import { FakeConfigVersions } from '../http/support/fake-config-versions.ts';
import { launchChromium } from '../support/chromium.ts';
import { type FreshDatabase, freshDatabase } from '../support/databases.ts';
import { listenOnLoopback } from '../support/http.ts';
import { editorText, replaceEditorText } from './support/editor.ts';

/**
 * The admin page in a real headless Chromium (the system package, driven by playwright-core): edit a
 * mapping so it is invalid, see the problem inline, fix it, dry-run, publish, see the new version active.
 */
/** The page's document, for functions that run inside the browser (the project's tsconfig has no DOM lib). */
declare const document: { querySelector(selector: string): { textContent: string | null } | null };

const TOKEN = 'browser-test-token-42';
const FILE = 'field-mapping.yaml';

const noRecords: RecordLookup = { find: async () => undefined };

let versions: FakeConfigVersions;
let fresh: FreshDatabase;
const queued: string[] = [];
let server: { url: string; close: () => Promise<void> };
let browser: Browser | undefined;
let page: Page;
const pageErrors: Error[] = [];

beforeAll(async () => {
  versions = await FakeConfigVersions.seeded();
  const logger = silentLogger();
  // The real parked-work replay over an embedded database; the alert target refuses every resend.
  fresh = await freshDatabase();
  const replay = createParkedReplayer({
    db: fresh.db,
    hubspot: {} as HubSpotPort,
    lists: {} as ListIdResolver,
    now: () => new Date(),
    logger,
    alerts: {
      send: async () => {
        throw new Error('alert not delivered: Slack webhook answered 500');
      },
    },
    queueContacts: async (ids) => void queued.push(...ids),
  });
  const parked = createParkedWork(fresh.db, replay, { maxAutoReplays: 1 });
  // Sessions in the database, as the service keeps them; every change the page makes passes the same-origin checks.
  const sessions = createAdminSessions(postgresSessionStore(fresh.db));
  const app = createHttpApp({
    logger,
    routers: [
      adminApiRouter({ adminToken: TOKEN, configVersions: versions, records: noRecords, parked, sessions, logger }),
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
  await fresh?.cleanup();
});

const textOf = async (selector: string) => (await page.textContent(selector)) ?? '';
const waitForText = (selector: string, text: string) =>
  page.waitForFunction(([s, t]) => (document.querySelector(s)?.textContent ?? '').includes(t), [selector, text] as const);

describe('admin page in Chromium', () => {
  it('edits a mapping, shows the problem inline, fixes it, dry-runs, publishes and shows the new active version', async () => {
    await page.goto(`${server.url}/admin/`);
    await page.waitForSelector('#login-form', { state: 'visible' });
    await page.fill('#admin-name', 'Test Admin');
    await page.fill('#token', 'wrong-token');
    await page.click('#login-form button[type=submit]');
    await waitForText('#login-error', 'not right');

    await page.fill('#admin-name', 'Test Admin');

    await page.fill('#token', TOKEN);
    await page.click('#login-form button[type=submit]');
    await waitForText('#active-version', 'v1');
    const original = await editorText(page, FILE);
    expect(original).toContain('    direction: both');

    // Break it: an unknown direction is a schema problem reported with its line and path.
    await replaceEditorText(page, FILE, original.replace('    direction: both', '    direction: sideways'));
    await page.fill('#comment', 'try a new direction');
    await page.click('#save-draft');
    await waitForText(`.file-problems[data-file="${FILE}"]`, 'fields[0].direction');
    const inline = await textOf(`.file-problems[data-file="${FILE}"]`);
    const brokenLine = original.split('\n').indexOf('    direction: both') + 1;
    expect(brokenLine).toBeGreaterThan(0);
    expect(inline).toContain(`line ${brokenLine}`);
    expect(inline).toContain('expected one of');
    expect(await textOf('#validation')).toContain('1 problem');
    expect(versions.versions.at(-1)).toMatchObject({ id: 'v2', status: 'draft', comment: 'try a new direction' });

    // Fix it: the next draft is valid.
    await replaceEditorText(page, FILE, original.replace('# holds the HubSpot contact id', '# the HubSpot contact id'));
    await page.fill('#comment', 'reword a comment');
    await page.click('#save-draft');
    await waitForText('#validation', 'Valid: no problems found.');
    expect(await textOf(`.file-problems[data-file="${FILE}"]`)).toBe('');
    expect(await textOf('.diff')).toContain('+  externalIdField: Handoff_HubSpot_Id__c # the HubSpot contact id');

    // Dry run a pasted HubSpot-shaped sample: the active and the draft side by side.
    await page.fill(
      '#dry-run-sample',
      JSON.stringify({ id: '501', properties: { email: 'ana@example.test', jobtitle: 'CTO', lifecyclestage: null } }),
    );
    await page.click('#dry-run');
    await waitForText('[data-side=draft] h4', 'v3');
    expect(await textOf('[data-side=active] h4')).toContain('v1');
    expect(await textOf('[data-side=draft] .payload')).toContain('MQL_Score__c');
    expect(versions.calls.filter((c) => c.method === 'dryRun').at(-1)?.args).toEqual([
      'v3',
      { sample: { email: 'ana@example.test', jobtitle: 'CTO' } },
    ]);

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

  it('shows parked work with its message, context and replays, replays one, and replays all matching a filter', async () => {
    const rule = await park(fresh.db, {
      kind: 'handoff',
      recordKey: '701',
      provider: 'salesforce',
      message: 'FIELD_CUSTOM_VALIDATION_EXCEPTION: Region is required',
      context: { code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' },
    });
    const budget = await park(fresh.db, {
      kind: 'handoff',
      recordKey: '702',
      provider: 'salesforce',
      message: 'REQUEST_LIMIT_EXCEEDED',
      context: { code: 'REQUEST_LIMIT_EXCEEDED', waitingFor: 'salesforce_budget' },
    });
    const alert = {
      event: 'sla_breached',
      clock: 'first_touch',
      leadId: '00Q-b',
      hubspotContactId: '703',
      rule: 'r',
      dueAt: '2026-01-01T00:00:00.000Z',
      lateByMs: 1,
      text: 'late',
    };
    const stuck = await park(fresh.db, {
      kind: 'sla_alert',
      recordKey: '00Q-b:first_touch',
      message: 'alert webhook answered 503',
      context: { alert },
    });

    await page.click('#nav [data-view=parked]');
    await waitForText('#parked-list', 'Region is required');
    expect(await textOf(`#parked-list tr[data-id="${budget.id}"]`)).toContain('salesforce_budget');
    expect(await page.locator(`#parked-list tr[data-id="${rule.id}"] details pre`).textContent()).toContain(
      'FIELD_CUSTOM_VALIDATION_EXCEPTION',
    );

    // One item: the alert target still refuses, so it stays open with one more attempt and now needs a person.
    await page.click(`#parked-list tr[data-id="${stuck.id}"] button`);
    await waitForText('#message', 'alert not delivered');
    await waitForText(`#parked-list tr[data-id="${stuck.id}"]`, 'needs a person');
    await page.click(`#parked-list tr[data-id="${stuck.id}"] summary`);
    expect(await textOf(`#parked-list tr[data-id="${stuck.id}"] details`)).toContain('by Test Admin: failed — alert not delivered');

    // All handoffs refused by that validation rule, after the fix.
    await page.selectOption('#parked-kind', 'handoff');
    await page.fill('#parked-code', 'FIELD_CUSTOM_VALIDATION_EXCEPTION');
    await page.click('#parked-filter button[type=submit]');
    await page.waitForFunction((id) => document.querySelector(`#parked-list tr[data-id="${id}"]`) === null, budget.id);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('#parked-retry-all');
    await waitForText('#message', 'Replayed 1; 0 not replayed');
    expect(await textOf('#parked-outcome')).toContain(`${rule.id} handoff 701: handed_off`);
    expect(queued).toEqual(['701']);
    expect((await getParked(fresh.db, rule.id))?.resolvedAt).toBeInstanceOf(Date);
    expect((await getParked(fresh.db, budget.id))?.resolvedAt).toBeNull();

    // Resolved items, with who replayed them.
    await page.uncheck('#parked-open');
    await waitForText(`#parked-list tr[data-id="${rule.id}"]`, 'resolved');
    await page.click(`#parked-list tr[data-id="${rule.id}"] summary`);
    expect(await textOf(`#parked-list tr[data-id="${rule.id}"] details`)).toContain('by Test Admin: handed_off');
    expect(pageErrors).toEqual([]);
  });

  it('signs out on the server: the cookie it held opens nothing afterwards', async () => {
    const cookie = (await page.context().cookies()).find((c) => c.name === 'handoff_admin');
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const withOldCookie = () =>
      fetch(`${server.url}/api/config/versions`, { headers: { cookie: `handoff_admin=${cookie?.value}` } }).then((r) => r.status);
    expect(await withOldCookie()).toBe(200);
    await page.click('#logout');
    await page.waitForSelector('#login-form', { state: 'visible' });
    expect(await withOldCookie()).toBe(401);
    expect(pageErrors).toEqual([]);
  });
});
