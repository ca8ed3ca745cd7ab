import { describe, expect, it } from '@jest/globals';
import { soqlString } from '../../../src/adapters/salesforce/soql.ts';
import { buildSchema, DEFAULT_CUSTOM_FIELDS, DEFAULT_LEAD_STATUSES } from '../../../src/simulators/salesforce/schema.ts';
import { planQuery, runQuery } from '../../../src/simulators/salesforce/soql-eval.ts';
import { parseSoql, SoqlError } from '../../../src/simulators/salesforce/soql-parser.ts';

const schema = buildSchema(DEFAULT_LEAD_STATUSES, DEFAULT_CUSTOM_FIELDS);
const rows = [
  {
    Id: '00Q3',
    LastName: 'Cy',
    Email: 'c@x.io',
    MQL_Score__c: 70,
    IsConverted: false,
    SystemModstamp: '2026-11-22T10:00:00.000+0000',
    Title: null,
  },
  {
    Id: '00Q1',
    LastName: 'Al',
    Email: "o'neil@x.io",
    MQL_Score__c: 90,
    IsConverted: true,
    SystemModstamp: '2026-11-22T09:00:00.000+0000',
    Title: 'CTO',
  },
  {
    Id: '00Q2',
    LastName: 'Bo',
    Email: 'B@X.IO',
    MQL_Score__c: 50,
    IsConverted: false,
    SystemModstamp: '2026-11-22T10:00:00.000+0000',
    Title: 'VP',
  },
];

function ids(soql: string): string[] {
  return runQuery(planQuery(schema, soql), rows, '62.0').map((r) => String(r.Id));
}

describe('parseSoql', () => {
  it('parses fields, object, where, order by and limit', () => {
    expect(
      parseSoql(
        "select Id, Email from Lead where Email = 'a' and (MQL_Score__c > 5 or IsConverted = true) order by SystemModstamp desc nulls first, Id limit 10",
      ),
    ).toEqual({
      fields: ['Id', 'Email'],
      object: 'Lead',
      where: {
        kind: 'and',
        left: { kind: 'compare', field: 'Email', op: '=', value: 'a' },
        right: {
          kind: 'or',
          left: { kind: 'compare', field: 'MQL_Score__c', op: '>', value: 5 },
          right: { kind: 'compare', field: 'IsConverted', op: '=', value: true },
        },
      },
      orderBy: [
        { field: 'SystemModstamp', direction: 'DESC', nulls: 'FIRST' },
        { field: 'Id', direction: 'ASC', nulls: 'FIRST' },
      ],
      limit: 10,
    });
  });

  it.each([
    ['2026-11-22T10:00:00Z', Date.UTC(2026, 10, 22, 10)],
    ['2026-11-22T10:00:00.000+0000', Date.UTC(2026, 10, 22, 10)],
    ['2026-11-22T12:00:00+02:00', Date.UTC(2026, 10, 22, 10)],
  ])('reads the unquoted datetime literal %s', (literal, ms) => {
    expect(parseSoql(`SELECT Id FROM Lead WHERE SystemModstamp >= ${literal}`).where).toEqual({
      kind: 'compare',
      field: 'SystemModstamp',
      op: '>=',
      value: { datetime: ms },
    });
  });

  it('reads escapes inside string literals, as the adapter writes them', () => {
    const value = 'it\'s a \\ back"slash\n';
    expect(parseSoql(`SELECT Id FROM Lead WHERE Email = ${soqlString(value)}`).where).toMatchObject({ value });
  });

  it('reads IN, NOT IN, LIKE, NOT, null and <>', () => {
    expect(parseSoql("SELECT Id FROM Lead WHERE Email NOT IN ('a', 'b') AND NOT Title LIKE 'V%' AND Title <> null").where).toEqual({
      kind: 'and',
      left: {
        kind: 'and',
        left: { kind: 'in', field: 'Email', values: ['a', 'b'], negate: true },
        right: { kind: 'not', inner: { kind: 'like', field: 'Title', pattern: 'V%' } },
      },
      right: { kind: 'compare', field: 'Title', op: '!=', value: null },
    });
  });

  it.each([
    'SELECT FROM Lead',
    'SELECT Id Lead',
    "SELECT Id FROM Lead WHERE Email = 'open",
    'SELECT Id FROM Lead WHERE',
    'SELECT Id FROM Lead LIMIT x',
    'SELECT Id FROM Lead ORDER Id',
    "SELECT Id FROM Lead WHERE Email IN ('a'",
  ])('rejects %s as MALFORMED_QUERY', (soql) => {
    expect(() => parseSoql(soql)).toThrow(SoqlError);
  });
});

describe('running queries', () => {
  it.each([
    ["SELECT Id FROM Lead WHERE Email = 'b@x.io'", ['00Q2']],
    ["SELECT Id FROM Lead WHERE Email IN ('o\\'neil@x.io', 'c@x.io') ORDER BY Id", ['00Q1', '00Q3']],
    ["SELECT Id FROM Lead WHERE Email NOT IN ('c@x.io') ORDER BY Id", ['00Q1', '00Q2']],
    ['SELECT Id FROM Lead WHERE MQL_Score__c >= 70 ORDER BY MQL_Score__c DESC', ['00Q1', '00Q3']],
    ['SELECT Id FROM Lead WHERE IsConverted = false AND MQL_Score__c < 60', ['00Q2']],
    ["SELECT Id FROM Lead WHERE LastName LIKE '_l%' OR Title = null ORDER BY Id", ['00Q1', '00Q3']],
    ['SELECT Id FROM Lead WHERE Title != null ORDER BY Title', ['00Q1', '00Q2']],
    ['SELECT Id FROM Lead ORDER BY Title DESC', ['00Q2', '00Q1', '00Q3']],
    ['SELECT Id FROM Lead ORDER BY Title NULLS LAST', ['00Q1', '00Q2', '00Q3']],
    ['SELECT Id FROM Lead WHERE SystemModstamp >= 2026-11-22T10:00:00Z ORDER BY SystemModstamp, Id', ['00Q2', '00Q3']],
    ['SELECT Id FROM Lead WHERE SystemModstamp > 2026-11-22T10:30:00.000+0100 ORDER BY SystemModstamp, Id LIMIT 1', ['00Q2']],
  ])('%s', (soql, expected) => {
    expect(ids(soql)).toEqual(expected);
  });

  it('projects canonical field names with attributes', () => {
    const [row] = runQuery(planQuery(schema, "SELECT id, email FROM lead WHERE Id = '00Q2'"), rows, '62.0');
    expect(row).toEqual({ attributes: { type: 'Lead', url: '/services/data/v62.0/sobjects/Lead/00Q2' }, Id: '00Q2', Email: 'B@X.IO' });
  });

  it.each([
    ['SELECT Nope FROM Lead', 'INVALID_FIELD'],
    ["SELECT Id FROM Lead WHERE Nope = 'x'", 'INVALID_FIELD'],
    ['SELECT Id FROM Lead ORDER BY Nope', 'INVALID_FIELD'],
    ['SELECT Id FROM Nope', 'INVALID_TYPE'],
    ["SELECT Id FROM Lead WHERE SystemModstamp > '2026-01-01'", 'INVALID_QUERY_FILTER_OPERATOR'],
    ['SELECT Id FROM', 'MALFORMED_QUERY'],
  ])('%s fails with %s', (soql, errorCode) => {
    expect(() => planQuery(schema, soql)).toThrow(expect.objectContaining({ errorCode }));
  });
});
