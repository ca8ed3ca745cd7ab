import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

/**
 * The layers of ARCHITECTURE.md, bottom first: a module may import its own top-level folder and any lower rank, never
 * a higher one, and no chain of imports may lead back to where it started. Reading the imports here keeps that true
 * without review effort.
 */
const RANKS: Record<string, number> = {
  core: 0,
  errors: 0,
  'free-port': 0,
  log: 1,
  store: 2,
  adapters: 2,
  simulators: 3,
  metrics: 3,
  kpis: 3,
  budgets: 4,
  jobs: 5,
  sandbox: 5,
  config: 6,
  http: 7,
  cli: 8,
  service: 9,
  main: 10,
};

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'static' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [relative(SRC, path)] : [];
  });
}

/** `jobs/handoff/x.ts` → `jobs`; `log.ts` → `log`. */
const folderOf = (file: string) => file.split('/')[0]!.replace(/\.ts$/, '');

function importsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  return [...text.matchAll(IMPORT)].map((match) => normalize(join(dirname(file), (match[1] ?? match[2])!)));
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((file) => [file, importsOf(file)]));

describe('layers', () => {
  it('knows the rank of every top-level folder and file of src/, and reads their imports', () => {
    // A reader that found no imports would pass every check below.
    expect([...graph.values()].flat().length).toBeGreaterThan(1_000);
    expect([...new Set(files.map(folderOf))].filter((folder) => RANKS[folder] === undefined)).toEqual([]);
  });

  it('has no import that runs up a layer', () => {
    const upward = [...graph].flatMap(([file, targets]) =>
      targets
        .filter((target) => folderOf(target) !== folderOf(file) && RANKS[folderOf(target)]! >= RANKS[folderOf(file)]!)
        .map((target) => `${file} → ${target}`),
    );
    expect(upward).toEqual([]);
  });

  it('keeps core pure: it imports only core and the typed errors', () => {
    const outside = [...graph]
      .filter(([file]) => folderOf(file) === 'core')
      .flatMap(([file, targets]) =>
        targets.filter((target) => !['core', 'errors'].includes(folderOf(target))).map((target) => `${file} → ${target}`),
      );
    expect(outside).toEqual([]);
  });

  it('has no import circle', () => {
    const state = new Map<string, 'open' | 'done'>();
    const circles: string[] = [];
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        circles.push([...path.slice(path.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const target of graph.get(file) ?? []) visit(target, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(circles).toEqual([]);
  });
});
