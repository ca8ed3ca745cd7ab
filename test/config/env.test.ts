import { describe, expect, it } from '@jest/globals';
import { parseEnv, runModeOf } from '../../src/config/env.ts';
import { envProblemsOf, live } from '../support/env-fixtures.ts';

describe('ADMIN_TOKEN', () => {
  it('refuses a token shorter than 32 characters, says how to make one, and never quotes the token', () => {
    const short = `${'x'.repeat(20)}sekrit-tail`;
    expect(short).toHaveLength(31);
    const problems = envProblemsOf({ ADMIN_TOKEN: short });
    expect(problems).toEqual([
      expect.stringMatching(/^ADMIN_TOKEN: must be at least 32 characters; generate one with `openssl rand -base64 32`/),
    ]);
    expect(problems[0]).toContain('randomBytes(32)');
    expect(problems[0]).not.toContain('sekrit');
  });

  it('accepts 32 characters or more, and unset (the admin API stays off)', () => {
    expect(parseEnv({ ADMIN_TOKEN: 'a'.repeat(32) }).ADMIN_TOKEN).toBe('a'.repeat(32));
    expect(parseEnv({}).ADMIN_TOKEN).toBeUndefined();
    expect(parseEnv({ ADMIN_TOKEN: '' }).ADMIN_TOKEN).toBeUndefined();
  });
});

describe('TRUST_PROXY (Express "behind proxies": boolean, hop count, addresses and subnets)', () => {
  it('is loopback unless set', () => {
    expect(parseEnv({}).TRUST_PROXY).toEqual(['loopback']);
    expect(parseEnv({ TRUST_PROXY: '' }).TRUST_PROXY).toEqual(['loopback']);
  });

  it.each([
    ['false', false],
    ['true', true],
    ['2', 2],
    ['0', 0],
    [
      'loopback, 10.0.0.0/8, 203.0.113.7, fd00::/8, uniquelocal, linklocal',
      ['loopback', '10.0.0.0/8', '203.0.113.7', 'fd00::/8', 'uniquelocal', 'linklocal'],
    ],
    ['192.168.0.0/255.255.0.0', ['192.168.0.0/255.255.0.0']],
  ])('reads %s', (text, value) => {
    expect(parseEnv({ TRUST_PROXY: text }).TRUST_PROXY).toEqual(value);
  });

  it.each([
    ['yes', /"yes" is not an address/],
    ['-1', /"-1" is not an address/],
    ['10.0.0.0/33', /"10.0.0.0\/33" has a prefix length that is not 0 to 32/],
    ['fd00::/129', /"fd00::\/129" has a prefix length that is not 0 to 128/],
    ['loopback,,10.0.0.1', /an entry is empty/],
    ['localhost', /"localhost" is not an address/],
  ])('refuses %s, naming the variable', (text, reason) => {
    const problems = envProblemsOf({ TRUST_PROXY: text });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^TRUST_PROXY: must be false, true, a hop count/);
    expect(problems[0]).toMatch(reason);
  });
});

