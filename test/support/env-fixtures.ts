import { ConfigError, parseEnv } from '../../src/config/env.ts';

// Shared by the environment tests so the live credentials and the way a refusal is read are written once.

/** Every credential live mode asks for, with placeholder values. */
export const live = {
  PUBLIC_BASE_URL: 'https://handoff.example.com',
  HUBSPOT_ACCESS_TOKEN: 'pat-na1-x',
  HUBSPOT_CLIENT_SECRET: 'secret',
  SALESFORCE_INSTANCE_URL: 'https://example.my.salesforce.com',
  SALESFORCE_CLIENT_ID: 'cid',
  SALESFORCE_CLIENT_SECRET: 'csecret',
  SALESFORCE_REFRESH_TOKEN: 'rtoken',
};

/** The problems parseEnv names for `source`; throws when it accepts it or fails with anything but a ConfigError. */
export function envProblemsOf(source: NodeJS.ProcessEnv): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
