import { SimApiError } from './api-error.ts';
import { type FieldDef, findField, findObject, type ObjectDef } from './schema.ts';
import { type Condition, type Literal, type OrderBy, parseSoql, SoqlError, type SoqlQuery, type SubQuery } from './soql-parser.ts';
import type { Row } from './validate.ts';

/** Runs a parsed query against rows. Comparisons follow SOQL: strings case-insensitive, datetimes by instant. */

/** An unknown column; the name rides along so planQuery can point at it in the query text. */
class UnknownColumn extends SimApiError {
  readonly column: string;
  constructor(name: string, object: ObjectDef) {
    super(
      400,
      'INVALID_FIELD',
      `No such column '${name}' on entity '${object.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
    this.column = name;
  }
}

/**
 * Salesforce's SOQL errors quote the query, put a caret under the offending token and say its row and column
 * before the reason ("…\n   ^\nERROR at Row:1:Column:8\nNo such column 'X' on entity 'Lead'. …").
 */
function pointedAt(soql: string, error: UnknownColumn): SimApiError {
  const escaped = error.column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`(?<![\\w.])${escaped}(?![\\w])`, 'i').exec(soql);
  if (!match) return error;
  const before = soql.slice(0, match.index).split('\n');
  const line = soql.split('\n')[before.length - 1] ?? '';
  const column = (before.at(-1) ?? '').length + 1;
  return new SimApiError(
    400,
    'INVALID_FIELD',
    `\n${line}\n${' '.repeat(column - 1)}^\nERROR at Row:${before.length}:Column:${column}\n${error.message}`,
  );
}

function resolve(object: ObjectDef, name: string): FieldDef {
  const field = findField(object, name);
  if (!field) throw new UnknownColumn(name, object);
  return field;
}

/** Ids differ by case in their 15-char form, so they compare exactly; other text compares case-insensitively. */
function caseSensitive(field: FieldDef): boolean {
  return field.type === 'id' || field.type === 'reference';
}

type Comparable = string | number | boolean | null;

/** An id compares in its 15-character form, so a filter may name it in either form, as in Salesforce. */
const ID_FORMS = /^[0-9A-Za-z]{18}$/;
const idKey = (value: string): string => (ID_FORMS.test(value) ? value.slice(0, 15) : value);

function fromRow(field: FieldDef, value: unknown): Comparable {
  if (value === null || value === undefined) return null;
  if (field.type === 'datetime') return Date.parse(String(value).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (typeof value === 'string') return caseSensitive(field) ? idKey(value) : value.toLowerCase();
  return value as Comparable;
}

function fromLiteral(field: FieldDef, literal: Literal): Comparable {
  if (literal === null) return null;
  if (typeof literal === 'object') {
    if ('datetime' in literal) {
      if (field.type !== 'datetime')
        throw new SimApiError(
          400,
          'INVALID_QUERY_FILTER_OPERATOR',
          `value of filter criterion for field '${field.name}' must be of type ${field.type} and should not be enclosed in quotes`,
        );
      return literal.datetime;
    }
    return literal.date;
  }
  if (field.type === 'datetime') {
    throw new SimApiError(
      400,
      'INVALID_QUERY_FILTER_OPERATOR',
      `value of filter criterion for field '${field.name}' must be of type dateTime and should not be enclosed in quotes`,
    );
  }
  if (typeof literal !== 'string') return literal;
  return caseSensitive(field) ? idKey(literal) : literal.toLowerCase();
}

function compare(a: Comparable, b: Comparable): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function likeToRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '\\' && i + 1 < pattern.length) {
      source += pattern.charAt(++i).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      continue;
    }
    if (c === '%') source += '.*';
    else if (c === '_') source += '.';
    else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'is');
}

/** The other objects' rows a semi-join reads, and each subquery's values once worked out. */
interface Tables {
  schema: Map<string, ObjectDef>;
  rowsOf: (object: string) => Row[];
  selected: Map<SubQuery, Set<Comparable>>;
}

/** The values a semi-join's subquery selects (ids in their 15-character form), worked out once per query. */
function subquerySet(tables: Tables, subquery: SubQuery): Set<Comparable> {
  const known = tables.selected.get(subquery);
  if (known) return known;
  const object = findObject(tables.schema, subquery.object) as ObjectDef;
  const field = resolve(object, subquery.field);
  const rows = tables.rowsOf(object.name).filter((row) => !subquery.where || matches(object, subquery.where, row, tables));
  const values = new Set(rows.map((row) => fromRow(field, row[field.name])).filter((value) => value !== null));
  tables.selected.set(subquery, values);
  return values;
}

function matches(object: ObjectDef, condition: Condition, row: Row, tables: Tables): boolean {
  switch (condition.kind) {
    case 'and':
      return matches(object, condition.left, row, tables) && matches(object, condition.right, row, tables);
    case 'or':
      return matches(object, condition.left, row, tables) || matches(object, condition.right, row, tables);
    case 'not':
      return !matches(object, condition.inner, row, tables);
    case 'semiJoin': {
      const field = resolve(object, condition.field);
      const value = fromRow(field, row[field.name]);
      const found = value !== null && subquerySet(tables, condition.subquery).has(value);
      return condition.negate ? !found : found;
    }
    case 'like': {
      const value = row[resolve(object, condition.field).name];
      return typeof value === 'string' && likeToRegex(condition.pattern).test(value);
    }
    case 'in': {
      const field = resolve(object, condition.field);
      const value = fromRow(field, row[field.name]);
      const found = condition.values.some((literal) => compare(value, fromLiteral(field, literal)) === 0);
      return condition.negate ? !found : found;
    }
    case 'compare': {
      const field = resolve(object, condition.field);
      const left = fromRow(field, row[field.name]);
      const right = fromLiteral(field, condition.value);
      if (condition.op === '=') return compare(left, right) === 0;
      if (condition.op === '!=') return compare(left, right) !== 0;
      if (left === null || right === null) return false;
      const order = compare(left, right);
      return condition.op === '<' ? order < 0 : condition.op === '<=' ? order <= 0 : condition.op === '>' ? order > 0 : order >= 0;
    }
  }
}

function sorter(object: ObjectDef, orderBy: OrderBy[]): (a: Row, b: Row) => number {
  const keys = orderBy.map((order) => ({ ...order, field: resolve(object, order.field) }));
  return (a, b) => {
    for (const key of keys) {
      const left = fromRow(key.field, a[key.field.name]);
      const right = fromRow(key.field, b[key.field.name]);
      if (left === right) continue;
      if (left === null || right === null) return (left === null) === (key.nulls === 'FIRST') ? -1 : 1;
      const order = compare(left, right);
      if (order !== 0) return key.direction === 'ASC' ? order : -order;
    }
    return 0;
  };
}

function project(object: ObjectDef, fields: FieldDef[], row: Row, apiVersion: string): Row {
  const out: Row = { attributes: { type: object.name, url: `/services/data/v${apiVersion}/sobjects/${object.name}/${String(row.Id)}` } };
  for (const field of fields) out[field.name] = row[field.name] ?? null;
  return out;
}

/** Semi-joins compare ids: the field left of IN and the one the subquery selects must be an ID or a reference. */
function idField(object: ObjectDef, name: string): FieldDef {
  const field = resolve(object, name);
  if (!caseSensitive(field))
    throw new SimApiError(400, 'MALFORMED_QUERY', `semi join sub selects can only query id fields, cannot use: '${name}'`);
  return field;
}

function checkSubquery(schema: Map<string, ObjectDef>, subquery: SubQuery): void {
  const object = findObject(schema, subquery.object);
  if (!object) throw unsupportedObject(subquery.object);
  idField(object, subquery.field);
  if (subquery.where) checkCondition(schema, object, subquery.where);
}

/** Checks names and literal types up front, so an empty table still reports a bad query. */
function checkCondition(schema: Map<string, ObjectDef>, object: ObjectDef, condition: Condition): void {
  switch (condition.kind) {
    case 'and':
    case 'or':
      checkCondition(schema, object, condition.left);
      checkCondition(schema, object, condition.right);
      return;
    case 'not':
      checkCondition(schema, object, condition.inner);
      return;
    case 'semiJoin':
      idField(object, condition.field);
      checkSubquery(schema, condition.subquery);
      return;
    case 'like':
      resolve(object, condition.field);
      return;
    case 'in': {
      const field = resolve(object, condition.field);
      for (const v of condition.values) fromLiteral(field, v);
      return;
    }
    case 'compare':
      fromLiteral(resolve(object, condition.field), condition.value);
  }
}

export interface QueryPlan {
  query: SoqlQuery;
  object: ObjectDef;
  schema: Map<string, ObjectDef>;
}

/** Parses and checks names; a bad object is INVALID_TYPE, a bad field INVALID_FIELD, bad syntax MALFORMED_QUERY. */
export function planQuery(schema: Map<string, ObjectDef>, soql: string): QueryPlan {
  let query: SoqlQuery;
  try {
    query = parseSoql(soql);
  } catch (error) {
    if (error instanceof SoqlError) throw new SimApiError(400, error.errorCode, error.message);
    throw error;
  }
  const object = findObject(schema, query.object);
  if (!object) throw unsupportedObject(query.object);
  try {
    for (const name of query.fields) resolve(object, name);
    for (const order of query.orderBy) resolve(object, order.field);
    if (query.where) checkCondition(schema, object, query.where);
  } catch (error) {
    throw error instanceof UnknownColumn ? pointedAt(soql, error) : error;
  }
  return { query, object, schema };
}

function unsupportedObject(name: string): SimApiError {
  return new SimApiError(
    400,
    'INVALID_TYPE',
    `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name.`,
  );
}

/** Runs a planned query over `rows` (the queried object's); a semi-join reads other objects through `rowsOf`. */
export function runQuery(plan: QueryPlan, rows: Row[], apiVersion: string, rowsOf: (object: string) => Row[] = () => []): Row[] {
  const { query, object } = plan;
  const fields = query.fields.map((name) => resolve(object, name));
  const tables: Tables = { schema: plan.schema, rowsOf, selected: new Map() };
  let result = query.where ? rows.filter((row) => matches(object, query.where as Condition, row, tables)) : [...rows];
  if (query.orderBy.length > 0) result.sort(sorter(object, query.orderBy));
  if (query.limit !== undefined) result = result.slice(0, query.limit);
  return result.map((row) => project(object, fields, row, apiVersion));
}
