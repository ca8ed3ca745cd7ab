import { describe, expect, it } from '@jest/globals';
import { leadAssignmentOf } from '../../../src/adapters/salesforce/lead-assignment.ts';
import { parseEnv } from '../../../src/config/env.ts';
import { envProblemsOf } from '../../support/env-fixtures.ts';

/** SALESFORCE_LEAD_ASSIGNMENT picks the Sforce-Auto-Assign value of Lead creates (REST API Developer Guide, "Assignment Rule Header"). */
describe('SALESFORCE_LEAD_ASSIGNMENT', () => {
  it.each([
    [undefined, { kind: 'active-rule' }],
    ['active-rule', { kind: 'active-rule' }],
    ['none', { kind: 'none' }],
    [' 01Q5e000000AbCd ', { kind: 'rule', ruleId: '01Q5e000000AbCd' }],
    ['01Q5e000000AbCdEAF', { kind: 'rule', ruleId: '01Q5e000000AbCdEAF' }],
  ])('%j means %j', (value, assignment) => {
    const env = parseEnv(value === undefined ? {} : { SALESFORCE_LEAD_ASSIGNMENT: value });
    expect(leadAssignmentOf(env.SALESFORCE_LEAD_ASSIGNMENT)).toEqual(assignment);
  });

  it.each(['TRUE', 'false', 'round-robin', '00Q5e000000AbCd', '01Q5e000000AbC', '01Q5e000000AbCdE'])(
    'refuses %j, naming the variable and what it takes',
    (value) => {
      expect(envProblemsOf({ SALESFORCE_LEAD_ASSIGNMENT: value }).join('\n')).toMatch(
        /SALESFORCE_LEAD_ASSIGNMENT: must be active-rule, none, or a lead assignment rule id/,
      );
    },
  );
});
