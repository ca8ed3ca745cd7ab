import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runImport } from '../../src/cli/import.ts';
import { getConfigVersion } from '../../src/store/config-versions.ts';
import type { FreshDatabase } from '../support/databases.ts';
import { shippedFiles } from '../unit/core/helpers.ts';
import { type ConfigAdminService, startConfigAdminService } from './support/config-admin-service.ts';

const TOKEN = 'test-admin-token-import-0123456789';
const files = shippedFiles();
let service: ConfigAdminService;
let fresh: FreshDatabase;
let server: { url: string; close: () => Promise<void> };
let activeId: string;
let workDir: string;

async function importWith(argv: string[], env: NodeJS.ProcessEnv = { ADMIN_TOKEN: TOKEN }) {
  let text = '';
  const code = await runImport({ argv, env, out: { write: (chunk: string) => (text += chunk) } });
  return { code, text, lines: text.trimEnd().split('\n') };
}

async function folderWith(name: string, contents: Record<string, string>): Promise<string> {
  const dir = join(workDir, name);
  await mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(contents)) await writeFile(join(dir, file), text, 'utf8');
  return dir;
}

beforeAll(async () => {
  service = await startConfigAdminService(TOKEN);
  ({ fresh, server, activeId } = service);
  workDir = await mkdtemp(join(tmpdir(), 'handoff-import-'));
});

afterAll(async () => {
  await service?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('import command over the admin API', () => {
  it('turns a mappings folder into a draft of the running service, found on PORT without --url', async () => {
    const edited = { ...files, 'sql-definition.yaml': `# reviewed in git\n${files['sql-definition.yaml']}` };
    const dir = await folderWith('edited', edited);
    const { code, lines } = await importWith([dir], { ADMIN_TOKEN: TOKEN, PORT: new URL(server.url).port });
    expect(code).toBe(0);
    const id = /draft version (\d+)/.exec(lines[0] ?? '')?.[1] ?? '';
    expect(lines).toEqual([
      `Imported ${dir} as draft version ${id} (${Object.keys(files).length} files); it passes the schema checks.`,
      `Review and publish it on the admin page (/admin) or POST /api/config/versions/${id}/publish.`,
    ]);
    const stored = await getConfigVersion(fresh.db, id);
    expect(stored).toMatchObject({ status: 'draft', files: edited, author: 'admin', comment: 'imported', basedOn: activeId });
  });

  it('keeps the --comment and --author and counts the problems of an invalid folder', async () => {
    const dir = await folderWith('invalid', { ...files, 'field-mapping.yaml': 'version: "x"\nfields: 12\n' });
    const { code, lines } = await importWith([dir, '--url', server.url, '--comment', 'PR 42', '--author', 'Dana Ops']);
    expect(code).toBe(0);
    expect(lines[0]).toMatch(/it has \d+ problem\(s\): fix them before publishing\.$/);
    const id = /draft version (\d+)/.exec(lines[0] ?? '')?.[1] ?? '';
    expect(await getConfigVersion(fresh.db, id)).toMatchObject({ comment: 'PR 42', author: 'Dana Ops' });
  });

  it('exits 1 with the missing file named when the folder is incomplete', async () => {
    const { 'sla-rules.yaml': _missing, ...rest } = files;
    const dir = await folderWith('incomplete', rest);
    const { code, text } = await importWith([dir, '--url', server.url]);
    expect(code).toBe(1);
    expect(text).toMatch(/^import: 400 .*\n {2}files\.sla-rules\.yaml: sla-rules\.yaml is missing/);
  });

  it('exits 2 without ADMIN_TOKEN, with bad arguments, or with no mappings file in the folder', async () => {
    const empty = await folderWith('empty', { 'README.md': '# nothing here\n' });
    expect(await importWith([empty, '--url', server.url], {})).toMatchObject({
      code: 2,
      text: "import: set ADMIN_TOKEN (the service's admin token)\n",
    });
    expect(await importWith([])).toMatchObject({
      code: 2,
      text: 'usage: import <dir> [--url http://127.0.0.1:3000] [--comment "why"] [--author "your name"]\n',
    });
    expect((await importWith([empty, '--comment'])).code).toBe(2);
    expect((await importWith([empty, 'second-dir'])).code).toBe(2);
    const none = await importWith([empty, '--url', server.url]);
    expect(none.code).toBe(2);
    expect(none.text).toMatch(/^import: no mappings file in /);
  });

  it('says the token was rejected when ADMIN_TOKEN is wrong', async () => {
    const dir = await folderWith('rejected', files);
    expect(await importWith([dir, '--url', server.url], { ADMIN_TOKEN: 'not-the-token' })).toMatchObject({
      code: 1,
      text: 'import: 401 admin token rejected (ADMIN_TOKEN must be the token the service runs with)\n',
    });
  });
});
