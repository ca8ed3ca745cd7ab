/**
 * Whether a parsed JSON value can be stored and re-serialised safely, checked WITHOUT recursion:
 * - PostgreSQL's jsonb (and so the inbox insert, which sends its rows as one jsonb array) refuses a lone UTF-16
 *   surrogate such as "\ud800", failing the whole statement;
 * - JSON.stringify, zod and PostgreSQL's own parser all recurse, so very deep nesting ends in a RangeError
 *   ("Maximum call stack size exceeded") or "stack depth limit exceeded".
 * The walk uses an explicit stack, never descends past `maxDepth`, and visits each node once, so its cost is
 * linear in the size of what JSON.parse already built.
 */
export interface StorableJsonOptions {
  /** Containers inside containers: the value itself is at depth 0, its fields at depth 1. */
  maxDepth: number;
}

/** Why the value cannot be stored, naming the top-level field it happened under; undefined when it can. */
export function unstorableJsonReason(value: unknown, options: StorableJsonOptions): string | undefined {
  const stack: Array<{ value: unknown; depth: number; field: string | undefined }> = [{ value, depth: 0, field: undefined }];
  while (stack.length > 0) {
    const { value: current, depth, field } = stack.pop()!;
    if (typeof current === 'string') {
      if (!current.isWellFormed()) return `text holds a lone UTF-16 surrogate${under(field)}`;
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= options.maxDepth) return `nested deeper than ${options.maxDepth} levels${under(field)}`;
    const entries: Array<[string | undefined, unknown]> = Array.isArray(current)
      ? current.map((inner) => [undefined, inner])
      : Object.entries(current);
    for (const [key, inner] of entries) {
      if (key !== undefined && !key.isWellFormed()) return `a field name holds a lone UTF-16 surrogate${under(field)}`;
      stack.push({ value: inner, depth: depth + 1, field: field ?? key });
    }
  }
  return undefined;
}

/** Field names come from the sender: only a short, plain one is repeated in a reason. */
function under(field: string | undefined): string {
  if (field === undefined) return '';
  return /^[A-Za-z0-9_.-]{1,64}$/.test(field) ? ` (in ${field})` : ' (in a field)';
}
