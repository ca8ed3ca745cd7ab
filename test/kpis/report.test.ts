import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runReport } from '../../src/cli/report.ts';
import { startKpiServer } from './kpi-server.ts';

const TOKEN = 'test-admin-token-report-0123456789';
let server: { url: string; close: () => Promise<void> };

async function report(argv: string[], env: NodeJS.ProcessEnv = { ADMIN_TOKEN: TOKEN }) {
  let text = '';
  const code = await runReport({ argv: [...argv, '--url', server.url], env, out: { write: (t: string) => (text += t) } });
  return { code, text };
}

beforeAll(async () => {
  server = await startKpiServer(TOKEN);
});

afterAll(async () => server?.close());

describe('report command', () => {
  it('prints the funnel with rates, bars, response times, SLA adherence and reasons', async () => {
    const { code, text } = await report(['--from', '2026-11-01', '--to', '2026-12-01']);
    expect(code).toBe(0);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Funnel 2026-11-01 → 2026-12-01 (handoff time, end exclusive)');
    // Bars are 30 blocks for all MQLs: SAL 6/10 → 18, SQL 4/10 → 12, opportunity 1/10 → 3.
    expect(lines).toContain(`MQL             10  ${'█'.repeat(30)}`);
    expect(lines).toContain(`SAL              6  ${'█'.repeat(18)}`);
    expect(lines).toContain(`SQL              4  ${'█'.repeat(12)}`);
    expect(lines).toContain(`Opportunity      1  ${'█'.repeat(3)}`);
    expect(lines).toContain('Won              0  ');
    expect(text).toContain('MQL→SAL 60.0%   MQL→SQL 40.0%   SQL→Opportunity 25.0%   Opportunity→Won 0.0%');
    expect(text).toContain('Win rate — (0 won, 0 lost)   won amount 0   open pipeline 0 (0 deals)   MQL→won median —');
    expect(text).toContain('First response (rep): median 17.5 min, p90 35.5 min (4 touched)');
    expect(text).toContain('Routing delay (ours): median 6.0 s, p90 9.2 s');
    expect(text).toContain('SLA adherence: first touch 40.0% (2/5), disposition 33.3% (1/3)');
    // Reason bars relative to the most frequent: 2 → 20 blocks, 1 → 10.
    expect(lines).toContain(`  bad_fit                 2  ${'█'.repeat(20)}`);
    expect(lines).toContain(`  no_budget               1  ${'█'.repeat(10)}`);
  });

  it('prints a table per group with --by', async () => {
    const { code, text } = await report(['--from', '2026-11-01', '--to', '2026-12-01', '--by', 'source']);
    expect(code).toBe(0);
    expect(text).toContain('By source:');
    const row = (name: string) =>
      text
        .split('\n')
        .find((l) => l.startsWith(name))
        ?.split(/\s{2,}/);
    expect(row('PAID_SEARCH')).toEqual(['PAID_SEARCH', '6', '6', '4', '1', '0', '100.0%', '66.7%', '25.0%', '—', '0', '17.5 min', '40.0%']);
    expect(row('ORGANIC_SEARCH')).toEqual(['ORGANIC_SEARCH', '3', '0', '0', '0', '0', '0.0%', '0.0%', '—', '—', '0', '—', '—']);
    expect(row('(not recorded)')?.slice(0, 2)).toEqual(['(not recorded)', '1']);
  });

  it('explains a refused window and a missing token, and shows usage', async () => {
    const refused = await report(['--from', '2026-12-01', '--to', '2026-11-01']);
    expect(refused.code).toBe(1);
    expect(refused.text).toBe('report: 400 invalid query parameters\n  to: to must be after from\n');
    const noToken = await report(['--from', '2026-11-01', '--to', '2026-12-01'], {});
    expect(noToken.code).toBe(2);
    expect(noToken.text).toMatch(/set ADMIN_TOKEN/);
    const usage = await report(['--from', '2026-11-01']);
    expect(usage.code).toBe(2);
    expect(usage.text).toMatch(/^usage: report --from/);
  });
});
