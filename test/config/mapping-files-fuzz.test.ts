import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { type Document, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { validateMappingFiles } from '../../src/config/mappings.ts';
import { useConfigAdminServer } from '../support/config-admin-server.ts';
import { shippedFiles } from '../unit/core/helpers.ts';

/**
 * Broken mapping files must be refused with the file and path of every problem, and must never change what
 * the service runs on. The files are damaged at random places through the admin API, as an admin's typo would.
 */
const TOKEN = 'fuzz-mappings-admin-token-0123456789';
const seed = shippedFiles();
const fileNames = Object.keys(seed).sort();

/** Every path to a scalar in a YAML document (keys and indexes), so a damage can aim anywhere. */
function scalarPaths(node: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (isMap(node))
    return node.items.flatMap((pair) => scalarPaths(pair.value, [...prefix, String(isScalar(pair.key) ? pair.key.value : pair.key)]));
  if (isSeq(node)) return node.items.flatMap((item, index) => scalarPaths(item, [...prefix, index]));
  return prefix.length > 0 ? [prefix] : [];
}

type Damage =
  | { kind: 'replace'; file: number; at: number; value: unknown }
  | { kind: 'delete'; file: number; at: number }
  | { kind: 'text'; file: number; offset: number; junk: string }
  | { kind: 'truncate'; file: number; keep: number };

const wrongValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double({ noNaN: false }),
  fc.string({ maxLength: 30 }),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);
const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), file: fc.nat(), at: fc.nat(), value: wrongValue }),
  fc.record({ kind: fc.constant('delete' as const), file: fc.nat(), at: fc.nat() }),
  fc.record({
    kind: fc.constant('text' as const),
    file: fc.nat(),
    offset: fc.nat(),
    junk: fc.constantFrom(': :', '\t', '- [', '{', '"', '  x: 1', '&a *b', '\u0000'),
  }),
  fc.record({ kind: fc.constant('truncate' as const), file: fc.nat(), keep: fc.nat() }),
);

function applyDamage(files: Record<string, string>, change: Damage): { files: Record<string, string>; file: string } {
  const file = fileNames[change.file % fileNames.length] as string;
  const text = files[file] as string;
  let damaged: string;
  if (change.kind === 'text') {
    const at = change.offset % (text.length + 1);
    damaged = text.slice(0, at) + change.junk + text.slice(at);
  } else if (change.kind === 'truncate') {
    damaged = text.slice(0, change.keep % Math.max(1, text.length));
  } else {
    const doc: Document = parseDocument(text);
    const paths = scalarPaths(doc.contents);
    const path = paths[change.at % Math.max(1, paths.length)];
    // An earlier damage may have broken the YAML itself: it stays broken as it is.
    if (doc.errors.length > 0 || !path) return { files, file };
    if (change.kind === 'replace') doc.setIn(path, change.value);
    else doc.deleteIn(path);
    damaged = doc.toString();
  }
  return { files: { ...files, [file]: damaged }, file };
}

describe('damaged mapping files through the admin API', () => {
  const admin = useConfigAdminServer(TOKEN);

  // The admin API allows 600 requests a minute per client; each run speaks as another client behind the
  // loopback proxy the app trusts, so the fuzzing measures validation, not the request budget.
  let client = 0;
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${admin.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/json',
        'x-forwarded-for': `10.9.${(client >> 8) & 255}.${client & 255}`,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json()) as any };
  };

  it('refuses every broken version with the file and path of each problem; the active version never changes', async () => {
    const before = await api('GET', '/api/config/active');
    expect(before.status).toBe(200);
    let refused = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(damage, { minLength: 1, maxLength: 3 }), async (changes) => {
        client += 1;
        let files = { ...seed };
        const touched = new Set<string>();
        for (const change of changes) {
          const next = applyDamage(files, change);
          files = next.files;
          touched.add(next.file);
        }
        const draft = await api('POST', '/api/config/versions', { files, comment: 'fuzzed edit' });
        if (draft.status === 400) {
          // Text no YAML may hold (a control character) is refused before it is stored, naming the file.
          refused += 1;
          const paths = (draft.json.error.details as { path: string }[]).map((problem) => problem.path);
          expect(paths.some((path) => [...touched].some((file) => path === `body.files.${file}` || path === `files.${file}`))).toBe(true);
          expect((await api('GET', '/api/config/active')).json.files).toEqual(before.json.files);
          return;
        }
        expect(draft.status).toBe(201);
        const report = await api('POST', `/api/config/versions/${draft.json.id}/validate`, { live: false });
        expect(report.status).toBe(200);
        const published = await api('POST', `/api/config/versions/${draft.json.id}/publish`, {});
        if (report.json.ok) {
          // Some damage is harmless (a label changed to another string): it publishes, and we restore the seed.
          expect(published.status).toBe(200);
          accepted += 1;
          const restored = await api('POST', `/api/config/versions/${before.json.id}/rollback`, { comment: 'restore the seed' });
          expect(restored.status).toBe(200);
          return;
        }
        refused += 1;
        expect(published.status).toBe(422);
        expect(published.json.error.code).toBe('invalid_version');
        const problems = (published.json.error.details as { problems: { file: string; path: string; message: string }[] }).problems;
        expect(problems.length).toBeGreaterThan(0);
        for (const problem of problems) {
          expect(touched.has(problem.file) || fileNames.includes(problem.file)).toBe(true);
          expect(typeof problem.path).toBe('string');
          expect(problem.message.length).toBeGreaterThan(0);
        }
        // At least one problem names a file that was damaged.
        expect(problems.some((problem) => touched.has(problem.file))).toBe(true);
        const active = await api('GET', '/api/config/active');
        expect(active.json.files).toEqual(before.json.files);
        expect(active.json.status).toBe('active');
      }),
      { numRuns: 300 },
    );
    await admin.holder.refresh();
    // The service runs on the seed's content: no broken version ever reached it.
    const seedBundle = validateMappingFiles(seed);
    if (!seedBundle.ok) throw new Error('the shipped mappings must parse');
    expect(admin.holder.current().versions).toEqual(seedBundle.value.versions);
    expect(refused).toBeGreaterThan(200);
    process.stdout.write(`${refused} broken versions refused, ${accepted} harmless ones published and rolled back\n`);
  }, 240_000);
});
