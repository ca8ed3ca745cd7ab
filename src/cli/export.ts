import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, envSchema } from '../config/env.ts';
import { createLogger, type Logger } from '../log.ts';
import { activeConfigVersion, getConfigVersion, type ConfigVersionRow } from '../store/configVersions.ts';
import { lockDataDir } from '../store/data-dir-lock.ts';
import { openDatabase } from '../store/database.ts';

/**
 * `node src/cli/export.ts <dir> [--version <id>]`: writes the active (or the given) configuration
 * version's files from the database (DATABASE_URL, else the PGlite store in DATA_DIR) into `dir`, in the
 * mappings file format, so the version can be reviewed in git. Exit codes: 0 written, 1 no such version,
 * 2 bad arguments or configuration (including a PGlite store in use by a running service).
 */
export const EXIT = { ok: 0, notFound: 1, usage: 2 } as const;

export interface RunExportOptions {
  argv: string[];
  env: NodeJS.ProcessEnv;
  logger: Logger;
  out: { write(text: string): unknown };
}

const USAGE = 'usage: node src/cli/export.ts <dir> [--version <id>]\n';

export async function runExport(options: RunExportOptions): Promise<number> {
  const { out } = options;
  const args = parseArgs(options.argv);
  if (!args) {
    out.write(USAGE);
    return EXIT.usage;
  }
  let row: ConfigVersionRow | undefined;
  try {
    row = await readVersion(options.env, args.version, options.logger);
  } catch (error) {
    out.write(`export: cannot read the configuration.\n${(error as Error).message}\n`);
    return EXIT.usage;
  }
  if (!row) {
    out.write(args.version ? `export: no configuration version ${args.version}\n` : 'export: no active configuration version yet (the service seeds one at its first start)\n');
    return EXIT.notFound;
  }
  await mkdir(args.dir, { recursive: true });
  const names = Object.keys(row.files).sort();
  for (const name of names) await writeFile(join(args.dir, name), row.files[name] ?? '', 'utf8');
  out.write(`Exported version ${row.id} (${row.status}, by ${row.author}) to ${args.dir}:\n${names.map((n) => `  ${n}\n`).join('')}`);
  return EXIT.ok;
}

function parseArgs(argv: string[]): { dir: string; version?: string } | undefined {
  let dir: string | undefined;
  let version: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--version') {
      version = argv[++i];
      if (version === undefined) return undefined;
    } else if (arg.startsWith('-') || dir !== undefined) return undefined;
    else dir = arg;
  }
  return dir === undefined ? undefined : { dir, ...(version !== undefined ? { version } : {}) };
}

/** Opens the configured database read-only in spirit; a PGlite store is locked first, as the service does. */
async function readVersion(source: NodeJS.ProcessEnv, version: string | undefined, logger: Logger): Promise<ConfigVersionRow | undefined> {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  const env = parsed.data;
  const release = env.DATABASE_URL ? async () => undefined : await lockDataDir(env.DATA_DIR);
  try {
    const db = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, logger });
    try {
      return version !== undefined ? await getConfigVersion(db, version) : await activeConfigVersion(db);
    } finally {
      await db.close();
    }
  } finally {
    await release();
  }
}

if (import.meta.main) {
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn', process.stderr);
  process.exitCode = await runExport({ argv: process.argv.slice(2), env: process.env, logger, out: process.stdout });
}
