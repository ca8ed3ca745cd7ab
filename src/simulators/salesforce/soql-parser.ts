/**
 * Parser for the SOQL subset Handoff uses: SELECT fields FROM object [WHERE …] [ORDER BY …] [LIMIT n], where a
 * condition may be a semi-join (`Id IN (SELECT ref FROM Other WHERE …)`). Errors read like Salesforce's
 * MALFORMED_QUERY messages.
 */

export type Literal = string | number | boolean | null | { datetime: number } | { date: string };

export type Condition =
  | { kind: 'compare'; field: string; op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: Literal }
  | { kind: 'in'; field: string; values: Literal[]; negate: boolean }
  | { kind: 'like'; field: string; pattern: string }
  /**
   * SOQL and SOSL Reference, "Comparison Operators": IN and NOT IN take a subquery when the field is an ID or a
   * reference; the subquery selects one ID or reference field of another object.
   */
  | { kind: 'semiJoin'; field: string; subquery: SubQuery; negate: boolean }
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; inner: Condition };

export interface SubQuery {
  field: string;
  object: string;
  where?: Condition;
}

export interface OrderBy {
  field: string;
  direction: 'ASC' | 'DESC';
  nulls: 'FIRST' | 'LAST';
}

export interface SoqlQuery {
  fields: string[];
  object: string;
  where?: Condition;
  orderBy: OrderBy[];
  limit?: number;
}

export class SoqlError extends Error {
  readonly errorCode = 'MALFORMED_QUERY';
}

type Token =
  | { type: 'word'; text: string }
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'datetime'; value: number; text: string }
  | { type: 'date'; text: string }
  | { type: 'punct'; text: string };

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\dT])/;
const NUMBER = /^-?\d+(\.\d+)?/;
const WORD = /^[A-Za-z_][A-Za-z0-9_.]*/;
const PUNCT = /^(!=|<>|<=|>=|[=<>(),])/;
const ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
  _: '\\_',
  '%': '\\%',
};

function readString(text: string, start: number): { value: string; end: number } {
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === "'") return { value, end: i + 1 };
    if (c === '\\') {
      const escaped = ESCAPES[text.charAt(i + 1)];
      if (escaped === undefined) throw new SoqlError(`Invalid string literal: bad escape sequence near ${text.slice(i, i + 2)}`);
      value += escaped;
      i++;
    } else value += c;
  }
  throw new SoqlError('unexpected token: unterminated string literal');
}

/** "+0000" and "+00:00" are both accepted offsets in SOQL datetime literals. */
function parseDateTime(raw: string): number {
  return Date.parse(raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

function readToken(rest: string): { token: Token; length: number } | undefined {
  const datetime = DATETIME.exec(rest);
  if (datetime) return { token: { type: 'datetime', value: parseDateTime(datetime[0]), text: datetime[0] }, length: datetime[0].length };
  const date = DATE.exec(rest);
  if (date) return { token: { type: 'date', text: date[0] }, length: date[0].length };
  const number = NUMBER.exec(rest);
  if (number) return { token: { type: 'number', value: Number(number[0]) }, length: number[0].length };
  const word = WORD.exec(rest);
  if (word) return { token: { type: 'word', text: word[0] }, length: word[0].length };
  const punct = PUNCT.exec(rest);
  if (punct) return { token: { type: 'punct', text: punct[0] === '<>' ? '!=' : punct[0] }, length: punct[0].length };
  return undefined;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    if (rest.startsWith("'")) {
      const { value, end } = readString(text, i);
      tokens.push({ type: 'string', value });
      i = end;
      continue;
    }
    const token = readToken(rest);
    if (!token) throw new SoqlError(`unexpected token: '${rest.slice(0, 10)}'`);
    tokens.push(token.token);
    i += token.length;
  }
  return tokens;
}

class Parser {
  private position = 0;
  private readonly tokens: Token[];
  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }

  peek(offset = 0): Token | undefined {
    return this.tokens[this.position + offset];
  }

  /** Inside a semi-join's subquery, where another subquery is not allowed. */
  inSubquery = false;

  private describe(token: Token | undefined): string {
    if (!token) return 'end of query';
    if (token.type === 'string') return `'${token.value}'`;
    if (token.type === 'number') return String(token.value);
    return token.text;
  }

  fail(): never {
    throw new SoqlError(`unexpected token: ${this.describe(this.peek())}`);
  }

  isKeyword(word: string): boolean {
    const token = this.peek();
    return token?.type === 'word' && token.text.toUpperCase() === word;
  }

  keyword(word: string): void {
    if (!this.isKeyword(word)) this.fail();
    this.position++;
  }

  optionalKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.position++;
    return true;
  }

  punct(text: string): boolean {
    const token = this.peek();
    if (token?.type === 'punct' && token.text === text) {
      this.position++;
      return true;
    }
    return false;
  }

  identifier(): string {
    const token = this.peek();
    if (token?.type !== 'word') this.fail();
    this.position++;
    return token.text;
  }

  literal(): Literal {
    const token = this.peek();
    if (!token) this.fail();
    this.position++;
    switch (token.type) {
      case 'string':
        return token.value;
      case 'number':
        return token.value;
      case 'datetime':
        return { datetime: token.value };
      case 'date':
        return { date: token.text };
      case 'word': {
        const upper = token.text.toUpperCase();
        if (upper === 'TRUE' || upper === 'FALSE') return upper === 'TRUE';
        if (upper === 'NULL') return null;
        break;
      }
    }
    this.position--;
    return this.fail();
  }
}

