import { describe, expect, it } from '@jest/globals';
import { classifyFailure, type FailureFacts } from '../../../../src/core/handoff/failure-policy.ts';

describe('classifyFailure', () => {
  const table: Array<[string, FailureFacts, boolean, 'retry' | 'park' | 'fail']> = [
    ['a retryable provider error before the Salesforce writes: retry', { kind: 'provider', retryable: true, status: 503 }, false, 'retry'],
    ['a 429 before the Salesforce writes: retry', { kind: 'provider', retryable: true, status: 429 }, false, 'retry'],
    ['a permanent provider error: park', { kind: 'provider', retryable: false, status: 400, code: 'INVALID_FIELD' }, false, 'park'],
    ['a budget refusal: park', { kind: 'provider', retryable: false, code: 'BUDGET_EXHAUSTED' }, false, 'park'],
    ['a permanent provider error in the write-back: park', { kind: 'provider', retryable: false, status: 400 }, true, 'park'],
    [
      'a retryable provider error in the write-back: park (a retry would repeat the Salesforce writes)',
      { kind: 'provider', retryable: true, status: 503 },
      true,
      'park',
    ],
    ['anything else before the Salesforce writes is a bug: fail', { kind: 'other', retryable: false }, false, 'fail'],
    ['anything else in the write-back is a bug: fail', { kind: 'other', retryable: false }, true, 'fail'],
    ['even one that claims to be retryable', { kind: 'other', retryable: true }, false, 'fail'],
  ];
  it.each(table)('%s', (_name, facts, salesforceDone, action) => {
    const verdict = classifyFailure(facts, { salesforceDone });
    expect(verdict.action).toBe(action);
    expect(verdict.reason).toEqual(expect.any(String));
  });

  it('names the status and code in its reason', () => {
    expect(
      classifyFailure({ kind: 'provider', retryable: false, status: 400, code: 'INVALID_FIELD' }, { salesforceDone: false }).reason,
    ).toContain('400 INVALID_FIELD');
  });
});
