import { describe, expect, it } from '@jest/globals';
import { tokensMatch } from '../../src/http/admin/auth.ts';
import { createAdminSessions, memorySessionStore, SESSION_TTL_MS } from '../../src/http/admin/sessions.ts';

describe('admin sessions', () => {
  const now = Date.parse('2025-03-01T09:00:00Z');

  it('accepts a session until it expires, and only for the token that issued it', async () => {
    const sessions = createAdminSessions(memorySessionStore());
    const session = await sessions.open('token-a', now, 'Ana Ops');
    expect(session.expiresAt).toBe(now + SESSION_TTL_MS);
    expect(await sessions.find(session.value, 'token-a', now)).toEqual({ name: 'Ana Ops' });
    expect(await sessions.isValid(session.value, 'token-a', now + SESSION_TTL_MS - 1)).toBe(true);
    expect(await sessions.isValid(session.value, 'token-a', now + SESSION_TTL_MS)).toBe(false);
    expect(await sessions.isValid('garbage', 'token-a', now)).toBe(false);
    const other = await sessions.open('token-a', now, 'Ana Ops');
    expect(await sessions.isValid(other.value, 'token-b', now)).toBe(false);
    // Refused once for another token, the session is gone, even for the token that opened it.
    expect(await sessions.isValid(other.value, 'token-a', now)).toBe(false);
  });

  it('ends a session when it is closed', async () => {
    const sessions = createAdminSessions(memorySessionStore());
    const session = await sessions.open('token-a', now, 'Ana Ops');
    await sessions.close(session.value);
    expect(await sessions.isValid(session.value, 'token-a', now)).toBe(false);
  });

  it('compares tokens of any length without throwing', () => {
    expect(tokensMatch('abc', 'abc')).toBe(true);
    expect(tokensMatch('abc', 'abcd')).toBe(false);
    expect(tokensMatch('', 'abc')).toBe(false);
  });
});
