import { describe, expect, it } from '@jest/globals';
import { parseEnv } from '../../../src/config/env.ts';
import { changeEventsOn } from '../../../src/service/change-events.ts';
import { envProblemsOf } from '../../support/env-fixtures.ts';

describe('SALESFORCE_CDC and its settings', () => {
  it('defaults to on in sandbox mode and off in live mode; either can be said outright', () => {
    expect(changeEventsOn(parseEnv({}), true)).toBe(true);
    expect(changeEventsOn(parseEnv({}), false)).toBe(false);
    expect(changeEventsOn(parseEnv({ SALESFORCE_CDC: 'ON' }), false)).toBe(true);
    expect(changeEventsOn(parseEnv({ SALESFORCE_CDC: ' off' }), true)).toBe(false);
  });

  it('defaults to Salesforce’s Pub/Sub endpoint (Pub/Sub API Endpoints), a 10-minute drift check and a 300 s silence', () => {
    const env = parseEnv({});
    expect(env.SALESFORCE_PUBSUB_ENDPOINT).toBe('api.pubsub.salesforce.com:7443');
    expect(env.SALESFORCE_CDC_DRIFT_CHECK_SECONDS).toBe(600);
    expect(env.SALESFORCE_CDC_SILENCE_SECONDS).toBe(300);
  });

  it.each([
    ['SALESFORCE_CDC', 'yes'],
    ['SALESFORCE_PUBSUB_ENDPOINT', 'https://api.pubsub.salesforce.com'],
    ['SALESFORCE_PUBSUB_ENDPOINT', 'api.pubsub.salesforce.com'],
    ['SALESFORCE_CDC_DRIFT_CHECK_SECONDS', '5'],
    ['SALESFORCE_CDC_SILENCE_SECONDS', '0'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(envProblemsOf({ [name]: value }).join('\n')).toContain(name);
  });
});
