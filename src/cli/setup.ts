import { createHubSpotAdapter } from '../adapters/hubspot/adapter.ts';
import { ensureHubSpotSetup, type SetupReport } from '../adapters/hubspot/setup.ts';
import type { RetryPolicy } from '../adapters/retry.ts';
import { ConfigError, envSchema } from '../config/env.ts';
import { loadMappings } from '../config/mappings.ts';
import type { HubSpotSetupSpec } from '../core/setup-spec.ts';
import { createLogger, type Logger } from '../log.ts';

/**
 * `node src/cli/setup.ts`: creates, idempotently, the HubSpot custom properties and MANUAL lists the
 * mappings name, and prints what it created, found, and could not fix. Exit codes: 0 all in place,
 * 1 problems remain or HubSpot failed, 2 the configuration (environment or mappings) is invalid.
 */
export const EXIT = { ok: 0, problems: 1, config: 2 } as const;

export interface RunSetupOptions {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  out: { write(text: string): unknown };
  /** Where the spec comes from; defaults to the mappings in MAPPINGS_DIR. */
  loadSpec?: (mappingsDir: string) => Promise<HubSpotSetupSpec>;
  retryPolicy?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
}

export async function runSetup(options: RunSetupOptions): Promise<number> {
  const { out } = options;
  let config: { accessToken: string; baseUrl: string; mappingsDir: string };
  let spec: HubSpotSetupSpec;
  try {
    config = hubspotConfig(options.env);
    spec = await (options.loadSpec ?? specFromMappings)(config.mappingsDir);
  } catch (error) {
    out.write(`setup: cannot start.\n${(error as Error).message}\n`);
    return EXIT.config;
  }
  const port = createHubSpotAdapter({ ...config, logger: options.logger, retryPolicy: options.retryPolicy, sleep: options.sleep });
  try {
    const report = await ensureHubSpotSetup(port, spec);
    out.write(formatSetupReport(report));
    return report.problems.length > 0 ? EXIT.problems : EXIT.ok;
  } catch (error) {
    out.write(`setup: HubSpot failed, nothing more was done.\n${(error as Error).message}\n`);
    return EXIT.problems;
  }
}

/**
 * Setup talks to HubSpot only, so it reads the service's one env schema but asks just for the HubSpot
 * settings; parseEnv's live-mode rule would also demand Salesforce credentials it never uses.
 */
export function hubspotConfig(source: NodeJS.ProcessEnv): { accessToken: string; baseUrl: string; mappingsDir: string } {
  const parsed = envSchema.safeParse(source);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  if (parsed.success && parsed.data.HUBSPOT_ACCESS_TOKEN === undefined) problems.push('HUBSPOT_ACCESS_TOKEN: required by setup');
  if (!parsed.success || parsed.data.HUBSPOT_ACCESS_TOKEN === undefined) throw new ConfigError(problems);
  return { accessToken: parsed.data.HUBSPOT_ACCESS_TOKEN, baseUrl: parsed.data.HUBSPOT_BASE_URL, mappingsDir: parsed.data.MAPPINGS_DIR };
}

async function specFromMappings(dir: string): Promise<HubSpotSetupSpec> {
  return (await loadMappings(dir)).hubspotSetup;
}

/** A report for people: one section per kind, then the problems, then a one-line verdict. */
export function formatSetupReport(report: SetupReport): string {
  const lines: string[] = ['HubSpot setup'];
  const section = (title: string, items: string[]) => {
    lines.push(`  ${title}: ${items.length === 0 ? 'none' : ''}`.trimEnd());
    for (const item of items) lines.push(`    - ${item}`);
  };
  const list = (ref: { name: string; listId: string }) => `${ref.name} (list ${ref.listId})`;
  section('properties created', report.properties.created);
  section('properties found', report.properties.found);
  section('lists created', report.lists.created.map(list));
  section('lists found', report.lists.found.map(list));
  section('problems', report.problems);
  lines.push(
    report.problems.length === 0
      ? 'Everything the mappings need is in place.'
      : `${report.problems.length} problem(s) need an admin in HubSpot.`,
  );
  return `${lines.join('\n')}\n`;
}

if (import.meta.main) {
  const logger = createLogger(process.env.LOG_LEVEL ?? 'info', process.stderr);
  process.exitCode = await runSetup({ env: process.env, logger, out: process.stdout });
}
