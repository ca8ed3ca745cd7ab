import { beforeAll, describe, expect, it } from '@jest/globals';
import { runBacktestCommand } from '../../src/cli/backtest.ts';
import { lowerSmbThresholdFiles, seedFebruaryEvaluations } from '../support/backtest-seed.ts';
import { useConfigAdminServer } from '../support/config-admin-server.ts';

const TOKEN = 'backtest-cli-token';

describe('npm run backtest', () => {
  const admin = useConfigAdminServer(TOKEN);
  let draftId: string;

  const backtest = async (argv: string[], env: NodeJS.ProcessEnv = { ADMIN_TOKEN: TOKEN }) => {
    let text = '';
    const code = await runBacktestCommand({ argv: [...argv, '--url', admin.url], env, out: { write: (t: string) => (text += t) } });
    return { code, text, lines: text.split('\n') };
  };
  /** A table row split on its column gaps. */
  const row = (lines: string[], first: string) => lines.find((line) => line.startsWith(first))?.split(/\s{2,}/);

  beforeAll(async () => {
    const response = await fetch(`${admin.url}/api/config/versions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ files: lowerSmbThresholdFiles(), comment: 'SMB threshold 40' }),
    });
    draftId = ((await response.json()) as { id: string }).id;
    await seedFebruaryEvaluations(admin.db, admin.holder.current().mql);
  });

  // The people are described in seedFebruaryEvaluations.
  it('prints the comparison as tables', async () => {
    const { code, text, lines } = await backtest(['--version', draftId, '--from', '2026-02-01', '--to', '2026-03-01']);
    expect(code).toBe(0);
    expect(lines[0]).toMatch(
      new RegExp(`^Backtest of version ${draftId} \\(MQL 2025\\.2@\\w+\\) against the active version \\d+ \\(MQL 2025\\.1@\\w+\\)$`),
    );
    expect(lines[1]).toBe(
      'Contacts evaluated 2026-02-01 → 2026-03-01 (evaluation time, end exclusive): 4 (4 replayed, 0 past the retention or erased)',
    );
    expect(text).toContain('MQLs: active 2, draft 3; newly qualifying 1, no longer qualifying 0');
    expect(row(lines, 'MQL under both')).toEqual(['MQL under both', '2', '0', '0', '1', '0', '1', '50.0%', '50.0%', 'bad_fit 1']);
    expect(row(lines, 'draft only')).toEqual(['draft only', '1', '0', '1', '0', '0', '0', '100.0%', '—', '—']);
    expect(row(lines, 'h1')).toEqual(['h1', 'smb', '45', '45', 'sql']);
    expect(text).toContain('Segment SMB (4 contacts; threshold 40; best F1: SQL 45, won 53)');
    // At 40: h1 h2 h4 are MQLs; became SQL h1 h2 (yes), h4 (no) → precision 2/3, recall 1; won: h2 of h2 h4 → 1/2, 1.
    expect(row(lines, '40')).toEqual(['40', '3', '66.7%', '100.0%', '0.80', '50.0%', '100.0%', '0.67', 'current']);
    expect(row(lines, 'demo-request')).toEqual(['demo-request', 'fastTrack', '1', '33.3%', '0.0%', '0.00', '0.0%', '0.00']);
    expect(row(lines, 'competitor')?.at(-1)).toBe('never fires');
    expect(row(lines, '40–50')).toEqual(['40–50', '1', '1', '100.0%', '—']);
    expect(text).toContain('Objective: f1: the threshold with the highest F1');
  });

  it('explains a refusal, a missing token and its usage', async () => {
    const refused = await backtest(['--version', draftId, '--from', '2026-03-01', '--to', '2026-02-01']);
    expect(refused).toMatchObject({ code: 1, text: 'backtest: 400 invalid request body\n  to: to must be after from\n' });
    const missing = await backtest(['--version', '999999', '--from', '2026-02-01', '--to', '2026-03-01']);
    expect(missing).toMatchObject({ code: 1, text: 'backtest: 404 configuration version 999999 not found\n' });
    expect(await backtest(['--version', draftId, '--from', '2026-02-01', '--to', '2026-03-01'], {})).toMatchObject({ code: 2 });
    expect((await backtest(['--from', '2026-02-01'])).text).toMatch(/^usage: backtest --version ID/);
  });
});
