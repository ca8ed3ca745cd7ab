import { parseArgs } from 'node:util';
import { type CrashDatabase, formatReport, runCrashHarness } from './crash-harness.ts';

/**
 * npm run harness:crash -- --contacts 400 --kills 5 --database embedded [--duration 40] [--seed 123]
 * Runs the crash harness on the embedded PostgreSQL (its server killed too, every other kill), on a server through
 * DATABASE_URL, or both (`--database both`); exits 1 when any exactly-once figure fails.
 */
const { values } = parseArgs({
  options: {
    contacts: { type: 'string', default: '200' },
    kills: { type: 'string', default: '4' },
    database: { type: 'string', default: 'both' },
    duration: { type: 'string', default: '30' },
    seed: { type: 'string' },
    'max-batch': { type: 'string', default: '8' },
    concurrency: { type: 'string', default: '4' },
    help: { type: 'boolean', default: false },
  },
});

function positive(name: string, raw: string | undefined): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number ≥ 1 (got ${raw})`);
  return value;
}

async function main(): Promise<number> {
  if (values.help) {
    process.stdout.write(
      'usage: npm run harness:crash -- [--contacts N] [--kills N] [--database embedded|server|both] [--duration seconds] [--seed N] [--max-batch N] [--concurrency N]\n',
    );
    return 0;
  }
  const databases: CrashDatabase[] = ['embedded', 'server'];
  const chosen = values.database === 'both' ? databases : databases.filter((database) => database === values.database);
  if (chosen.length === 0) throw new Error(`--database must be embedded, server or both (got ${values.database})`);
  let failed = false;
  for (const database of chosen) {
    const report = await runCrashHarness({
      database,
      contacts: positive('contacts', values.contacts),
      kills: positive('kills', values.kills),
      durationMs: positive('duration', values.duration) * 1000,
      maxBatch: Math.min(100, positive('max-batch', values['max-batch'])),
      concurrency: positive('concurrency', values.concurrency),
      ...(values.seed ? { seed: positive('seed', values.seed) } : {}),
      log: (line) => process.stdout.write(`${line}\n`),
    });
    process.stdout.write(`${formatReport(report)}\n`);
    failed ||= !report.passed;
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(2);
  },
);
