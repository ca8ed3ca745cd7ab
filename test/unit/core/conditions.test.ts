import { describe, expect, it } from '@jest/globals';
import { type Condition, conditionSchema, evaluateCondition, evaluateWhen, whenSchema } from '../../../src/core/definitions/conditions.ts';

const cond = (c: Record<string, unknown>): Condition => conditionSchema.parse(c);

describe('condition operators', () => {
  const cases: Array<[string, Record<string, unknown>, string, boolean]> = [
    ['eq text ignores case', { op: 'eq', value: 'computer_software' }, 'COMPUTER_SOFTWARE', true],
    ['eq text differs', { op: 'eq', value: 'RETAIL' }, 'COMPUTER_SOFTWARE', false],
    ['eq number compares numerically', { op: 'eq', value: 1000 }, '1000.0', true],
    ['neq', { op: 'neq', value: 'RETAIL' }, 'BANKING', true],
    ['neq same', { op: 'neq', value: 'RETAIL' }, 'retail', false],
    ['in', { op: 'in', values: ['A', 'B'] }, 'b', true],
    ['in miss', { op: 'in', values: ['A', 'B'] }, 'C', false],
    ['notIn', { op: 'notIn', values: ['A', 'B'] }, 'C', true],
    ['notIn hit', { op: 'notIn', values: ['A', 'B'] }, 'a', false],
    ['contains ignores case', { op: 'contains', value: 'SALES' }, 'Head of Sales Ops', true],
    ['contains miss', { op: 'contains', value: 'finance' }, 'Head of Sales', false],
    ['matches is case-insensitive', { op: 'matches', value: '^vp\\b' }, 'VP Marketing', true],
    ['matches miss', { op: 'matches', value: '^vp\\b' }, 'SVP Marketing', false],
    ['gt', { op: 'gt', value: 10 }, '11', true],
    ['gt equal', { op: 'gt', value: 10 }, '10', false],
    ['gte equal', { op: 'gte', value: 10 }, '10', true],
    ['gte below', { op: 'gte', value: 10 }, '9.99', false],
    ['lt', { op: 'lt', value: 10 }, '9', true],
    ['lt equal', { op: 'lt', value: 10 }, '10', false],
    ['lte equal', { op: 'lte', value: 10 }, '10', true],
    ['lte above', { op: 'lte', value: 10 }, '11', false],
    ['gt with non-number text', { op: 'gt', value: 1 }, 'many', false],
    ['between low edge', { op: 'between', min: 50, max: 999 }, '50', true],
    ['between high edge', { op: 'between', min: 50, max: 999 }, '999', true],
    ['between above', { op: 'between', min: 50, max: 999 }, '1000', false],
    ['between below', { op: 'between', min: 50, max: 999 }, '49', false],
    ['exists', { op: 'exists' }, 'x', true],
    ['isTrue "true"', { op: 'isTrue' }, 'true', true],
    ['isTrue "TRUE"', { op: 'isTrue' }, 'TRUE', true],
    ['isTrue "false"', { op: 'isTrue' }, 'false', false],
    ['emailDomainIn exact', { op: 'emailDomainIn', values: ['gmail.com'] }, 'Someone@GMAIL.com', true],
    ['emailDomainIn sub-domain', { op: 'emailDomainIn', values: ['edu'] }, 'a@mit.edu', true],
    ['emailDomainIn lookalike', { op: 'emailDomainIn', values: ['mail.com'] }, 'a@gmail.com', false],
    ['emailDomainIn no @', { op: 'emailDomainIn', values: ['gmail.com'] }, 'gmail.com', false],
  ];
  it.each(cases)('%s', (_name, c, raw, expected) => {
    expect(evaluateCondition(cond({ property: 'p', ...c }), { p: raw }).matched).toBe(expected);
  });

  it.each(['eq', 'neq', 'notIn', 'exists', 'isTrue'])('an empty property never matches (%s)', (op) => {
    const operands = op === 'notIn' ? { values: ['x'] } : op === 'eq' || op === 'neq' ? { value: 'x' } : {};
    const c = cond({ property: 'p', op, ...operands });
    expect(evaluateCondition(c, { p: '  ' }).matched).toBe(false);
    expect(evaluateCondition(c, {}).matched).toBe(false);
    expect(evaluateCondition(c, { p: null }).matched).toBe(false);
  });

  it('shows only the domain of an e-mail in the detail', () => {
    const result = evaluateCondition(cond({ property: 'email', op: 'emailDomainIn', values: ['x.example'] }), { email: 'jane@x.example' });
    expect(result.detail).toBe('email domain x.example');
  });
});

describe('all / any', () => {
  const when = (w: unknown) => whenSchema.parse(w);
  const pair = [
    { property: 'a', op: 'eq', value: '1' },
    { property: 'b', op: 'eq', value: '2' },
  ];
  it('all needs every condition', () => {
    expect(evaluateWhen(when({ all: pair }), { a: '1', b: '2' }).matched).toBe(true);
    expect(evaluateWhen(when({ all: pair }), { a: '1', b: '3' }).matched).toBe(false);
  });
  it('any needs one condition', () => {
    expect(evaluateWhen(when({ any: pair }), { a: '0', b: '2' }).matched).toBe(true);
    expect(evaluateWhen(when({ any: pair }), { a: '0', b: '3' }).matched).toBe(false);
  });
});

describe('condition validation', () => {
  const problems = (c: Record<string, unknown>) => {
    const result = whenSchema.safeParse(c);
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  it('rejects an unknown operator', () => {
    expect(problems({ property: 'p', op: 'like', value: 'x' }).join()).toMatch(/^op: /);
  });
  it('rejects an invalid regular expression at load', () => {
    expect(problems({ property: 'p', op: 'matches', value: '(unclosed' })).toEqual([
      expect.stringMatching(/^value: invalid regular expression/),
    ]);
  });
  it('requires the operands an operator needs and refuses others', () => {
    expect(problems({ property: 'p', op: 'in', value: 'x' })).toEqual(['value: in does not use value', 'values: in needs values']);
    expect(problems({ property: 'p', op: 'gte', value: 'ten' })).toEqual(['value: gte compares numbers: value must be a number']);
    expect(problems({ property: 'p', op: 'between', min: 5, max: 1 })).toEqual(['max: max must be ≥ min']);
  });
  it('keeps the path inside all/any', () => {
    expect(
      problems({
        all: [
          { property: 'p', op: 'eq', value: 'x' },
          { property: 'p', op: 'isTrue', value: 'x' },
        ],
      }),
    ).toEqual(['all.1.value: isTrue does not use value']);
  });
});
