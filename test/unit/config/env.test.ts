import { describe, expect, it } from '@jest/globals';
import { parseEnv, runModeOf } from '../../../src/config/env.ts';
import { envProblemsOf, live } from '../../support/env-fixtures.ts';

describe('environment', () => {
  it('applies the documented defaults and runs in sandbox mode without credentials', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ PORT: 3000, DATA_DIR: './data', MAPPINGS_DIR: './mappings', SALESFORCE_API_VERSION: '66.0' });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(runModeOf(env).kind).toBe('sandbox');
  });

  it('runs live with every credential', () => {
    expect(runModeOf(parseEnv(live)).kind).toBe('live');
  });

  it('names every problem at once', () => {
    const problems = envProblemsOf({ PORT: 'eighty', SALESFORCE_API_VERSION: '62', HUBSPOT_ACCESS_TOKEN: 'x' }).join('\n');
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/SALESFORCE_API_VERSION: must look like 66.0/);
  });

  it('refuses a partial set of credentials, naming what is missing', () => {
    const { SALESFORCE_CLIENT_SECRET: _omitted, HUBSPOT_CLIENT_SECRET: _hub, PUBLIC_BASE_URL: _also, ...partial } = live;
    expect(envProblemsOf(partial)).toEqual([
      'HUBSPOT_CLIENT_SECRET: required when any provider credential is set (live mode)',
      'SALESFORCE_CLIENT_SECRET: required by the refresh-token flow',
      'PUBLIC_BASE_URL: required in live mode (HubSpot signs requests against it)',
    ]);
  });

  it('without the refresh token, client id and secret are the client credentials flow, which refuses login.salesforce.com', () => {
    const { SALESFORCE_REFRESH_TOKEN: _omitted, ...partial } = live;
    expect(() => parseEnv(partial)).toThrow(/SALESFORCE_LOGIN_URL: the client credentials flow needs the org's My Domain URL/);
  });

  it('reads the handoff batch window: 0 by default, milliseconds up to a minute, anything else named', () => {
    expect(parseEnv({}).HANDOFF_BATCH_WINDOW_MS).toBe(0);
    expect(parseEnv({ HANDOFF_BATCH_WINDOW_MS: '2000' }).HANDOFF_BATCH_WINDOW_MS).toBe(2000);
    expect(parseEnv({ HANDOFF_BATCH_WINDOW_MS: '60000' }).HANDOFF_BATCH_WINDOW_MS).toBe(60_000);
    const problemsOf = (value: string) => envProblemsOf({ HANDOFF_BATCH_WINDOW_MS: value });
    expect(problemsOf('two seconds')).toEqual(['HANDOFF_BATCH_WINDOW_MS: must be a whole number of milliseconds']);
    expect(problemsOf('1.5')).toEqual(['HANDOFF_BATCH_WINDOW_MS: must be a whole number of milliseconds']);
    expect(problemsOf('-1')).toEqual(['HANDOFF_BATCH_WINDOW_MS: must be 0 (off) or more']);
    expect(problemsOf('60001')).toEqual(['HANDOFF_BATCH_WINDOW_MS: must be at most 60000 (one minute)']);
  });

  it('reads the kept values max age: 600 s by default, 0 (off) up to a day, anything else named', () => {
    expect(parseEnv({}).HANDOFF_KEPT_VALUES_MAX_AGE_SECONDS).toBe(600);
    expect(parseEnv({ HANDOFF_KEPT_VALUES_MAX_AGE_SECONDS: '0' }).HANDOFF_KEPT_VALUES_MAX_AGE_SECONDS).toBe(0);
    expect(parseEnv({ HANDOFF_KEPT_VALUES_MAX_AGE_SECONDS: '86400' }).HANDOFF_KEPT_VALUES_MAX_AGE_SECONDS).toBe(86_400);
    const problemsOf = (value: string) => envProblemsOf({ HANDOFF_KEPT_VALUES_MAX_AGE_SECONDS: value });
    expect(problemsOf('ten minutes')).toEqual(['HANDOFF_KEPT_VALUES_MAX_AGE_SECONDS: must be a whole number of seconds']);
    expect(problemsOf('-1')).toEqual(['HANDOFF_KEPT_VALUES_MAX_AGE_SECONDS: must be 0 (off) or more']);
    expect(problemsOf('86401')).toEqual(['HANDOFF_KEPT_VALUES_MAX_AGE_SECONDS: must be at most 86400 (one day)']);
  });

  it('reads the real-time share of the HubSpot burst window: 50 % by default, whole percentages 1..100, anything else named', () => {
    expect(parseEnv({}).HANDOFF_REALTIME_SHARE).toBe(50);
    expect(parseEnv({ HANDOFF_REALTIME_SHARE: '1' }).HANDOFF_REALTIME_SHARE).toBe(1);
    expect(parseEnv({ HANDOFF_REALTIME_SHARE: '100' }).HANDOFF_REALTIME_SHARE).toBe(100);
    const problemsOf = (value: string) => envProblemsOf({ HANDOFF_REALTIME_SHARE: value });
    const whole = 'HANDOFF_REALTIME_SHARE: must be a whole percentage (1..100) of the HubSpot burst window';
    expect(problemsOf('half')).toEqual([whole]);
    expect(problemsOf('50.5')).toEqual([whole]);
    expect(problemsOf('0')).toEqual(['HANDOFF_REALTIME_SHARE: must be at least 1 (percent of the HubSpot burst window)']);
    expect(problemsOf('101')).toEqual(['HANDOFF_REALTIME_SHARE: must be at most 100 (percent of the HubSpot burst window)']);
  });

  it('reads the HubSpot write-back window: 500 ms by default, 0 (at once) up to ten seconds, anything else named', () => {
    expect(parseEnv({}).HUBSPOT_WRITEBACK_WINDOW_MS).toBe(2_000);
    expect(parseEnv({ HUBSPOT_WRITEBACK_WINDOW_MS: '0' }).HUBSPOT_WRITEBACK_WINDOW_MS).toBe(0);
    expect(parseEnv({ HUBSPOT_WRITEBACK_WINDOW_MS: '10000' }).HUBSPOT_WRITEBACK_WINDOW_MS).toBe(10_000);
    const problemsOf = (value: string) => envProblemsOf({ HUBSPOT_WRITEBACK_WINDOW_MS: value });
    expect(problemsOf('half a second')).toEqual(['HUBSPOT_WRITEBACK_WINDOW_MS: must be a whole number of milliseconds']);
    expect(problemsOf('-1')).toEqual(['HUBSPOT_WRITEBACK_WINDOW_MS: must be 0 (send at once) or more']);
    expect(problemsOf('10001')).toEqual(['HUBSPOT_WRITEBACK_WINDOW_MS: must be at most 10000 (ten seconds)']);
  });

  it('treats empty strings as unset', () => {
    expect(parseEnv({ DATABASE_URL: '', HUBSPOT_ACCESS_TOKEN: '' }).DATABASE_URL).toBeUndefined();
  });
});
