import { RE2JS } from 're2js';

/**
 * `matches` patterns are written by admins and run against values anyone can type into a HubSpot form. They run
 * on RE2's linear-time engine (re2js), never on JavaScript's backtracking RegExp, where `^(a+)+$` against a
 * 29-character job title froze the service for seconds. RE2 has no backreferences or lookaround: a pattern that
 * needs them is refused when the definition is validated, with its path.
 */

/** Values are compared by their first this many characters: RE2 is linear, and this bounds the line too. */
export const MAX_MATCHED_LENGTH = 4_096;
/** Compiled patterns kept; definitions hold a handful, so this only guards against unbounded growth. */
const MAX_CACHED = 500;

const compiled = new Map<string, RE2JS>();

function compile(source: string): RE2JS {
  const found = compiled.get(source);
  if (found) return found;
  const pattern = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
  if (compiled.size >= MAX_CACHED) compiled.clear();
  compiled.set(source, pattern);
  return pattern;
}

/** Why RE2 cannot take the pattern, or undefined when it can. */
export function patternProblem(source: string): string | undefined {
  try {
    compile(source);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Whether the pattern matches anywhere in the value, ignoring case. */
export function matchesPattern(source: string, value: string): boolean {
  return compile(source).test(value.length > MAX_MATCHED_LENGTH ? value.slice(0, MAX_MATCHED_LENGTH) : value);
}
