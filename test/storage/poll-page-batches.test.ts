import { describe, expect, it } from '@jest/globals';
import { PRIVACY_DELETION } from '../../src/core/privacy/contact-erasure.ts';
import type { Database } from '../../src/store/database.ts';
import { appendHistory } from '../../src/store/history.ts';
import { type LeadMemoryInput, leadMemories, rememberLead, rememberLeads } from '../../src/store/lead-memory.ts';
import { listParked, park, parkMany } from '../../src/store/parked.ts';
import { runningClocks, type SlaKind, type SlaTimerInput, startClocks, stopClocksMany } from '../../src/store/sla-timers.ts';
import { useFreshDatabase } from '../support/databases.ts';

/** The batch writes the Salesforce poll records a page with: each leaves what the one-row function would, in order. */
describe('batch writes for a page of Leads', () => {
  let db: Database;
  useFreshDatabase((opened) => (db = opened));

  const memory = (leadId: string, contactId: string, fingerprint: string, flag: LeadMemoryInput['flag'] = null): LeadMemoryInput => ({
    leadId,
    hubspotContactId: contactId,
    stage: 'rejected',
    status: 'Rejected',
    fingerprint,
    flag,
  });

  describe('rememberLeads', () => {
    it('remembers many Leads in one call: a flag keeps its time while it stays open, an erased contact is skipped', async () => {
      await rememberLead(db, memory('00QKEEP', '1', 'f1', { kind: 'missing_rejection_reason', taskId: '00T1' }));
      const opened = (await leadMemories(db, ['00QKEEP'])).get('00QKEEP')!;
      await appendHistory(db, [{ hubspotContactId: '3', action: 'erased', detail: { event: PRIVACY_DELETION } }]);

      await rememberLeads(db, [
        memory('00QKEEP', '1', 'f2', { kind: 'missing_rejection_reason', taskId: '00T1' }),
        memory('00QNEW', '2', 'n1', { kind: 'bant_not_met', taskId: null }),
        memory('00QERASED', '3', 'e1'),
      ]);
      const remembered = await leadMemories(db, ['00QKEEP', '00QNEW', '00QERASED']);
      expect(remembered.get('00QKEEP')).toMatchObject({ fingerprint: 'f2', flagged: 'missing_rejection_reason', flagTaskId: '00T1' });
      expect(remembered.get('00QKEEP')!.flaggedAt?.getTime()).toBe(opened.flaggedAt?.getTime());
      expect(remembered.get('00QNEW')).toMatchObject({
        fingerprint: 'n1',
        flagged: 'bant_not_met',
        flagTaskId: null,
        flaggedAt: expect.any(Date),
      });
      expect(remembered.has('00QERASED')).toBe(false);
    });

    it('remembers a Lead given twice as one by one would: the last input wins', async () => {
      await rememberLeads(db, [memory('00QTWICE', '4', 't1', { kind: 'bant_not_met', taskId: '00T2' }), memory('00QTWICE', '4', 't2')]);
      expect((await leadMemories(db, ['00QTWICE'])).get('00QTWICE')).toMatchObject({ fingerprint: 't2', flagged: null, flaggedAt: null });
    });
  });

  describe('parkMany', () => {
    it('parks many entries in one call, in input order, counting an attempt on work already open', async () => {
      await park(db, { kind: 'sales_feedback', recordKey: '00QP1', provider: 'hubspot', message: 'first' });
      const parked = await parkMany(db, [
        { kind: 'sales_feedback', recordKey: '00QP2', provider: 'hubspot', message: 'new', context: { contactId: '12' } },
        { kind: 'sales_feedback', recordKey: '00QP1', provider: 'hubspot', message: 'again' },
      ]);
      expect(parked.map((p) => [p.recordKey, p.message, p.attempts, p.context])).toEqual([
        ['00QP2', 'new', 1, { contactId: '12' }],
        ['00QP1', 'again', 2, {}],
      ]);
      expect((await listParked(db, { open: true, kind: 'sales_feedback' })).map((p) => p.recordKey).sort()).toEqual(['00QP1', '00QP2']);
    });

    it('parks the same work given twice as one by one would: one entry, two attempts', async () => {
      const parked = await parkMany(db, [
        { kind: 'sales_feedback', recordKey: '00QP3', message: 'one' },
        { kind: 'sales_feedback', recordKey: '00QP3', message: 'two' },
      ]);
      expect(parked.map((p) => [p.message, p.attempts])).toEqual([
        ['one', 1],
        ['two', 2],
      ]);
      expect(parked[0]!.id).toBe(parked[1]!.id);
    });
  });

  describe('stopClocksMany', () => {
    const clock = (leadId: string, kind: SlaKind): SlaTimerInput => ({
      leadId,
      hubspotContactId: `c-${leadId}`,
      kind,
      rule: 'default',
      source: null,
      segment: null,
      definitionVersion: null,
      handedOffAt: new Date('2026-11-20T10:00:00Z'),
      routingDelayMs: null,
      warnAt: null,
      dueAt: new Date('2026-11-21T10:00:00Z'),
    });

    it("stops each Lead's clocks of the kinds asked, returns them per stop, and lets the first stop of a clock win", async () => {
      await startClocks(db, [
        clock('00QS1', 'first_touch'),
        clock('00QS1', 'disposition'),
        clock('00QS2', 'first_touch'),
        clock('00QS2', 'disposition'),
      ]);
      const at = new Date('2026-11-20T12:00:00Z');
      const stopped = await stopClocksMany(db, [
        { leadId: '00QS1', kinds: ['first_touch'], at, reason: 'first touch: status' },
        { leadId: '00QS2', kinds: ['first_touch', 'disposition'], at, reason: 'disposition: sql' },
        { leadId: '00QS1', kinds: ['first_touch', 'disposition'], at, reason: 'later' },
        { leadId: '00QNONE', kinds: ['first_touch'], at, reason: 'no clock' },
      ]);
      expect(stopped.map((clocks) => clocks.map((c) => [c.leadId, c.kind, c.stopReason]))).toEqual([
        [['00QS1', 'first_touch', 'first touch: status']],
        [
          ['00QS2', 'first_touch', 'disposition: sql'],
          ['00QS2', 'disposition', 'disposition: sql'],
        ],
        [['00QS1', 'disposition', 'later']],
        [],
      ]);
      expect(stopped[0]![0]!.stoppedAt?.getTime()).toBe(at.getTime());
      expect(await runningClocks(db, ['00QS1', '00QS2'])).toEqual([]);
    });
  });
});
