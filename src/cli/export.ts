import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { exportFiles, MAPPING_FILE_NAME, versionSummary } from '../http/admin/schemas.ts';
import { adminGet, adminTokenFrom, localServiceUrl } from './admin-api-client.ts';

/**
 * `node src/cli/export.ts <dir> [--version <id>] [--url http://127.0.0.1:3000]`: writes the active (or the given)
 * configuration version's files into `dir`, in the mappings file format, so the version can be reviewed in git.
 * Read from a running service's admin API (ADMIN_TOKEN from the environment), never from the database, so it
 * works while the service holds the embedded store. Exit codes: 0 written, 1 no such version or the service
 * not reachable, 2 bad arguments or ADMIN_TOKEN unset.
 */
export const EXIT = { ok: 0, notRead: 1, usage: 2 } as const;

export interface RunExportOptions {
  argv: string[];
  env: NodeJS.ProcessEnv;
  out: { write(text: string): unknown };
}

const USAGE = 'usage: export <dir> [--version <id>] [--url http://127.0.0.1:3000]\n';

/** The names become paths under `dir`, so each must be a plain mapping file name. */
const exportedFiles = exportFiles.extend({
  files: z.record(z.string().regex(MAPPING_FILE_NAME, 'must be a mapping file name like field-mapping.yaml'), z.string()),
});

export async function runExport({ argv, env, out }: RunExportOptions): Promise<number> {
  const args = parseArgs(argv);
  if (!args) {
    out.write(USAGE);
    return EXIT.usage;
  }
  const token = adminTokenFrom('export', env, out);
  if (!token) return EXIT.usage;
  const target = { baseUrl: args.url ?? localServiceUrl(env), token };

  // The version's own record names it (id, status, author); the export route gives its files.
  const versionPath = args.version === undefined ? '/api/config/active' : `/api/config/versions/${encodeURIComponent(args.version)}`;
  const version = await adminGet(target, versionPath, versionSummary);
  if (!version.ok) {
    out.write(
      version.status === 404 && args.version !== undefined
        ? `export: no configuration version ${args.version}\n`
        : `export: ${version.message}\n`,
    );
    return EXIT.notRead;
  }
  const { id, status, author } = version.body;
  const exported = await adminGet(target, `/api/config/versions/${encodeURIComponent(id)}/export`, exportedFiles);
  if (!exported.ok) {
    out.write(`export: ${exported.message}\n`);
    return EXIT.notRead;
  }

  const { files } = exported.body;
  await mkdir(args.dir, { recursive: true });
  const names = Object.keys(files).sort();
  for (const name of names) await writeFile(join(args.dir, name), files[name] ?? '', 'utf8');
  out.write(`Exported version ${id} (${status}, by ${author}) to ${args.dir}:\n${names.map((n) => `  ${n}\n`).join('')}`);
  return EXIT.ok;
}

function parseArgs(argv: string[]): { dir: string; version?: string; url?: string } | undefined {
  let dir: string | undefined;
  const flags: { version?: string; url?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--version' || arg === '--url') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) return undefined;
      flags[arg === '--version' ? 'version' : 'url'] = value;
    } else if (arg.startsWith('-') || dir !== undefined) return undefined;
    else dir = arg;
  }
  return dir === undefined ? undefined : { dir, ...flags };
}

if (import.meta.main) {
  process.exitCode = await runExport({ argv: process.argv.slice(2), env: process.env, out: process.stdout });
}