describe('HOST', () => {
  it('binds loopback in sandbox mode and every address in live mode, unless HOST says otherwise', () => {
    expect(parseEnv({}).HOST).toBe('127.0.0.1');
    expect(parseEnv({ HANDOFF_MODE: 'sandbox', NODE_ENV: 'production' }).HOST).toBe('127.0.0.1');
    expect(parseEnv(live).HOST).toBe('0.0.0.0');
    expect(parseEnv({ HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
    expect(parseEnv({ ...live, HOST: '10.1.2.3' }).HOST).toBe('10.1.2.3');
  });
});

describe('HANDOFF_MODE', () => {
  it('live without credentials names every missing variable instead of starting the sandbox', () => {
    expect(envProblemsOf({ HANDOFF_MODE: 'live' })).toEqual([
      'HUBSPOT_ACCESS_TOKEN: required in live mode (HANDOFF_MODE=live)',
      'HUBSPOT_CLIENT_SECRET: required in live mode (HANDOFF_MODE=live)',
      expect.stringMatching(/^SALESFORCE_CLIENT_ID: required\. Salesforce login needs the variables of exactly one flow/),
      'PUBLIC_BASE_URL: required in live mode (HubSpot signs requests against it)',
    ]);
  });

  it('under NODE_ENV=production, unset or auto, missing credentials are an error, never sandbox mode', () => {
    for (const mode of [{}, { HANDOFF_MODE: 'auto' }]) {
      const problems = envProblemsOf({ NODE_ENV: 'production', ...mode });
      expect(problems.map((problem) => problem.slice(0, problem.indexOf(':')))).toEqual([
        'HUBSPOT_ACCESS_TOKEN',
        'HUBSPOT_CLIENT_SECRET',
        'SALESFORCE_CLIENT_ID',
        'PUBLIC_BASE_URL',
      ]);
      expect(problems[0]).toMatch(
        /NODE_ENV=production never falls back to sandbox mode; HANDOFF_MODE=sandbox runs the built-in simulators/,
      );
    }
    expect(runModeOf(parseEnv({ NODE_ENV: 'production', ...live })).kind).toBe('live');
  });

  it('sandbox is what it says, in production too', () => {
    expect(runModeOf(parseEnv({ HANDOFF_MODE: 'sandbox', NODE_ENV: 'production' }))).toEqual({
      kind: 'sandbox',
      reason: 'HANDOFF_MODE=sandbox',
    });
    expect(runModeOf(parseEnv({ NODE_ENV: 'development' })).kind).toBe('sandbox');
  });

  it('sandbox with provider credentials set is an error naming them, never a guess', () => {
    expect(envProblemsOf({ HANDOFF_MODE: 'sandbox', HUBSPOT_ACCESS_TOKEN: 'pat', SALESFORCE_CLIENT_ID: 'cid' })).toEqual([
      'HUBSPOT_ACCESS_TOKEN, SALESFORCE_CLIENT_ID: set, but HANDOFF_MODE=sandbox runs on the built-in simulators and would ignore them; unset them, or set HANDOFF_MODE=live',
    ]);
  });

  it('live with every credential runs live; auto (or empty) decides by the credentials', () => {
    expect(runModeOf(parseEnv({ ...live, HANDOFF_MODE: 'live' })).kind).toBe('live');
    expect(runModeOf(parseEnv({ HANDOFF_MODE: '' })).kind).toBe('sandbox');
    expect(runModeOf(parseEnv({ ...live, HANDOFF_MODE: 'auto' })).kind).toBe('live');
  });

  it('refuses anything else, naming the variable', () => {
    expect(envProblemsOf({ HANDOFF_MODE: 'production' })).toEqual(['HANDOFF_MODE: must be auto, live or sandbox']);
  });
});

describe('problems in one round', () => {
  it('reports the schema problems and the run-mode problems together', () => {
    const problems = envProblemsOf({ PORT: 'eighty', ADMIN_TOKEN: 'short', HANDOFF_MODE: 'live', HUBSPOT_ACCESS_TOKEN: 'pat' });
    expect(problems.map((problem) => problem.slice(0, problem.indexOf(':')))).toEqual([
      'PORT',
      'ADMIN_TOKEN',
      'HUBSPOT_CLIENT_SECRET',
      'SALESFORCE_CLIENT_ID',
      'PUBLIC_BASE_URL',
    ]);
  });

  it('does not report a variable twice when the schema already refused it', () => {
    const problems = envProblemsOf({ ...live, PUBLIC_BASE_URL: 'not a url', SALESFORCE_INSTANCE_URL: 'nope' });
    expect(problems.map((problem) => problem.slice(0, problem.indexOf(':')))).toEqual(['PUBLIC_BASE_URL', 'SALESFORCE_INSTANCE_URL']);
  });
});

describe('DATABASE_URL (libpq "Connection URIs")', () => {
  const password = 'hunter2-do-not-print';

  it.each([
    ['garbage', /^DATABASE_URL: is not a URL; expected postgresql:\/\/USER:PASSWORD@HOST:5432\/DATABASE/],
    [`mysql://app:${password}@db.internal/handoff`, /^DATABASE_URL: must start with postgresql:\/\/ or postgres:\/\//],
    ['postgresql:///handoff', /^DATABASE_URL: names no host/],
    [`postgres://app:${password}@db.internal:5432`, /^DATABASE_URL: names no database name/],
    [`postgres://app:${password}@db.internal:5432/`, /^DATABASE_URL: names no database name/],
  ])('refuses %s without echoing it', (value, reason) => {
    const problems = envProblemsOf({ DATABASE_URL: value });
    expect(problems).toEqual([expect.stringMatching(reason)]);
    expect(problems[0]).toContain('the value is not shown');
    expect(problems[0]).not.toContain(password);
    expect(problems[0]).not.toContain('db.internal');
  });

  it.each([
    `postgres://app:${password}@db.internal:5432/handoff`,
    'postgresql://app@10.0.0.5/handoff?sslmode=require',
    'postgresql:///handoff?host=/var/run/postgresql',
  ])('accepts %s', (value) => {
    expect(parseEnv({ DATABASE_URL: value }).DATABASE_URL).toBe(value);
  });
});
