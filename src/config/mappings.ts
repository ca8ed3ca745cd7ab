import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Document, LineCounter, parseDocument, visit } from 'yaml';
import {
  buildBundle,
  FILES_ADDED_LATER,
  MAPPING_FILES,
  MAPPING_ROLES,
  type MappingDocument,
  type MappingRole,
  type MappingsBundle,
  withFilesAddedLater,
} from '../core/mappings/bundle.ts';
import type { MappingProblem, Parsed } from '../core/mappings/problems.ts';
import { ValidationError } from '../errors.ts';

export type { MappingsBundle } from '../core/mappings/bundle.ts';
export { MAPPING_FILES } from '../core/mappings/bundle.ts';
export type { MappingProblem } from '../core/mappings/problems.ts';
export type { RejectionReason, RejectionTaxonomy } from '../core/sales/rejection-schema.ts';
export type { SqlDefinition } from '../core/sales/sql-schema.ts';
export type { BusinessCalendar, SlaRules } from '../core/sla/sla-schema.ts';

/** The mappings are invalid; `problems` lists every one with its file, path and (when known) line. */
export class MappingsError extends ValidationError {
  override readonly problems: MappingProblem[];
  constructor(problems: MappingProblem[]) {
    super(summarise(problems), problems);
    this.name = 'MappingsError';
    this.problems = problems;
  }
}

function summarise(problems: MappingProblem[]): string {
  const lines = problems.map((p) => `- ${p.file}${p.line ? `:${p.line}` : ''}${p.path ? ` ${p.path}` : ''}: ${p.message}`);
  return `${problems.length} problem${problems.length === 1 ? '' : 's'} in the mappings:\n${lines.join('\n')}`;
}

