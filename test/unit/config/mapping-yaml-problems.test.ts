import { describe, expect, it } from '@jest/globals';
import { type MappingProblem, validateMappingFiles } from '../../../src/config/mappings.ts';
import { shippedFiles } from '../core/helpers.ts';

const files = shippedFiles();

function problemsOf(changed: Record<string, string>): MappingProblem[] {
  const result = validateMappingFiles({ ...files, ...changed });
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

describe('YAML problems in a mappings file', () => {
  it('one bad indentation is one problem at its line and column (it was 194 for the shipped status map)', () => {
    // `version:` indented by one space: the parser notices at the next top-level key, and reads the rest out of place.
    const broken = files['status-map.yaml']!.replace('\nversion:', '\n version:');
    const line = broken.split('\n').findIndex((l) => l.startsWith('useSal:')) + 1;
    expect(problemsOf({ 'status-map.yaml': broken })).toEqual([
      { file: 'status-map.yaml', path: '', line, message: `YAML syntax: Unexpected scalar at node end (line ${line}, column 1)` },
    ]);
  });

  it('one unclosed quote is one problem at its line and column (it was 8)', () => {
    const text = files['mql-definition.yaml']!;
    const broken = text.replace("value: '\\bmanager\\b' }", "value: '\\bmanager\\b }");
    const line = broken.split('\n').findIndex((l) => l.includes("'\\bmanager\\b }")) + 1;
    expect(problemsOf({ 'mql-definition.yaml': broken })).toEqual([
      { file: 'mql-definition.yaml', path: '', line, message: `YAML syntax: Missing closing 'quote (line ${line}, column 67)` },
    ]);
  });

  it('a YAML alias bomb is a problem of its file, not an exception', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const [name, previous] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
      ['f', 'e'],
    ])
      levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    const bomb = `${levels.join('\n')}\n${files['sla-rules.yaml']}`;
    expect(problemsOf({ 'sla-rules.yaml': bomb })).toEqual([
      {
        file: 'sla-rules.yaml',
        path: '',
        line: 2,
        message: 'YAML could not be read: Excessive alias count indicates a resource exhaustion attack',
      },
    ]);
  });
});
