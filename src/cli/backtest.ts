/**
 * `node src/cli/backtest.ts --version 12 --from 2026-01-01 --to 2026-04-01 [--url …]`: replays a draft's MQL definition
 * and the active one over the contacts evaluated in the period, through a running service's
 * POST /api/config/versions/:id/backtest (ADMIN_TOKEN from the environment), and prints the comparison as tables.
 */
import { type BacktestResult, backtestResult } from '../config/versions/backtest-schema.ts';
import { adminPost, adminTokenFrom, localServiceUrl } from './admin-api-client.ts';
import { flag } from './cli-flags.ts';
import { percent, ruleLiftCells, table, thresholdCells } from './text-format.ts';

export interface BacktestOptions {
  argv: string[];
  env: NodeJS.ProcessEnv;
  out: { write(text: string): unknown };
}

const USAGE = 'usage: backtest --version ID --from YYYY-MM-DD --to YYYY-MM-DD [--url http://127.0.0.1:3000]\n';

export async function runBacktestCommand({ argv, env, out }: BacktestOptions): Promise<number> {
  const version = flag(argv, 'version');
  const from = flag(argv, 'from');
  const to = flag(argv, 'to');
  const baseUrl = flag(argv, 'url') ?? localServiceUrl(env);
  if (!version || !from || !to) {
    out.write(USAGE);
    return 2;
  }
  const token = adminTokenFrom('backtest', env, out);
  if (!token) return 2;
  const answer = await adminPost(
    { baseUrl, token },
    `/api/config/versions/${encodeURIComponent(version)}/backtest`,
    { from, to },
    backtestResult,
  );
  if (!answer.ok) {
    out.write(`backtest: ${answer.message}\n`);
    return 1;
  }
  out.write(formatBacktest(answer.body));
  return 0;
}

export function formatBacktest(r: BacktestResult): string {
  const lines = [
    `Backtest of version ${r.versionId} (MQL ${r.definitions.draft}) against the active version ${r.activeVersionId} (MQL ${r.definitions.active})`,
    `Contacts evaluated ${r.from.slice(0, 10)} → ${r.to.slice(0, 10)} (evaluation time, end exclusive): ${r.contacts.evaluated}` +
      ` (${r.contacts.replayed} replayed, ${r.contacts.notReplayable} past the retention or erased)`,
    '',
    `MQLs: active ${r.mql.active}, draft ${r.mql.draft}; newly qualifying ${r.newlyQualifying.count}, no longer qualifying ${r.noLongerQualifying.count}`,
    '',
    'Outcomes by group (SQL rate: of those sales decided on; win rate: of those that ended; open ones count in neither)',
    ...table(
      ['group', 'contacts', 'open', 'SQL', 'won', 'lost', 'rejected', 'SQL rate', 'win rate', 'rejection reasons'],
      (
        [
          ['MQL under both', r.groups.both],
          ['active only', r.groups.activeOnly],
          ['draft only', r.groups.draftOnly],
        ] as const
      ).map(([name, g]) => [
        name,
        g.contacts,
        g.open,
        g.sql,
        g.won,
        g.lost,
        g.rejected,
        percent(g.sqlRate),
        percent(g.winRate),
        g.rejectionReasons.map((reason) => `${reason.reason} ${reason.count}`).join(', ') || '—',
      ]),
    ),
    ...changedList('Newly qualifying', r.newlyQualifying),
    ...changedList('No longer qualifying', r.noLongerQualifying),
  ];
  for (const segment of r.segments) {
    lines.push(
      '',
      `Segment ${segment.label} (${segment.contacts} contacts; threshold ${segment.currentThreshold}; best F1: SQL ${segment.best.sql ?? '—'}, won ${segment.best.won ?? '—'})`,
      ...table(
        ['threshold', 'MQL', 'SQL precision', 'recall', 'F1', 'won precision', 'recall', 'F1', ''],
        segment.thresholds.map((row) => [
          ...thresholdCells(row),
          [row.current ? 'current' : '', ...row.bestFor.map((label) => `best F1 (${label === 'sql' ? 'SQL' : 'won'})`)]
            .filter(Boolean)
            .join(', '),
        ]),
      ),
    );
  }
  const b = r.baseline;
  lines.push(
    '',
    `Rule lift against all ${b.contacts} draft MQLs (SQL rate ${percent(b.sqlRate)}, win rate ${percent(b.winRate)})`,
    ...table(
      ['rule', 'kind', 'fired', 'MQL share', 'SQL rate', 'lift', 'win rate', 'lift', 'flag'],
      r.rules.map((rule) => {
        const { kind, figures } = ruleLiftCells(rule);
        return [rule.ruleId, kind, ...figures, rule.flag === null ? '' : rule.flag.replaceAll('_', ' ')];
      }),
    ),
    '',
    'Draft score bands',
    ...table(
      ['band', 'contacts', 'MQL', 'SQL rate', 'win rate'],
      r.scoreBands.map((band) => [
        `${band.from}–${band.to}`,
        band.outcomes.contacts,
        band.mql,
        percent(band.outcomes.sqlRate),
        percent(band.outcomes.winRate),
      ]),
    ),
  );
  for (const p of r.coverage.notRecorded)
    lines.push('', `Note: ${p.property} was not recorded for ${p.contacts} contacts (replayed as empty).`);
  for (const p of r.coverage.domainOnly)
    lines.push(
      '',
      `Note: ${p.property} is kept as its domain only; the draft reads more of it for ${p.contacts} contacts (judged on the domain).`,
    );
  lines.push('', `Objective: ${r.objective}`);
  return `${lines.join('\n')}\n`;
}

function changedList(title: string, changes: BacktestResult['newlyQualifying']): string[] {
  if (changes.count === 0) return [];
  const shown = changes.truncated ? ` (the first ${changes.contacts.length} by draft score)` : '';
  return [
    '',
    `${title}${shown}`,
    ...table(
      ['contact', 'segment', 'active score', 'draft score', 'outcome'],
      changes.contacts.map((c) => [c.contactId, c.segmentId, c.activeScore, c.draftScore, c.status]),
    ),
  ];
}

if (import.meta.main) {
  process.exitCode = await runBacktestCommand({ argv: process.argv.slice(2), env: process.env, out: process.stdout });
}