/** Reads every mapping file of `dir` (MAPPING_FILES) and validates them together; throws MappingsError listing every problem. */
export async function loadMappings(dir: string): Promise<MappingsBundle> {
  const files: Record<string, string> = {};
  const missing: MappingProblem[] = [];
  const addedLater = new Set(Object.keys(FILES_ADDED_LATER).map((role) => MAPPING_FILES[role as MappingRole]));
  for (const name of Object.values(MAPPING_FILES)) {
    try {
      files[name] = await readFile(join(dir, name), 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A folder from before a file existed loads with that file's earlier meaning (see FILES_ADDED_LATER).
      if (code === 'ENOENT' && addedLater.has(name)) continue;
      missing.push({
        file: name,
        path: '',
        message: code === 'ENOENT' ? `file not found in ${dir}` : `cannot read: ${code ?? String(error)}`,
      });
    }
  }
  const result = validateMappingFiles(files);
  const problems = [...missing, ...(result.ok ? [] : result.problems.filter((p) => !missing.some((m) => m.file === p.file)))];
  if (problems.length > 0 || !result.ok) throw new MappingsError(problems);
  return result.value;
}

/** Pure: file name → YAML text. Returns the bundle or throws MappingsError (for drafts held elsewhere). */
export function parseMappingFiles(files: Record<string, string>): MappingsBundle {
  const result = validateMappingFiles(files);
  if (!result.ok) throw new MappingsError(result.problems);
  return result.value;
}

/** Pure and non-throwing variant of parseMappingFiles: every problem of every file, or the bundle. */
export function validateMappingFiles(given: Record<string, string>): Parsed<MappingsBundle> {
  const files = withFilesAddedLater(given);
  const problems: MappingProblem[] = [];
  const docs: Partial<Record<MappingRole, MappingDocument>> = {};
  const sources = new Map<string, ParsedYaml>();
  for (const role of MAPPING_ROLES) {
    const name = MAPPING_FILES[role];
    const text = files[name];
    if (text === undefined) {
      problems.push({ file: name, path: '', message: 'file is missing' });
      continue;
    }
    const parsed = parseYaml(name, text);
    if (parsed.problems.length > 0) problems.push(...parsed.problems);
    else docs[role] = { data: parsed.data, hash7: hash7(text) };
    sources.set(name, parsed);
  }
  if (problems.length > 0) return { ok: false, problems: [...problems, ...schemaProblemsOfParsed(docs, sources)] };
  const result = buildBundle(docs as Record<MappingRole, MappingDocument>);
  return result.ok ? result : { ok: false, problems: result.problems.map((p) => withLine(p, sources.get(p.file))) };
}

/** When one file has a YAML error, the others are still checked so all problems show at once. */
function schemaProblemsOfParsed(docs: Partial<Record<MappingRole, MappingDocument>>, sources: Map<string, ParsedYaml>): MappingProblem[] {
  const placeholder: MappingDocument = { data: undefined, hash7: '0000000' };
  const full = Object.fromEntries(MAPPING_ROLES.map((role) => [role, docs[role] ?? placeholder])) as Record<MappingRole, MappingDocument>;
  const result = buildBundle(full);
  if (result.ok) return [];
  const valid = new Set<string>(MAPPING_ROLES.filter((role) => docs[role]).map((role) => MAPPING_FILES[role]));
  return result.problems.filter((p) => valid.has(p.file)).map((p) => withLine(p, sources.get(p.file)));
}

interface ParsedYaml {
  doc: Document;
  lines: LineCounter;
  /** The file as plain data, when it has no problems. */
  data: unknown;
  /** The YAML parses but expands past what we read (an alias bomb): no draft may hold it. */
  refused?: true;
  problems: MappingProblem[];
}

/**
 * Each alias is expanded when the document becomes data, so a few lines of nested aliases (a "billion laughs")
 * would become millions of nodes. yaml's toJS refuses that past maxAliasCount (yaml ToJSOptions: "Prevent
 * exponential entity expansion attacks by limiting data aliasing count", default 100) by throwing a ReferenceError,
 * which is the file's problem, not the request's 500.
 */
const MAX_ALIAS_COUNT = 100;

/**
 * A file's YAML, or ONE problem: its first syntax error at its line and column. What follows a syntax error (an
 * unclosed quote, a bad indentation) is read out of place, so the parser's later errors mostly repeat the first
 * (one space before the status map's `version:` made 194 of them).
 */
function parseYaml(file: string, text: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const failed = (message: string, offset: number | undefined): ParsedYaml => ({
    doc,
    lines,
    data: undefined,
    problems: [{ file, path: '', message, ...(offset !== undefined ? { line: lines.linePos(offset).line } : {}) }],
  });
  const first = doc.errors[0];
  if (first) {
    const at = first.linePos?.[0];
    return failed(`YAML syntax: ${firstLine(first.message)}${at ? ` (line ${at.line}, column ${at.col})` : ''}`, first.pos[0]);
  }
  try {
    return { doc, lines, data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), problems: [] };
  } catch (error) {
    return { ...failed(`YAML could not be read: ${firstLine((error as Error).message)}`, firstAliasOffset(doc)), refused: true };
  }
}

/**
 * Files no draft may hold: YAML that expands past the alias limit. An unfinished draft is saved with its problems,
 * but a few lines that would expand to millions of nodes are an attack, not work in progress, so they are refused.
 */
export function refusedYamlProblems(files: Record<string, string>): MappingProblem[] {
  return Object.entries(files).flatMap(([name, text]) => {
    const parsed = parseYaml(name, text);
    return parsed.refused ? parsed.problems : [];
  });
}

/** Where the first alias starts: where an admin looks for an expansion gone too far. */
function firstAliasOffset(doc: Document): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias: (_key, node) => {
      offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  return offset;
}

/** The message without yaml's source excerpt and its own position (the problem carries both). */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/:$/, '').replace(/ at line \d+, column \d+$/, '');
}

export function hash7(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 7);
}

/** Adds the line of the deepest YAML node on the problem's path, so an admin can jump to it. */
function withLine(problem: MappingProblem, source: ParsedYaml | undefined): MappingProblem {
  if (!source || problem.line !== undefined) return problem;
  const keys = parsePath(problem.path);
  for (let depth = keys.length; depth >= 0; depth--) {
    const node = keys.length === 0 ? source.doc.contents : source.doc.getIn(keys.slice(0, depth), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) return { ...problem, line: source.lines.linePos(range[0]).line };
  }
  return problem;
}

/** `fit[2].points` → ['fit', 2, 'points']. */
function parsePath(path: string): Array<string | number> {
  const keys: Array<string | number> = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (match[2] !== undefined) keys.push(Number(match[2]));
    else if (match[1] !== undefined) keys.push(match[1]);
  }
  return keys;
}
