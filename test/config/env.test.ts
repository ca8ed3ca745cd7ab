import { describe, expect, it } from '@jest/globals';
import { ConfigError, parseEnv } from '../../src/config/env.ts';

function problemsOf(source: NodeJS.ProcessEnv): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('ADMIN_TOKEN', () => {
  it('refuses a token shorter than 32 characters, says how to make one, and never quotes the token', () => {
    const short = 'x'.repeat(20) + 'sekrit-tail';
    expect(short).toHaveLength(31);
    const problems = problemsOf({ ADMIN_TOKEN: short });
    expect(problems).toEqual([expect.stringMatching(/^ADMIN_TOKEN: must be at least 32 characters; generate one with `openssl rand -base64 32`/)]);
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
    ['loopback, 10.0.0.0/8, 203.0.113.7, fd00::/8, uniquelocal, linklocal', ['loopback', '10.0.0.0/8', '203.0.113.7', 'fd00::/8', 'uniquelocal', 'linklocal']],
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
    const problems = problemsOf({ TRUST_PROXY: text });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^TRUST_PROXY: must be false, true, a hop count/);
    expect(problems[0]).toMatch(reason);
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
    const problems = problemsOf({ DATABASE_URL: value });
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
