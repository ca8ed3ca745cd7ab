import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runExport } from '../../src/cli/export.ts';
import { shippedFiles } from '../unit/core/helpers.ts';
import { type ConfigAdminService, startConfigAdminService } from './support/config-admin-service.ts';

const TOKEN = 'test-admin-token-export-0123456789';
const files = shippedFiles();
const editedSql = `# edited\n${files['sql-definition.yaml']}`;
let service: ConfigAdminService;
let server: { url: string; close: () => Promise<void> };
let activeId: string;
let draftId: string;
let workDir: string;

async function exportWith(argv: string[], env: NodeJS.ProcessEnv = { ADMIN_TOKEN: TOKEN }) {
  let text = '';
  const code = await runExport({ argv, env, out: { write: (chunk: string) => (text += chunk) } });
  return { code, text, lines: text.trimEnd().split('\n') };
}

beforeAll(async () => {
  service = await startConfigAdminService(TOKEN);
  ({ server, activeId } = service);
  draftId = (await service.versions.createDraft({ files: { ...files, 'sql-definition.yaml': editedSql }, author: 'ana', comment: '' })).id;
  workDir = await mkdtemp(join(tmpdir(), 'handoff-export-'));
});

afterAll(async () => {
  await service?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('export command over the admin API', () => {
  it('writes the active version of the running service, found on PORT without --url', async () => {
    const dir = join(workDir, 'active');
    const { code, lines } = await exportWith([dir], { ADMIN_TOKEN: TOKEN, PORT: new URL(server.url).port });
    expect(code).toBe(0);
    const names = Object.keys(files).sort();
    expect(lines).toEqual([`Exported version ${activeId} (active, by seed) to ${dir}:`, ...names.map((name) => `  ${name}`)]);
    for (const [name, text] of Object.entries(files)) expect(await readFile(join(dir, name), 'utf8')).toBe(text);
  });

  it('writes the version given with --version', async () => {
    const dir = join(workDir, 'draft');
    const { code, lines } = await exportWith([dir, '--version', draftId, '--url', server.url]);
    expect(code).toBe(0);
    expect(lines[0]).toBe(`Exported version ${draftId} (draft, by ana) to ${dir}:`);
    expect(await readFile(join(dir, 'sql-definition.yaml'), 'utf8')).toBe(editedSql);
  });

  it('exits 1 for an unknown version and writes nothing', async () => {
    const dir = join(workDir, 'unknown');
    expect(await exportWith([dir, '--version', '999', '--url', server.url])).toMatchObject({
      code: 1,
      text: 'export: no configuration version 999\n',
    });
    await expect(readdir(dir)).rejects.toThrow(/ENOENT/);
  });

  it('exits 2 without ADMIN_TOKEN or with bad arguments', async () => {
    expect(await exportWith([workDir, '--url', server.url], {})).toMatchObject({
      code: 2,
      text: "export: set ADMIN_TOKEN (the service's admin token)\n",
    });
    expect(await exportWith([])).toMatchObject({ code: 2, text: 'usage: export <dir> [--version <id>] [--url http://127.0.0.1:3000]\n' });
    expect((await exportWith([workDir, '--version'])).code).toBe(2);
    expect((await exportWith([workDir, '--url', '--version', draftId])).code).toBe(2);
    expect((await exportWith([workDir, 'second-dir'])).code).toBe(2);
  });

  it('says the token was rejected when ADMIN_TOKEN is wrong', async () => {
    const result = await exportWith([join(workDir, 'rejected'), '--url', server.url], { ADMIN_TOKEN: 'not-the-token' });
    expect(result).toMatchObject({
      code: 1,
      text: 'export: 401 admin token rejected (ADMIN_TOKEN must be the token the service runs with)\n',
    });
  });

  it('exits 1 when nothing listens at --url', async () => {
    const closedUrl = await urlOfClosedLoopbackPort();
    const { code, text } = await exportWith([join(workDir, 'unreachable'), '--url', closedUrl]);
    expect(code).toBe(1);
    expect(text).toBe(`export: cannot reach ${closedUrl}: connect ECONNREFUSED ${closedUrl.slice('http://'.length)}\n`);
  });

  it('refuses an answer whose file names would leave the directory', async () => {
    const dir = join(workDir, 'contained');
    const impostor = await answerEveryGetWith({
      id: '7',
      status: 'active',
      author: 'x',
      comment: '',
      createdAt: '',
      publishedAt: null,
      publishedBy: null,
      basedOn: null,
      versions: null,
      files: { '../escaped.yaml': 'a: 1\n' },
    });
    try {
      const { code, text } = await exportWith([dir, '--url', impostor.url]);
      expect(code).toBe(1);
      expect(text).toContain('\n  files.../escaped.yaml: Invalid key in record\n');
      await expect(readdir(workDir)).resolves.not.toContain('escaped.yaml');
    } finally {
      await impostor.close();
    }
  });
});

describe('export command source', () => {
  it('never imports the store, so it cannot open or lock the database', async () => {
    const reached = await relativeImportsOf(fileURLToPath(new URL('../../src/cli/export.ts', import.meta.url)));
    const storeDir = fileURLToPath(new URL('../../src/store/', import.meta.url));
    expect([...reached].filter((file) => file.startsWith(storeDir))).toEqual([]);
    expect(reached.size).toBeGreaterThan(1);
  });
});

/** Every file reachable from `entry` through relative imports (type-only ones too: stricter than needed). */
async function relativeImportsOf(entry: string, seen = new Set<string>()): Promise<Set<string>> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const source = await readFile(entry, 'utf8');
  for (const match of source.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
    await relativeImportsOf(resolve(dirname(entry), match[1] ?? ''), seen);
  }
  return seen;
}

/** A loopback URL where nothing listens: a port just bound and released. */
async function urlOfClosedLoopbackPort(): Promise<string> {
  const probe: Server = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((done) => probe.close(() => done()));
  return `http://127.0.0.1:${port}`;
}

/** Something else at --url: a loopback server answering every request with the same JSON. */
async function answerEveryGetWith(body: unknown): Promise<{ url: string; close: () => Promise<void> }> {
  const impostor = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
  await new Promise<void>((done) => impostor.listen(0, '127.0.0.1', done));
  const { port } = impostor.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((done) => impostor.close(() => done())) };
}
