import { writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { reportRows, renderTable, TARGETS, type BenchResults } from './report.ts';
import { runBackfill } from './scenarios/backfill.ts';
import { runFeedback } from './scenarios/feedback.ts';
import { runHandoff } from './scenarios/handoff.ts';
import { runIngest } from './scenarios/ingest.ts';
import { parseOptions, type BenchOptions, type ScenarioName } from './support/options.ts';
import { HUBSPOT_BURST_LIMIT } from './support/world.ts';

/** Each scenario is one module: adding one is a line here and its rows in report.ts. */
const SCENARIO_RUNNERS: { [name in ScenarioName]: (options: BenchOptions) => Promise<NonNullable<BenchResults[name]>> } = {
  handoff: runHandoff,
  ingest: runIngest,
  feedback: runFeedback,
  backfill: runBackfill,
};

/** A whole run must finish; a wedged scenario fails the run instead of hanging it. */
const RUN_LIMIT_MS = 15 * 60_000;

async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const watchdog = setTimeout(() => {
    console.error(`bench: still running after ${RUN_LIMIT_MS / 60_000} minutes; giving up`);
    process.exit(3);
  }, RUN_LIMIT_MS);
  watchdog.unref();

  const startedAt = new Date();
  const results: BenchResults = {};
  for (const name of options.only) {
    const began = Date.now();
    console.log(`bench: ${name} (${options.profile}, ${options.engine}, ${options.latencyMs} ms per simulated API call)…`);
    (results as Record<string, unknown>)[name] = await SCENARIO_RUNNERS[name](options);
    console.log(`bench: ${name} done in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  }
  const rows = reportRows(results);
  console.log(`\n${renderTable(rows)}\n`);
  const document = {
    startedAt: startedAt.toISOString(),
    durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
    profile: options.profile,
    engine: options.engine,
    simulatedLatencyMsPerCall: options.latencyMs,
    hubspotRateLimit: HUBSPOT_BURST_LIMIT,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    targets: TARGETS,
    sizes: options.sizes,
    rows,
    results,
  };
  await writeFile(options.out, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`bench: results written to ${options.out}`);
}

main().catch((error: unknown) => {
  console.error('bench failed:', error);
  process.exit(1);
});
