import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MAPPING_FILES } from '../core/mappings/bundle.ts';
import { validationReport, versionSummary } from '../http/admin/schemas.ts';
import { adminPost, adminTokenFrom, localServiceUrl } from './admin-api-client.ts';

/**
 * `node src/cli/import.ts <dir> [--url http://127.0.0.1:3000] [--comment "…"] [--author "name"]`: sends the mappings files of `dir`
 * (as kept in git) to a running service's admin API (ADMIN_TOKEN from the environment), which saves them as a new
 * draft to review and publish. Exit codes: 0 draft created, 1 refused or the service not reachable, 2 bad arguments,
 * ADMIN_TOKEN unset or no mappings file in `dir`.
 */
export const EXIT = { ok: 0, notImported: 1, usage: 2 } as const;

export interface RunImportOptions {
  argv: string[];
  env: NodeJS.ProcessEnv;
  out: { write(text: string): unknown };
}

const USAGE = 'usage: import <dir> [--url http://127.0.0.1:3000] [--comment "why"] [--author "your name"]\n';

const importedDraft = versionSummary.extend({ validation: validationReport.optional() });

export async function runImport({ argv, env, out }: RunImportOptions): Promise<number> {
  const args = parseArgs(argv);
  if (!args) {
    out.write(USAGE);
    return EXIT.usage;
  }
  const token = adminTokenFrom('import', env, out);
  if (!token) return EXIT.usage;
  const files = await readMappingsDir(args.dir);
  if (Object.keys(files).length === 0) {
    out.write(`import: no mappings file in ${args.dir} (expected ${Object.values(MAPPING_FILES).join(', ')})\n`);
    return EXIT.usage;
  }
  const target = { baseUrl: args.url ?? localServiceUrl(env), token, ...(args.author !== undefined ? { author: args.author } : {}) };
  const body = { files, ...(args.comment !== undefined ? { comment: args.comment } : {}) };
  const created = await adminPost(target, '/api/config/import', body, importedDraft);
  if (!created.ok) {
    out.write(`import: ${created.message}\n`);
    return EXIT.notImported;
  }
  const { id, validation } = created.body;
  const verdict =
    validation === undefined || validation.ok
      ? 'it passes the schema checks'
      : `it has ${validation.problems.length} problem(s): fix them before publishing`;
  out.write(`Imported ${args.dir} as draft version ${id} (${Object.keys(files).length} files); ${verdict}.\n`);
  out.write(`Review and publish it on the admin page (/admin) or POST /api/config/versions/${id}/publish.\n`);
  return EXIT.ok;
}

/** The mappings files present in `dir`; a file missing there is left for the service to name (or add, if added later). */
async function readMappingsDir(dir: string): Promise<Record<string, string>> {
  const names = Object.values(MAPPING_FILES);
  const texts = await Promise.all(names.map((name) => readFile(join(dir, name), 'utf8').catch(() => undefined)));
  return Object.fromEntries(names.flatMap((name, i) => (texts[i] === undefined ? [] : [[name, texts[i]]])));
}

const FLAGS = { '--url': 'url', '--comment': 'comment', '--author': 'author' } as const;
type Flags = Partial<Record<(typeof FLAGS)[keyof typeof FLAGS], string>>;

function parseArgs(argv: string[]): ({ dir: string } & Flags) | undefined {
  let dir: string | undefined;
  const flags: Flags = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const flag = FLAGS[arg as keyof typeof FLAGS];
    if (flag) {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) return undefined;
      flags[flag] = value;
    } else if (arg.startsWith('-') || dir !== undefined) return undefined;
    else dir = arg;
  }
  return dir === undefined ? undefined : { dir, ...flags };
}

if (import.meta.main) {
  process.exitCode = await runImport({ argv: process.argv.slice(2), env: process.env, out: process.stdout });
}
