import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { eventually, type RunningService } from '../e2e/support/service-process.ts';
import { createWorld, deliverWebhook, propertyChangeEvent, type World } from '../e2e/support/world.ts';
import { launchChromium } from '../support/chromium.ts';
import { editorText, replaceEditorText } from './support/editor.ts';

/**
 * The whole admin loop in a real headless Chromium against the real service process: edit the MQL
 * definition, see the mistake inline, fix it, dry-run a live contact, publish, and see the next handoff
 * carry the new definition version.
 */
declare const document: { querySelector(selector: string): { textContent: string | null } | null };

const TOKEN = 'real-service-admin-token-long-enough-to-start';
const FILE = 'mql-definition.yaml';
const SMB = 'threshold: { total: 50, minFit: 15 }';

let world: World;
let service: RunningService;
let browser: Browser | undefined;
let page: Page;
const pageErrors: Error[] = [];

beforeAll(async () => {
  world = await createWorld();
  service = await world.start({ ADMIN_TOKEN: TOKEN });
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(error));
});

afterAll(async () => {
  await browser?.close();
  await service?.kill();
  await world?.close();
});

const textOf = async (selector: string) => (await page.textContent(selector)) ?? '';
const waitForText = (selector: string, text: string) =>
  page.waitForFunction(([s, t]) => (document.querySelector(s)?.textContent ?? '').includes(t), [selector, text] as const);

describe('admin page against the running service', () => {
  it('publishes a lower SMB threshold through the page, and the next handoff uses it', async () => {
    // Score 45 (software 15 + director 15 + three pricing views 15): below the shipped SMB threshold of 50.
    const props = {
      lastname: 'Nina',
      company: 'Midsize',
      jobtitle: 'Director of IT',
      industry: 'COMPUTER_SOFTWARE',
      pricing_page_views: '3',
    };
    const probe = world.hubspot.createContact({ ...props, email: 'probe@midsize.example' });

    await page.goto(`${service.url}/admin/`);
    await page.fill('#admin-name', 'Test Admin');
    await page.fill('#token', TOKEN);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector(`.code[data-file="${FILE}"] .cm-editor`, { state: 'attached' });
    const original = await editorText(page, FILE);
    expect(original).toContain(SMB);

    await replaceEditorText(page, FILE, original.replace(SMB, 'threshold: { total: forty, minFit: 15 }'));
    await page.fill('#comment', 'lower the SMB bar');
    await page.click('#save-draft');
    await waitForText(`.file-problems[data-file="${FILE}"]`, 'segments[1].threshold.total');

    const fixed = original.replace(SMB, 'threshold: { total: 40, minFit: 15 }').replace('version: "2025.1"', 'version: "2025.2"');
    await replaceEditorText(page, FILE, fixed);
    await page.click('#save-draft');
    await waitForText('#validation', 'Valid: no problems found.');

    await page.fill('#dry-run-contact', probe);
    await page.click('#dry-run');
    await waitForText('[data-side=draft] .score', 'qualified (MQL)');
    expect(await textOf('[data-side=active] .score')).toContain('score 45 · not qualified');
    expect(await textOf('[data-side=draft] .score')).toContain('score 45 · qualified (MQL)');
    expect(world.salesforce.records('Lead')).toHaveLength(0); // a dry run writes nothing

    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('#publish');
    await waitForText('#message', 'is now active');
    expect(pageErrors).toEqual([]);

    // Replicas pick the published version up within seconds; until then a change is judged by the old one.
    const contact = world.hubspot.createContact({ ...props, email: 'nina@midsize.example' });
    const lead = await eventually(
      async () => {
        await deliverWebhook(service.url, world, JSON.stringify([propertyChangeEvent(contact, 'pricing_page_views', '3')]));
        await new Promise((resolve) => setTimeout(resolve, 300));
        return world.salesforce.records('Lead').find((row) => row.Handoff_HubSpot_Id__c === contact);
      },
      20_000,
      'a Lead under the new definition',
    );
    expect(String(lead.MQL_Definition_Version__c)).toMatch(/^2025\.2@[0-9a-f]{7}$/);
    expect(lead.MQL_Score__c).toBe(45);
  }, 90_000);
});
