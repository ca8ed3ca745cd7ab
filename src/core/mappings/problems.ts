import type { z } from 'zod';

/** One thing wrong in a mappings file, said so a RevOps admin can find and fix it. */
export interface MappingProblem {
  file: string;
  /** Dotted path with indexes, e.g. `fit[2].points`; empty for the whole file. */
  path: string;
  message: string;
  /** 1-based line in the YAML source when known (syntax errors, or a path we could locate). */
  line?: number;
}

/** `['fit', 2, 'points']` → `fit[2].points`. */
function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** Every zod issue as a problem of `file` (zod already collects them all, not just the first). */
export function problemsFromZod(file: string, error: z.ZodError): MappingProblem[] {
  return error.issues.map((issue) => ({ file, path: formatPath(issue.path), message: issue.message }));
}

/** Outcome of parsing one file: the value, or every problem found. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: MappingProblem[] };
