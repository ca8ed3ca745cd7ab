import { describe, expect, it } from '@jest/globals';
import { parseEnv } from '../../../src/config/env.ts';
import { envProblemsOf } from '../../support/env-fixtures.ts';

describe('settings that moved into routing.yaml', () => {
  it.each(['active-rule', 'none', '01Q5e000000AbCd'])('SALESFORCE_LEAD_ASSIGNMENT=%s stops the start, saying where it went', (value) => {
    expect(envProblemsOf({ SALESFORCE_LEAD_ASSIGNMENT: value }).join('\n')).toMatch(
      /SALESFORCE_LEAD_ASSIGNMENT: moved to mappings\/routing\.yaml: remove it, and there use `fallback: salesforce-rules`/,
    );
  });

  it('unset (or empty) is fine', () => {
    expect(() => parseEnv({ SALESFORCE_LEAD_ASSIGNMENT: '' })).not.toThrow();
    expect(() => parseEnv({})).not.toThrow();
  });
});
