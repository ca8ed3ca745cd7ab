import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runReviewCommand } from '../../src/cli/review.ts';
import { seedAll } from '../kpis/seed.ts';
import { launchChromium } from '../support/chromium.ts';
import { useConfigAdminServer } from '../support/config-admin-server.ts';
import { parseCsv } from '../support/parse-csv.ts';
import { HOSTILE_LABEL, seedReviewExamples } from '../support/review-seed.ts';

const TOKEN = 'review-cli-token';
const STEM = 'review-2026-11-01-2026-12-01';

describe('npm run review', () => {
  const admin = useConfigAdminServer(TOKEN);
  let dir: string;
  let html: string;
  let printed: string;

  const review = async (argv: string[], env: NodeJS.ProcessEnv = { ADMIN_TOKEN: TOKEN }) => {
    let text = '';
    const code = await runReviewCommand({
      argv: [...argv, '--url', admin.url],
      env,
      out: { write: (t: string) => (text += t) },
      cwd: dir,
      now: () => new Date('2026-12-02T08:00:00Z'),
    });
    return { code, text };
  };
  const csv = async (table: string) => parseCsv(await readFile(join(dir, 'pack', `${STEM}-${table}.csv`), 'utf8'));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'review-cli-'));
    // The KPI seed (November 2026, figures in test/kpis/kpis.test.ts) and the examples' evaluations in the same month.
    await seedAll(admin.db);
    await seedReviewExamples(admin.db, admin.holder.current().mql.version);
    const run = await review(['--from', '2026-11-01', '--to', '2026-12-01', '--out', 'pack']);
    expect(run.code).toBe(0);
    printed = run.text;
    html = await readFile(join(dir, 'pack', `${STEM}.html`), 'utf8');
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('writes one HTML file and one CSV per table, named with the period, and prints their paths', async () => {
    const files = (await readdir(join(dir, 'pack'))).sort();
    expect(files).toEqual(
      ['examples', 'funnel', 'rejection-reasons', 'rule-lift', 'score-bands', 'sla', 'thresholds']
        .map((table) => `${STEM}-${table}.csv`)
        .concat(`${STEM}.html`)
        .sort(),
    );
    expect(printed.trim().split('\n').sort()).toEqual(files.map((name) => join(dir, 'pack', name)));
  });

  it('holds every section with the figures of the seed', () => {
    for (const id of [
      'funnel',
      'sla',
      'rejections',
      'rule-lift',
      'score-bands',
      'thresholds',
      'rejected-high-scorers',
      'accepted-low-scorers',
    ])
      expect(html).toContain(`<section id="${id}">`);
    // The funnel of test/kpis/seed.ts: 10 MQL, 6 SAL (60.0%), 4 SQL (40.0%), 1 opportunity (25.0% of SQL), none won.
    expect(html).toContain('<tr><td>SAL</td><td>6</td><td>60.0%</td><td>MQL</td></tr>');
    expect(html).toContain('<tr><td>Opportunity</td><td>1</td><td>25.0%</td><td>SQL</td></tr>');
    expect(html).toContain('Win rate —');
    // SLA: first touch 2 met of 5 decided (2 breached), disposition 1 of 3.
    expect(html).toContain('<tr><td>First touch</td><td>2</td><td>5</td><td>2</td><td>40.0%</td></tr>');
    expect(html).toContain('<tr><td>Disposition</td><td>1</td><td>3</td><td>1</td><td>33.3%</td></tr>');
    expect(html).toMatch(/<tr><td>bad_fit<\/td><td>2<\/td><\/tr>/);
    // The 12 contacts evaluated in November, replayed under the shipped definition: a VP title alone (15 points).
    expect(html).toMatch(/<tr><td>10–20<\/td><td>12<\/td>/);
    expect(html).toContain('never fires');
    expect(html).toMatch(/<tr class="current[^"]*"><td>50<\/td>/);
    expect(html).toContain('active threshold');
    expect(html).toContain('★ best F1');
    // The examples in their order, each with its breakdown.
    const order = ['Contact r1:', 'Contact r2:', 'Contact r4:', 'Contact l1:', 'Contact l3:', 'Contact l2:', 'Contact l6:'].map((s) =>
      html.indexOf(s),
    );
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html).toContain('Contact r1: score 80 / threshold 50 (MQL)');
    expect(html).toContain('<li><span class="pts">+30</span> Company size <span class="kind">fit</span></li>');
    expect(html).toContain('outcome <strong>won</strong> on 2026-11-20');
    expect(html).not.toContain('Contact r3:');
  });

  it('escapes every value and refers to nothing outside the file', () => {
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(&quot;review&quot;)&lt;/script&gt; &amp; more');
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/\b(src|href)="(?!#)/);
  });

  it('writes CSV files that parse, with the same figures', async () => {
    expect((await csv('funnel'))[2]).toEqual(['sal', '6', '0.6', 'mql']);
    expect((await csv('sla'))[1]).toEqual(['first_touch', '2', '5', '2', '0.4']);
    const examples = await csv('examples');
    expect(examples.slice(1).map((row) => [row[0], row[1]])).toEqual([
      ['rejected_high_scorer', 'r1'],
      ['rejected_high_scorer', 'r2'],
      ['rejected_high_scorer', 'r4'],
      ['accepted_low_scorer', 'l1'],
      ['accepted_low_scorer', 'l3'],
      ['accepted_low_scorer', 'l2'],
      ['accepted_low_scorer', 'l6'],
    ]);
    expect(examples[1]?.[12]).toBe(HOSTILE_LABEL);
    expect(examples[1]?.[13]).toBe(`${HOSTILE_LABEL} (50); Company size (30)`);
    for (const table of ['rule-lift', 'score-bands', 'thresholds', 'rejection-reasons']) {
      const rows = await csv(table);
      expect(rows.length).toBeGreaterThan(1);
      expect(new Set(rows.map((row) => row.length)).size).toBe(1);
    }
  });

  it('renders in Chromium without errors or requests', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(`file://${join(dir, 'pack', `${STEM}.html`)}`);
      expect(await page.title()).toBe('MQL review 2026-11-01 → 2026-12-01');
      expect(await page.locator('section').count()).toBe(8);
      expect(await page.locator('svg rect.bar').count()).toBeGreaterThan(5);
      expect(await page.locator('#rejected-high-scorers article h3').first().textContent()).toBe(
        'Contact r1: score 80 / threshold 50 (MQL)',
      );
      expect(errors).toEqual([]);
      expect(requests).toEqual([`file://${join(dir, 'pack', `${STEM}.html`)}`]);
    } finally {
      await browser.close();
    }
  });

  it('explains a refusal, a missing token and its usage', async () => {
    const refused = await review(['--from', '2026-12-01', '--to', '2026-11-01']);
    expect(refused).toMatchObject({ code: 1 });
    expect(refused.text).toMatch(/^review: /);
    expect(refused.text).toContain('to must be after from');
    expect(await review(['--from', '2026-11-01', '--to', '2026-12-01'], {})).toMatchObject({ code: 2 });
    expect((await review(['--from', '2026-11-01'])).text).toMatch(/^usage: review --from/);
  });
});
