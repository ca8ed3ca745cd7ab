/**
 * SOQL string literals: Salesforce's documented escapes are \' \" \\ \n \r \t \b \f. Everything a
 * caller passes as a value goes through `soqlString`, so no input can end the literal early.
 */
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

export function soqlString(value: string): string {
  return `'${value.replace(/[\\'"\n\r\t\b\f]/g, (c) => ESCAPES[c] ?? c)}'`;
}

export function soqlIn(values: string[]): string {
  return `(${values.map(soqlString).join(', ')})`;
}

/** Field and object names cannot be escaped, only checked. */
export function soqlName(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) throw new Error(`not a valid Salesforce API name: ${name}`);
  return name;
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * A LIKE pattern matching values that contain `value`: the string escapes above, then `%` and `_` escaped with a
 * backslash so they match themselves (SOQL and SOSL Reference, "Comparison Operators", LIKE).
 */
export function soqlLikeContaining(value: string): string {
  const literal = soqlString(value)
    .slice(1, -1)
    .replace(/[%_]/g, (c) => `\\${c}`);
  return `'%${literal}%'`;
}
