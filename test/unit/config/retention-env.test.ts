import { describe, expect, it } from '@jest/globals';
import { parseEnv, seedsSandboxHistory } from '../../../src/config/env.ts';
import { envProblemsOf, live } from '../../support/env-fixtures.ts';

describe('PERSONAL_DATA_RETENTION_DAYS', () => {
  it('defaults to 30 days and reads a whole number of days', () => {
    expect(parseEnv({}).PERSONAL_DATA_RETENTION_DAYS).toBe(30);
    expect(parseEnv({ PERSONAL_DATA_RETENTION_DAYS: '7' }).PERSONAL_DATA_RETENTION_DAYS).toBe(7);
  });

  it.each(['0', '-3', '1.5', 'forever'])('refuses %s, naming the variable', (value) => {
    expect(envProblemsOf({ PERSONAL_DATA_RETENTION_DAYS: value }).join('\n')).toContain('PERSONAL_DATA_RETENTION_DAYS');
  });
});

describe('MQL_EVALUATION_RETENTION_DAYS', () => {
  it('defaults to a quarter (92 days, the period a backtest looks back on) and reads a whole number of days', () => {
    expect(parseEnv({}).MQL_EVALUATION_RETENTION_DAYS).toBe(92);
    expect(parseEnv({ MQL_EVALUATION_RETENTION_DAYS: '30' }).MQL_EVALUATION_RETENTION_DAYS).toBe(30);
  });

  it.each(['0', '-3', '1.5', 'forever'])('refuses %s, naming the variable', (value) => {
    expect(envProblemsOf({ MQL_EVALUATION_RETENTION_DAYS: value }).join('\n')).toContain('MQL_EVALUATION_RETENTION_DAYS');
  });
});

describe('SANDBOX_HISTORY', () => {
  const sandbox = { HANDOFF_MODE: 'sandbox' };
  it('is on by default in sandbox mode, off when told, and never on in live mode', () => {
    expect(seedsSandboxHistory(parseEnv(sandbox))).toBe(true);
    expect(seedsSandboxHistory(parseEnv({ ...sandbox, SANDBOX_HISTORY: 'OFF ' }))).toBe(false);
    expect(seedsSandboxHistory(parseEnv({ ...live, SANDBOX_HISTORY: 'on' }))).toBe(false);
  });

  it('refuses anything but on or off, naming the variable', () => {
    expect(envProblemsOf({ ...sandbox, SANDBOX_HISTORY: 'yes' }).join('\n')).toContain('SANDBOX_HISTORY: must be on or off');
  });
});
