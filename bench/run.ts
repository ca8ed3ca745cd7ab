import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { type BenchResults, MEMORY_LEGEND, reportRows, TARGETS } from './report.ts';
import { runBackfill } from './scenarios/backfill.ts';
import { runBacktestScenario } from './scenarios/backtest.ts';
import { runChanges } from './scenarios/changes.ts';
import { runFeedback } from './scenarios/feedback.ts';
import { runHandoff } from './scenarios/handoff.ts';
import { runIngest } from './scenarios/ingest.ts';
import { runNotify } from './scenarios/notify.ts';
import { runRedact } from './scenarios/redact.ts';
import { runStartup } from './scenarios/startup.ts';
import { type BenchOptions, parseOptions, type ScenarioName, type ServiceUnderTest } from './support/options.ts';
import { compareRows, renderComparison, renderTable } from './support/table.ts';
import { HUBSPOT_BURST_LIMIT } from './support/world.ts';

/** Each scenario is one module: adding one is a line here and its rows in report.ts. */
const SCENARIO_RUNNERS: { [name in ScenarioName]: (options: BenchOptions) => Promise<NonNullable<BenchResults[name]>> } = {
  startup: runStartup,
  handoff: runHandoff,
  ingest: runIngest,
  feedback: runFeedback,
  changes: runChanges,
  backfill: runBackfill,
  redact: runRedact,
  notify: runNotify,
  backtest: runBacktestScenario,
};

/** A whole run must finish (15 minutes per side measured); a wedged scenario fails the run instead of hanging it. */
const RUN_LIMIT_PER_SIDE_MS = 15 * 60_000;

async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const sides: ServiceUnderTest[] = [
    ...(options.baselineDir ? [{ side: 'baseline' as const, root: options.baselineDir }] : []),
    options.service,
  ];
  const runLimitMs = RUN_LIMIT_PER_SIDE_MS * sides.length;
  const watchdog = setTimeout(() => {
    console.error(`bench: still running after ${runLimitMs / 60_000} minutes; giving up`);
    process.exit(3);
  }, runLimitMs);
  watchdog.unref();

  const startedAt = new Date();
  // Wall-clock figures depend on what else runs on the machine: the load average before and after tells.
  const loadAtStart = loadavg();
  const results: Record<ServiceUnderTest['side'], BenchResults> = { baseline: {}, current: {} };
  // Each scenario runs for both sides before the next, so both see the machine in about the same state.
  for (const name of options.only) {
    for (const service of sides) {
      const began = Date.now();
      console.log(
        `bench: ${name}, ${service.side} service (${options.profile}, ${options.engine}, ${options.latencyMs} ms per simulated API call)…`,
      );
      (results[service.side] as Record<string, unknown>)[name] = await SCENARIO_RUNNERS[name]({ ...options, service });
      console.log(`bench: ${name}, ${service.side} done in ${((Date.now() - began) / 1000).toFixed(1)} s`);
    }
  }
  const rows = reportRows(results.current, options.engine);
  const baselineRows = options.baselineDir ? reportRows(results.baseline, options.engine) : undefined;
  const comparison = baselineRows ? compareRows(baselineRows, rows) : undefined;
  console.log(`\n${comparison ? renderComparison(comparison) : renderTable(rows)}\n\n${MEMORY_LEGEND.join('\n')}`);
  console.log(
    `load average (1, 5, 15 min) at start ${loadAtStart.map((load) => load.toFixed(1)).join(', ')}, at end ${loadavg()
      .map((load) => load.toFixed(1))
      .join(', ')} on ${cpus().length} cores\n`,
  );
  const document = {
    startedAt: startedAt.toISOString(),
    durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
    profile: options.profile,
    engine: options.engine,
    simulatedLatencyMsPerCall: options.latencyMs,
    hubspotRateLimit: HUBSPOT_BURST_LIMIT,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      loadAverage1m5m15m: { atStart: loadAtStart, atEnd: loadavg() },
    },
    commit: commitOf(options.service.root),
    targets: TARGETS,
    memoryLegend: MEMORY_LEGEND,
    sizes: options.sizes,
    rows,
    results: results.current,
    ...(options.baselineDir && baselineRows
      ? {
          baseline: { dir: options.baselineDir, commit: commitOf(options.baselineDir), rows: baselineRows, results: results.baseline },
          comparison,
        }
      : {}),
  };
  await writeFile(options.out, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`bench: results written to ${options.out}`);
}

/** The checkout's commit, marked when it has uncommitted changes; 'unknown' outside git. */
function commitOf(dir: string): string {
  try {
    const head = execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', dir, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head} (with uncommitted changes)` : head;
  } catch {
    return 'unknown';
  }
}

main().catch((error: unknown) => {
  console.error('bench failed:', error);
  process.exit(1);
});
