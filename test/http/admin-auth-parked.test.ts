import { describe, expect, it } from '@jest/globals';
import { SESSION_TTL_MS, issueSession, sessionIsValid, tokensMatch } from '../../src/http/admin/auth.ts';

describe('admin sessions', () => {
  const now = Date.parse('2025-03-01T09:00:00Z');

  it('accepts a session until it expires, and only for the token that issued it', () => {
    const session = issueSession('token-a', now);
    expect(session.expiresAt).toBe(now + SESSION_TTL_MS);
    expect(sessionIsValid(session.value, 'token-a', now + SESSION_TTL_MS - 1)).toBe(true);
    expect(sessionIsValid(session.value, 'token-a', now + SESSION_TTL_MS)).toBe(false);
    expect(sessionIsValid(session.value, 'token-b', now)).toBe(false);
    expect(sessionIsValid('garbage', 'token-a', now)).toBe(false);
  });

  it('compares tokens of any length without throwing', () => {
    expect(tokensMatch('abc', 'abc')).toBe(true);
    expect(tokensMatch('abc', 'abcd')).toBe(false);
    expect(tokensMatch('', 'abc')).toBe(false);
  });
});
