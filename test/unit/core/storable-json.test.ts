import { runInNewContext } from 'node:vm';
import { describe, expect, it } from '@jest/globals';
import { unstorableJsonReason } from '../../../src/core/storable-json.ts';

/** A generous bound: the walk stops at the depth limit, while a recursive one would overflow the stack (not hang). */
const within = <T>(ms: number, run: () => T): T => runInNewContext('run()', { run }, { timeout: ms }) as T;
const check = (value: unknown) => unstorableJsonReason(value, { maxDepth: 4 });

describe('unstorableJsonReason', () => {
  it.each([
    ['flat scalars', { a: 1, b: 'x', c: null, d: true }, undefined],
    ['nesting at the limit', { a: [{ b: [1] }] }, undefined],
    ['nesting past the limit', { a: [{ b: [[1]] }] }, 'nested deeper than 4 levels (in a)'],
    ['a paired surrogate (an emoji)', { a: 'ok \ud83d\ude00' }, undefined],
    ['a lone high surrogate in a value', { v: 'VP \ud800 Sales' }, 'text holds a lone UTF-16 surrogate (in v)'],
    ['a lone low surrogate deep inside', { v: [{ w: '\udc00' }] }, 'text holds a lone UTF-16 surrogate (in v)'],
    ['a lone surrogate in a field name', { v: { 'k\ud800': 1 } }, 'a field name holds a lone UTF-16 surrogate (in v)'],
    ['a field name that is not plain', { 'bad name\ud800': 'x' }, 'a field name holds a lone UTF-16 surrogate'],
    ['a top-level field with an odd name', { 'a b': [[[[1]]]] }, 'nested deeper than 4 levels (in a field)'],
  ])('%s', (_label, value, expected) => {
    expect(check(value)).toBe(expected);
  });

  it('measures a million levels of nesting without recursion (JSON.stringify throws a RangeError on it)', () => {
    const depth = 1_000_000;
    const deep = JSON.parse(`{"x":${'['.repeat(depth)}${']'.repeat(depth)}}`) as unknown;
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    expect(within(5_000, () => unstorableJsonReason(deep, { maxDepth: 32 }))).toBe('nested deeper than 32 levels (in x)');
  });
});
