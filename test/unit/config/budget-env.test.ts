import { describe, expect, it } from '@jest/globals';
import { parseEnv } from '../../../src/config/env.ts';
import { envProblemsOf } from '../../support/env-fixtures.ts';

describe('API budget settings', () => {
  it('defaults to the lowest HubSpot tier, a UTC portal day, no Salesforce allocation and the standard shares', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      HUBSPOT_BURST_LIMIT: 100,
      HUBSPOT_DAILY_LIMIT: 250_000,
      HUBSPOT_PORTAL_TIMEZONE: 'UTC',
      HUBSPOT_PRIORITY_SHARES: { handoff: 1, sync: 0.9, bulk: 0.7 },
      SALESFORCE_ALLOCATION_SHARES: { handoff: 1, sync: 0.9, bulk: 0.7 },
      SALESFORCE_ORG_SHARES: { handoff: 1, sync: 0.95, bulk: 0.8 },
      SALESFORCE_BUDGET_PROBE_SECONDS: 300,
    });
    expect(env.SALESFORCE_DAILY_API_ALLOCATION).toBeUndefined();
  });

  it('reads the values an admin sets', () => {
    const env = parseEnv({
      HUBSPOT_BURST_LIMIT: '190',
      HUBSPOT_DAILY_LIMIT: '650000',
      HUBSPOT_PORTAL_TIMEZONE: 'America/New_York',
      SALESFORCE_DAILY_API_ALLOCATION: '20000',
      SALESFORCE_ALLOCATION_SHARES: 'bulk:50,sync:80',
    });
    expect(env).toMatchObject({
      HUBSPOT_BURST_LIMIT: 190,
      HUBSPOT_DAILY_LIMIT: 650_000,
      HUBSPOT_PORTAL_TIMEZONE: 'America/New_York',
      SALESFORCE_DAILY_API_ALLOCATION: 20_000,
    });
    expect(env.SALESFORCE_ALLOCATION_SHARES).toEqual({ handoff: 1, sync: 0.8, bulk: 0.5 });
    expect(parseEnv({ SALESFORCE_DAILY_API_ALLOCATION: '' }).SALESFORCE_DAILY_API_ALLOCATION).toBeUndefined();
  });

  it('names every wrong budget setting at once', () => {
    const found = envProblemsOf({
      HUBSPOT_BURST_LIMIT: '120',
      HUBSPOT_PORTAL_TIMEZONE: 'Mars/Olympus',
      SALESFORCE_DAILY_API_ALLOCATION: '-5',
      HUBSPOT_PRIORITY_SHARES: 'bulk:95',
      SALESFORCE_ORG_SHARES: 'urgent:10',
    }).join('\n');
    expect(found).toMatch(/HUBSPOT_BURST_LIMIT: must be 100, 190 or 250/);
    expect(found).toMatch(/HUBSPOT_PORTAL_TIMEZONE: must be an IANA time zone/);
    expect(found).toMatch(/SALESFORCE_DAILY_API_ALLOCATION/);
    expect(found).toMatch(/HUBSPOT_PRIORITY_SHARES: bulk \(95\) may not exceed sync \(90\)/);
    expect(found).toMatch(/SALESFORCE_ORG_SHARES: "urgent:10"/);
  });
});
