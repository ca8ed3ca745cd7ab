import { describe, expect, it } from '@jest/globals';
import type { PgBoss } from 'pg-boss';
import { SESSION_TTL_MS, issueSession, sessionIsValid, tokensMatch } from '../../src/http/admin/auth.ts';
import { requeueParkedHandoff } from '../../src/http/admin/parked-work.ts';
import { HANDOFF_QUEUE } from '../../src/jobs/handoff-queue.ts';
import type { ParkedWork } from '../../src/store/parked.ts';

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

describe('requeueParkedHandoff', () => {
  const item = (kind: string): ParkedWork => ({
    id: '7', kind, recordKey: '501', provider: 'salesforce', message: 'x', context: {}, parkedAt: new Date(), resolvedAt: null, attempts: 1,
  });

  it('queues a handoff job for the contact of a parked handoff, and refuses other kinds', async () => {
    const inserted: unknown[] = [];
    const boss = { insert: async (name: string, jobs: unknown[]) => { inserted.push({ name, jobs }); } } as unknown as PgBoss;
    await requeueParkedHandoff(boss)(item('handoff'));
    expect(inserted).toEqual([{ name: HANDOFF_QUEUE, jobs: [{ data: { contactId: '501' }, singletonKey: '501' }] }]);
    await expect(requeueParkedHandoff(boss)(item('sales_feedback'))).rejects.toThrow('parked sales_feedback work cannot be retried');
    expect(inserted).toHaveLength(1);
  });
});