function parseCondition(p: Parser): Condition {
  let left = parseConjunction(p);
  while (p.optionalKeyword('OR')) left = { kind: 'or', left, right: parseConjunction(p) };
  return left;
}

function parseConjunction(p: Parser): Condition {
  let left = parseUnary(p);
  while (p.optionalKeyword('AND')) left = { kind: 'and', left, right: parseUnary(p) };
  return left;
}

function parseUnary(p: Parser): Condition {
  if (p.optionalKeyword('NOT')) return { kind: 'not', inner: parseUnary(p) };
  if (p.punct('(')) {
    const inner = parseCondition(p);
    if (!p.punct(')')) p.fail();
    return inner;
  }
  return parseSimple(p);
}

function parseList(p: Parser): Literal[] {
  if (!p.punct('(')) p.fail();
  const values: Literal[] = [p.literal()];
  while (p.punct(',')) values.push(p.literal());
  if (!p.punct(')')) p.fail();
  return values;
}

/** `(SELECT field FROM object [WHERE …])` right after IN or NOT IN. */
function startsSubquery(p: Parser): boolean {
  const open = p.peek();
  const select = p.peek(1);
  return open?.type === 'punct' && open.text === '(' && select?.type === 'word' && select.text.toUpperCase() === 'SELECT';
}

function parseSubquery(p: Parser): SubQuery {
  if (p.inSubquery) throw new SoqlError('Nesting of semi join sub-selects is not supported');
  p.punct('(');
  p.keyword('SELECT');
  const field = p.identifier();
  p.keyword('FROM');
  const object = p.identifier();
  p.inSubquery = true;
  const where = p.optionalKeyword('WHERE') ? parseCondition(p) : undefined;
  p.inSubquery = false;
  if (!p.punct(')')) p.fail();
  return { field, object, ...(where ? { where } : {}) };
}

function parseIn(p: Parser, field: string, negate: boolean): Condition {
  if (startsSubquery(p)) return { kind: 'semiJoin', field, subquery: parseSubquery(p), negate };
  return { kind: 'in', field, values: parseList(p), negate };
}

function parseSimple(p: Parser): Condition {
  const field = p.identifier();
  if (p.optionalKeyword('IN')) return parseIn(p, field, false);
  if (p.optionalKeyword('NOT')) {
    p.keyword('IN');
    return parseIn(p, field, true);
  }
  if (p.optionalKeyword('LIKE')) {
    const pattern = p.literal();
    if (typeof pattern !== 'string') p.fail();
    return { kind: 'like', field, pattern };
  }
  for (const op of ['=', '!=', '<=', '>=', '<', '>'] as const) {
    if (p.punct(op)) return { kind: 'compare', field, op, value: p.literal() };
  }
  return p.fail();
}

function parseOrderBy(p: Parser): OrderBy[] {
  const order: OrderBy[] = [];
  do {
    const field = p.identifier();
    const descending = p.optionalKeyword('DESC');
    if (!descending) p.optionalKeyword('ASC'); // ascending is the default, said or not
    const direction = descending ? 'DESC' : 'ASC';
    let nulls: 'FIRST' | 'LAST' = direction === 'ASC' ? 'FIRST' : 'LAST';
    if (p.optionalKeyword('NULLS')) {
      if (p.optionalKeyword('LAST')) nulls = 'LAST';
      else {
        p.keyword('FIRST');
        nulls = 'FIRST';
      }
    }
    order.push({ field, direction, nulls });
  } while (p.punct(','));
  return order;
}

export function parseSoql(text: string): SoqlQuery {
  const p: Parser = new Parser(tokenize(text));
  p.keyword('SELECT');
  const fields = [p.identifier()];
  while (p.punct(',')) fields.push(p.identifier());
  p.keyword('FROM');
  const object = p.identifier();
  const query: SoqlQuery = { fields, object, orderBy: [] };
  if (p.optionalKeyword('WHERE')) query.where = parseCondition(p);
  if (p.optionalKeyword('ORDER')) {
    p.keyword('BY');
    query.orderBy = parseOrderBy(p);
  }
  if (p.optionalKeyword('LIMIT')) {
    const limit = p.literal();
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0) p.fail();
    query.limit = limit;
  }
  if (p.peek()) p.fail();
  return query;
}
