import { describe, expect, it } from '@jest/globals';
import type { Database } from '../../src/store/database.ts';
import { flaggedLeads, leadMemories, rememberLead } from '../../src/store/lead-memory.ts';
import { readSyncState, writeSyncState } from '../../src/store/sync-state.ts';
import { useFreshDatabase } from '../support/databases.ts';

describe('sales-side state', () => {
  let db: Database;
  useFreshDatabase((opened) => {
    db = opened;
  });

  it('keeps named sync state and overwrites it', async () => {
    expect(await readSyncState(db, 'watermark')).toBeUndefined();
    await writeSyncState(db, 'watermark', { systemModstamp: '2026-11-22T10:00:00.000+0000', id: '00Q1' });
    await writeSyncState(db, 'watermark', { systemModstamp: '2026-11-22T10:05:00.000+0000', id: '00Q2' });
    expect(await readSyncState(db, 'watermark')).toEqual({ systemModstamp: '2026-11-22T10:05:00.000+0000', id: '00Q2' });
  });

  it('remembers a Lead, opens a flag with its Task, keeps the flag time while it stays open, and clears it', async () => {
    await rememberLead(db, {
      leadId: '00QA',
      hubspotContactId: '7',
      stage: 'mql',
      status: 'Open - Not Contacted',
      fingerprint: 'f1',
      flag: null,
    });
    expect((await leadMemories(db, ['00QA'])).get('00QA')).toMatchObject({
      stage: 'mql',
      fingerprint: 'f1',
      flagged: null,
      flagTaskId: null,
    });

    await rememberLead(db, {
      leadId: '00QA',
      hubspotContactId: '7',
      stage: 'rejected',
      status: 'Rejected',
      fingerprint: 'f2',
      flag: { kind: 'missing_rejection_reason', taskId: '00T1' },
    });
    const opened = (await leadMemories(db, ['00QA'])).get('00QA')!;
    expect(opened).toMatchObject({ stage: 'rejected', flagged: 'missing_rejection_reason', flagTaskId: '00T1' });
    expect(opened.flaggedAt).toBeInstanceOf(Date);

    await rememberLead(db, {
      leadId: '00QA',
      hubspotContactId: '7',
      stage: 'rejected',
      status: 'Rejected',
      fingerprint: 'f3',
      flag: { kind: 'missing_rejection_reason', taskId: '00T1' },
    });
    const still = (await leadMemories(db, ['00QA'])).get('00QA')!;
    expect(still.flaggedAt?.getTime()).toBe(opened.flaggedAt?.getTime());
    expect((await flaggedLeads(db)).map((m) => m.leadId)).toEqual(['00QA']);

    await rememberLead(db, { leadId: '00QA', hubspotContactId: '7', stage: 'rejected', status: 'Rejected', fingerprint: 'f4', flag: null });
    expect((await leadMemories(db, ['00QA'])).get('00QA')).toMatchObject({
      flagged: null,
      flagTaskId: null,
      flaggedAt: null,
      fingerprint: 'f4',
    });
    expect(await flaggedLeads(db)).toEqual([]);
  });
});
