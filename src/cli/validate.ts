import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RetryPolicy } from '../adapters/retry.ts';
import type { ConfigProblem } from '../config/versions/config-versions-port.ts';
import { checkSchema, formatProblem } from '../config/versions/files.ts';
import { liveSystemsFromEnv } from '../config/versions/live-systems.ts';
import { type LiveSystems, liveProblems } from '../config/versions/live-validation.ts';
import { MAPPING_FILES } from '../core/mappings/bundle.ts';
import { createLogger, type Logger } from '../log.ts';

/**
 * `node src/cli/validate.ts [dir] [--live]`: checks a mappings directory (default MAPPINGS_DIR or
 * ./mappings) and, with --live, against HubSpot and Salesforce using the environment's credentials.
 * Prints every problem as `file:line path — message`. Exit codes: 0 valid, 1 problems, 2 cannot start
 * (bad arguments or missing credentials), so an admin's CI fails on anything but 0.
 */
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;

export interface RunValidateOptions {
  argv: string[];
  env: NodeJS.ProcessEnv;
  logger: Logger;
  out: { write(text: string): unknown };
  /** The systems to check against with --live; by default adapters built from `env`. */
  systems?: LiveSystems;
  retryPolicy?: RetryPolicy;
}

const USAGE = 'usage: node src/cli/validate.ts [mappings-dir] [--live]\n';

export async function runValidate(options: RunValidateOptions): Promise<number> {
  const { out } = options;
  const args = parseArgs(options.argv);
  if (!args) {
    out.write(USAGE);
    return EXIT.usage;
  }
  const dir = args.dir ?? options.env.MAPPINGS_DIR ?? './mappings';
  const { files, missing } = await readDir(dir);
  const schema = checkSchema(files);
  // A missing file is said once, with the directory, not again as "file is missing".
  const problems: ConfigProblem[] = [...missing, ...schema.problems.filter((p) => !missing.some((m) => m.file === p.file))];
  if (args.live && schema.ok) {
    let systems: LiveSystems;
    try {
      systems =
        options.systems ??
        liveSystemsFromEnv(options.env, {
          logger: options.logger,
          leadExternalIdField: schema.bundle.fieldMapping.salesforce.externalIdField,
          ...(options.retryPolicy ? { retryPolicy: options.retryPolicy } : {}),
        });
    } catch (error) {
      out.write(`validate --live: cannot start.\n${(error as Error).message}\n`);
      return EXIT.usage;
    }
    try {
      problems.push(...(await liveProblems(schema.bundle, files, systems)));
    } finally {
      systems.close?.();
    }
  }
  for (const problem of problems) out.write(`${formatProblem(problem)}\n`);
  out.write(`${summary(dir, problems.length, args.live, schema.ok)}\n`);
  return problems.length === 0 ? EXIT.ok : EXIT.problems;
}

function parseArgs(argv: string[]): { dir?: string; live: boolean } | undefined {
  let dir: string | undefined;
  let live = false;
  for (const arg of argv) {
    if (arg === '--live') live = true;
    else if (arg.startsWith('-') || dir !== undefined) return undefined;
    else dir = arg;
  }
  return { ...(dir !== undefined ? { dir } : {}), live };
}

async function readDir(dir: string): Promise<{ files: Record<string, string>; missing: ConfigProblem[] }> {
  const files: Record<string, string> = {};
  const missing: ConfigProblem[] = [];
  for (const name of Object.values(MAPPING_FILES)) {
    try {
      files[name] = await readFile(join(dir, name), 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      missing.push({
        file: name,
        path: '',
        source: 'schema',
        message: code === 'ENOENT' ? `file not found in ${dir}` : `cannot read: ${code ?? String(error)}`,
      });
    }
  }
  return { files, missing };
}

function summary(dir: string, count: number, live: boolean, schemaOk: boolean): string {
  if (count > 0) {
    const skipped = live && !schemaOk ? ' (live checks skipped until the files pass schema validation)' : '';
    return `${count} problem${count === 1 ? '' : 's'} in ${dir}${skipped}`;
  }
  return `${dir}: valid${live ? ', and consistent with HubSpot and Salesforce' : ''}`;
}

if (import.meta.main) {
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn', process.stderr);
  process.exitCode = await runValidate({ argv: process.argv.slice(2), env: process.env, logger, out: process.stdout });
}
