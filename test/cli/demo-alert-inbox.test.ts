import { describe, expect, it } from '@jest/globals';
import { startAlertInbox } from '../../src/cli/demo/alert-inbox.ts';

/** The demo's alert receiver: a loopback HTTP server, so not in the unit ring (test/unit/cli/demo-parts.test.ts has the rest). */
describe('alert inbox', () => {
  const alert = {
    event: 'sla_breached',
    clock: 'first_touch',
    leadId: '00Q1',
    hubspotContactId: '101',
    rule: 'r',
    dueAt: '2026-01-01T00:00:00.000Z',
    lateByMs: 400,
    text: 'SLA breached',
  };
  const post = (url: string, body: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('keeps a valid alert and answers 400 naming the path of a bad one', async () => {
    const inbox = await startAlertInbox();
    try {
      expect((await post(inbox.url, JSON.stringify(alert))).status).toBe(204);
      const bad = await post(inbox.url, JSON.stringify({ ...alert, clock: 'lunch' }));
      expect(bad.status).toBe(400);
      expect(JSON.stringify(await bad.json())).toContain('clock:');
      expect((await post(inbox.url, 'not json')).status).toBe(400);
      expect((await fetch(inbox.url)).status).toBe(405);
      expect(inbox.alerts).toEqual([{ ...alert, receivedAt: expect.any(Date) }]);
    } finally {
      await inbox.close();
    }
  });
});
