import { LineCounter, parseDocument } from 'yaml';
import { FILES_ADDED_LATER, MAPPING_FILES, MAPPING_ROLES, type MappingRole, type MappingsBundle } from '../../core/mappings/bundle.ts';
import { ValidationError, type ValidationProblem } from '../../errors.ts';
import { refusedYamlProblems, validateMappingFiles } from '../mappings.ts';
import type { ConfigProblem } from './config-versions-port.ts';

const FILE_NAMES: readonly string[] = Object.values(MAPPING_FILES);

/**
 * A version holds exactly the mappings files: every one present (as text), nothing else, and none whose YAML expands
 * past the alias limit (an unfinished draft is saved with its problems; an alias bomb is refused).
 */
export function checkFileSet(files: Record<string, unknown>): void {
  const problems: ValidationProblem[] = [];
  const addedLater: readonly string[] = Object.keys(FILES_ADDED_LATER).map((role) => MAPPING_FILES[role as MappingRole]);
  for (const name of FILE_NAMES) {
    // A file set from before a file existed is complete without it (see FILES_ADDED_LATER).
    if (files[name] === undefined && addedLater.includes(name)) continue;
    if (typeof files[name] !== 'string')
      problems.push({ path: `files.${name}`, file: name, message: `${name} is missing: a version needs all of ${FILE_NAMES.join(', ')}` });
  }
  for (const name of Object.keys(files)) {
    if (!FILE_NAMES.includes(name))
      problems.push({
        path: `files.${name}`,
        file: name,
        message: `${name} is not a mappings file; expected one of ${FILE_NAMES.join(', ')}`,
      });
  }
  if (problems.length > 0)
    throw new ValidationError(`the version's files are incomplete: ${problems.map((p) => p.path).join(', ')}`, problems);
  const texts = Object.fromEntries(Object.entries(files).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  const refused = refusedYamlProblems(texts).map((p) => ({ ...p, path: `files.${p.file}` }));
  if (refused.length > 0)
    throw new ValidationError(`refused: ${refused.map((p) => `${p.path} (line ${p.line ?? '?'}): ${p.message}`).join('; ')}`, refused);
}

export type SchemaCheck = { ok: true; bundle: MappingsBundle; problems: [] } | { ok: false; problems: ConfigProblem[] };

/** Schema problems of the files (zod and YAML), each with its line where known. */
export function checkSchema(files: Record<string, string>): SchemaCheck {
  const result = validateMappingFiles(files);
  if (result.ok) return { ok: true, bundle: result.value, problems: [] };
  return { ok: false, problems: result.problems.map((p) => ({ ...p, source: 'schema' })) };
}

/** Each file's `${version}@${hash7}`, keyed by file name (the bundle keys them by role). */
export function versionsByFile(bundle: MappingsBundle): Record<string, string> {
  return Object.fromEntries(MAPPING_ROLES.map((role) => [MAPPING_FILES[role], bundle.versions[role]]));
}

/**
 * Finds the 1-based line of `path` (e.g. `fields[3].salesforce`) in a YAML text, or of its deepest
 * existing parent, so a problem found against the live systems points where the admin must edit.
 */
function lineOf(text: string | undefined, path: string): number | undefined {
  if (text === undefined) return undefined;
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  const keys = [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : (m[1] ?? '')));
  for (let depth = keys.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(keys.slice(0, depth), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return counter.linePos(range[0]).line;
  }
  return undefined;
}

/** Adds lines to problems from the given files (problems that already have one keep it). */
export function withLines(problems: ConfigProblem[], files: Record<string, string>): ConfigProblem[] {
  return problems.map((p) => {
    if (p.line !== undefined) return p;
    const line = lineOf(files[p.file], p.path);
    return line === undefined ? p : { ...p, line };
  });
}

/** `file:line path — message`, the one-line form the CLI prints and CI logs show. */
export function formatProblem(p: ConfigProblem): string {
  const where = `${p.file}${p.line !== undefined ? `:${p.line}` : ''}`;
  return `${where}${p.path ? ` ${p.path}` : ''} — ${p.message}`;
}
