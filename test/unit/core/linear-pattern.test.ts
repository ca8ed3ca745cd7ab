import { runInNewContext } from 'node:vm';
import { describe, expect, it } from '@jest/globals';
import { conditionSchema, evaluateCondition, whenSchema } from '../../../src/core/definitions/conditions.ts';
import { MAX_MATCHED_LENGTH } from '../../../src/core/definitions/linear-pattern.ts';

/**
 * `matches` runs on RE2 (linear time). On JavaScript's backtracking RegExp, `^(a+)+$` against a 29-character
 * value took 7.3 s and each extra character doubles it (issue 15); the values below are thousands of characters
 * long, so on a backtracking engine they would not finish at all: each evaluation runs under node:vm's timeout,
 * which stops even synchronous code, so a regression fails here instead of hanging the run.
 */
const within = <T>(ms: number, run: () => T): T => runInNewContext('run()', { run }, { timeout: ms }) as T;
describe('matches on a linear-time engine', () => {
  const title = (value: string) => ({ jobtitle: value });

  it('answers a catastrophic pattern against a long hostile value', () => {
    const nested = conditionSchema.parse({ property: 'jobtitle', op: 'matches', value: '^(a+)+$' });
    expect(within(5_000, () => evaluateCondition(nested, title(`${'a'.repeat(MAX_MATCHED_LENGTH - 1)}!`)).matched)).toBe(false);
    expect(evaluateCondition(nested, title('a'.repeat(64))).matched).toBe(true);
    const alternation = conditionSchema.parse({ property: 'jobtitle', op: 'matches', value: '^(a|aa)+$' });
    expect(within(5_000, () => evaluateCondition(alternation, title(`${'a'.repeat(MAX_MATCHED_LENGTH - 1)}b`)).matched)).toBe(false);
  });

  it('compares only the first MAX_MATCHED_LENGTH characters of a value', () => {
    const tail = conditionSchema.parse({ property: 'jobtitle', op: 'matches', value: 'director' });
    expect(evaluateCondition(tail, title(`${'x'.repeat(MAX_MATCHED_LENGTH - 8)}director`)).matched).toBe(true);
    expect(evaluateCondition(tail, title(`${'x'.repeat(MAX_MATCHED_LENGTH)}director`)).matched).toBe(false);
  });

  it("keeps the shipped pattern's meaning: word boundaries, case ignored", () => {
    const senior = conditionSchema.parse({
      property: 'jobtitle',
      op: 'matches',
      value: '\\b(chief|ceo|cto|cio|coo|cfo|vp|vice president|head of|director)\\b',
    });
    expect(evaluateCondition(senior, title('VP Engineering')).matched).toBe(true);
    expect(evaluateCondition(senior, title('Head Of Growth')).matched).toBe(true);
    expect(evaluateCondition(senior, title('Developer')).matched).toBe(false);
    expect(evaluateCondition(senior, title("Directors' assistant")).matched).toBe(false);
  });

  it('refuses, with its path, a pattern RE2 cannot express', () => {
    const problems = (value: string) => {
      const result = whenSchema.safeParse({ all: [{ property: 'jobtitle', op: 'matches', value }] });
      return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    };
    expect(problems('(a)\\1')).toEqual([
      expect.stringMatching(/^all\.0\.value: invalid regular expression \(RE2 syntax: no backreferences or lookaround\): .*\\1/),
    ]);
    expect(problems('(?<=vp )sales')).toEqual([expect.stringMatching(/^all\.0\.value: invalid regular expression/)]);
    expect(problems('\\bvp\\b')).toEqual([]);
  });
});
