import { describe, expect, it } from '@jest/globals';
import { ConfigError, parseEnv, runModeOf } from '../../../src/config/env.ts';

const live = {
  PUBLIC_BASE_URL: 'https://handoff.example.com',
  HUBSPOT_ACCESS_TOKEN: 'pat-na1-x',
  HUBSPOT_CLIENT_SECRET: 'secret',
  SALESFORCE_INSTANCE_URL: 'https://example.my.salesforce.com',
  SALESFORCE_CLIENT_ID: 'cid',
  SALESFORCE_CLIENT_SECRET: 'csecret',
  SALESFORCE_REFRESH_TOKEN: 'rtoken',
};

describe('environment', () => {
  it('applies the documented defaults and runs in sandbox mode without credentials', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ PORT: 3000, DATA_DIR: './data', MAPPINGS_DIR: './mappings', SALESFORCE_API_VERSION: '62.0' });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(runModeOf(env).kind).toBe('sandbox');
  });

  it('runs live with every credential', () => {
    expect(runModeOf(parseEnv(live)).kind).toBe('live');
  });

  it('names every problem at once', () => {
    const attempt = () => parseEnv({ PORT: 'eighty', SALESFORCE_API_VERSION: '62', HUBSPOT_ACCESS_TOKEN: 'x' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/PORT/);
      expect(problems).toMatch(/SALESFORCE_API_VERSION: must look like 62.0/);
    }
  });

  it('refuses a partial set of credentials, naming what is missing', () => {
    const { SALESFORCE_REFRESH_TOKEN: _omitted, PUBLIC_BASE_URL: _also, ...partial } = live;
    try {
      parseEnv(partial);
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        'SALESFORCE_REFRESH_TOKEN: required when any provider credential is set (live mode)',
        'PUBLIC_BASE_URL: required in live mode (HubSpot signs requests against it)',
      ]);
    }
  });

  it('treats empty strings as unset', () => {
    expect(parseEnv({ DATABASE_URL: '', HUBSPOT_ACCESS_TOKEN: '' }).DATABASE_URL).toBeUndefined();
  });
});
