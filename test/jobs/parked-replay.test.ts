import { describe, expect, it } from '@jest/globals';
import type { SlaAlert } from '../../src/adapters/alerts/alert-sender.ts';
import { handoffContacts } from '../../src/jobs/handoff/handoff-contacts.ts';
import { NoReplayForKind } from '../../src/jobs/parked/replay-parked.ts';
import { historyForContact } from '../../src/store/history.ts';
import { pendingEvents } from '../../src/store/inbox.ts';
import { isEcho } from '../../src/store/last-written.ts';
import { rememberLead } from '../../src/store/lead-memory.ts';
import { getParked, listParked, type ParkedWork, park } from '../../src/store/parked.ts';
import { MAX_AUTO_REPLAYS, type ReplayWorld, useReplayWorld } from './support/replay-world.ts';

const BATCH_UPDATE = 'POST /crm/v3/objects/contacts/batch/update';
const validationRule = {
  status: 400,
  errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
  message: 'Region is required for EMEA leads',
  count: 1,
  kinds: ['create' as const],
};

describe('replaying parked work', () => {
  let w: ReplayWorld;
  let n = 0;
  useReplayWorld((world) => (w = world));

  const newContact = (properties: Record<string, string> = {}) =>
    w.hubspot.createContact({
      email: `replay-${++n}@replay.example`,
      lastname: `Replay ${n}`,
      company: 'Replay Co',
      demo_requested: 'true',
      ...properties,
    });
  const openItem = async (kind: string, recordKey: string): Promise<ParkedWork> => {
    const found = (await listParked(w.fresh.db, { open: true, kind })).find((item) => item.recordKey === recordKey);
    if (!found) throw new Error(`no open ${kind} item for ${recordKey}`);
    return found;
  };
  /** A qualified contact whose handoff a Salesforce validation rule refuses: parked with the provider's message. */
  async function parkedHandoff(): Promise<{ contactId: string; item: ParkedWork }> {
    const contactId = newContact();
    await w.webhook(contactId);
    w.salesforce.injectFaults(validationRule);
    expect((await handoffContacts([contactId], w.handoff)).outcomes).toEqual({ parked: 1 });
    return { contactId, item: await openItem('handoff', contactId) };
  }
  const writes = () => w.hubspot.calls.byEndpoint[BATCH_UPDATE] ?? 0;

  it('redoes a parked handoff through its own inbox entry (regression: re-queueing the contact alone did nothing)', async () => {
    const { contactId, item } = await parkedHandoff();
    expect(item).toMatchObject({
      provider: 'salesforce',
      message: expect.stringContaining('Region is required for EMEA leads'),
      context: { code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' },
      attempts: 1,
    });
    // What the old retry did, re-queueing the contact, finds no work: its events were settled when it was parked.
    expect(await pendingEvents(w.fresh.db, [contactId])).toEqual([]);
    expect((await handoffContacts([contactId], w.handoff)).contacts).toBe(0);
    expect(w.leadsFor(contactId)).toHaveLength(0);

    expect(await w.replay(item, 'admin')).toEqual({ status: 'replayed', outcome: 'handed_off' });
    expect((await getParked(w.fresh.db, item.id))?.resolvedAt).toBeInstanceOf(Date);
    expect(await w.runQueued()).toEqual({ handed_off: 1 });
    expect(w.leadsFor(contactId)).toHaveLength(1);
    expect(await pendingEvents(w.fresh.db, [contactId])).toEqual([]);
    // A second replay of the resolved item does nothing; a later run has nothing pending.
    expect(await w.replay(item, 'admin')).toEqual({ status: 'not_open' });
    expect((await handoffContacts([contactId], w.handoff)).contacts).toBe(0);
    expect(w.leadsFor(contactId)).toHaveLength(1);
    expect((await historyForContact(w.fresh.db, contactId)).map((entry) => entry.action)).toEqual([
      'parked',
      'replayed',
      'handed_off',
      'routed',
    ]);
  });

  it('parks a handoff that fails again after its replay as the same chain, counting attempts until a person is needed', async () => {
    const { contactId, item: first } = await parkedHandoff();
    let current = first;
    for (let attempt = 2; attempt <= MAX_AUTO_REPLAYS + 1; attempt += 1) {
      expect(await w.replay(current, attempt % 2 ? 'admin' : 'auto-resume')).toEqual({ status: 'replayed', outcome: 'handed_off' });
      w.salesforce.injectFaults(validationRule);
      expect(await w.runQueued()).toEqual({ parked: 1 });
      current = await openItem('handoff', contactId);
      expect(current).toMatchObject({ attempts: attempt, chainId: first.id });
      expect(current.id).not.toBe(first.id);
    }
    const [view] = (await w.parked.list({ open: true, kind: 'handoff' })).filter((item) => item.recordKey === contactId);
    expect(view).toMatchObject({ attempts: MAX_AUTO_REPLAYS + 1, needsPerson: true });
    expect(view!.replays.map((r) => [r.actor, r.outcome])).toEqual([
      ['auto-resume', 'handed_off'],
      ['admin', 'handed_off'],
      ['auto-resume', 'handed_off'],
    ]);
    expect(view!.replays[0]!.parkedId).toBe(first.id);

    // Still replayable by hand: after the fix it lands once.
    expect(await w.parked.retry(current.id, 'Ana Ops')).toMatchObject({ status: 'replayed', outcome: 'handed_off' });
    expect(await w.runQueued()).toEqual({ handed_off: 1 });
    expect(w.leadsFor(contactId)).toHaveLength(1);
  });

  it('re-applies stored sales feedback to HubSpot once, with its audit entry and echo record', async () => {
    const { rejection } = w.bundle;
    const reason = rejection.reasons.find((r) => r.code === 'bad_timing')!;
    const contactId = newContact({ lifecyclestage: 'marketingqualifiedlead', hs_lead_status: 'NEW' });
    await rememberLead(w.fresh.db, {
      leadId: '00Q-feedback-1',
      hubspotContactId: contactId,
      stage: 'recycled',
      status: 'Rejected',
      fingerprint: 'fp-1',
      flag: null,
    });
    const feedback = {
      properties: { hs_lead_status: 'BAD_TIMING', handoff_rejection_reason: 'bad_timing' },
      lifecyclestage: 'lead',
      lists: { add: [reason.feedback.nurtureList], remove: [rejection.salesReadyList] },
    };
    const history = {
      action: 'recycled',
      reason: 'Rejected by sales: Bad timing (bad_timing); recycled',
      detail: { reasonCode: 'bad_timing' },
    };
    const item = await park(w.fresh.db, {
      kind: 'sales_feedback',
      recordKey: '00Q-feedback-1',
      provider: 'hubspot',
      message: 'VALIDATION_ERROR: Property values were not valid',
      context: { contactId, stage: 'recycled', feedback, fingerprint: 'fp-1', history },
    });
    const before = writes();

    expect(await w.replay(item, 'admin')).toEqual({ status: 'replayed', outcome: 'done' });
    expect(w.hubspot.contacts.get(contactId)!.properties).toMatchObject({
      hs_lead_status: 'BAD_TIMING',
      handoff_rejection_reason: 'bad_timing',
      lifecyclestage: 'lead',
    });
    expect(w.hubspot.lists.members(reason.feedback.nurtureList)).toContain(contactId);
    // A backward lifecycle move costs a clear and a set: two batch updates, and never more.
    expect(writes() - before).toBe(2);
    expect(await isEcho(w.fresh.db, 'hubspot', contactId, 'handoff_rejection_reason', 'bad_timing')).toBe(true);
    const audit = await historyForContact(w.fresh.db, contactId);
    expect(audit.map((entry) => entry.action)).toEqual(['recycled', 'replayed']);
    expect(audit[0]).toMatchObject({
      salesforceId: '00Q-feedback-1',
      detail: { reasonCode: 'bad_timing', replayOf: item.id, hubspotWritten: expect.objectContaining({ hs_lead_status: 'BAD_TIMING' }) },
    });

    expect(await w.replay(item, 'admin')).toEqual({ status: 'not_open' });
    expect(writes() - before).toBe(2);
  });

  it('resolves sales feedback as superseded, writing nothing, when the Lead changed after it was parked', async () => {
    const contactId = newContact({ hs_lead_status: 'NEW' });
    await rememberLead(w.fresh.db, {
      leadId: '00Q-feedback-2',
      hubspotContactId: contactId,
      stage: 'sql',
      status: 'Qualified',
      fingerprint: 'fp-newer',
      flag: null,
    });
    const item = await park(w.fresh.db, {
      kind: 'sales_feedback',
      recordKey: '00Q-feedback-2',
      provider: 'hubspot',
      message: 'refused',
      context: {
        contactId,
        feedback: { properties: { hs_lead_status: 'IN_PROGRESS' }, lists: { add: [], remove: [] } },
        fingerprint: 'fp-older',
      },
    });
    const before = writes();
    expect(await w.replay(item, 'admin')).toEqual({ status: 'replayed', outcome: 'superseded' });
    expect(writes()).toBe(before);
    expect(w.hubspot.contacts.get(contactId)!.properties.hs_lead_status).toBe('NEW');
    const [view] = (await w.parked.list({ open: false, kind: 'sales_feedback' })).filter((i) => i.id === item.id);
    expect(view!.replays).toEqual([
      expect.objectContaining({ outcome: 'superseded', message: expect.stringContaining('the Lead changed') }),
    ]);
  });

  it('keeps sales feedback HubSpot refuses again open, with the new message and one more attempt', async () => {
    const contactId = newContact();
    const item = await park(w.fresh.db, {
      kind: 'sales_feedback',
      recordKey: '00Q-feedback-3',
      provider: 'hubspot',
      message: 'first refusal',
      context: { contactId, feedback: { properties: { hs_lead_status: 'NOT_A_STATUS' }, lists: { add: [], remove: [] } } },
    });
    const result = await w.replay(item, 'admin');
    expect(result).toMatchObject({
      status: 'failed',
      attempts: 2,
      message: expect.stringContaining('400 VALIDATION_ERROR: Property values were not valid'),
    });
    expect(await getParked(w.fresh.db, item.id)).toMatchObject({
      resolvedAt: null,
      attempts: 2,
      message: expect.stringContaining('VALIDATION_ERROR'),
    });
    expect(w.hubspot.contacts.get(contactId)!.properties.hs_lead_status).toBeUndefined();
  });

  it('fails a replay whose stored context does not fit, naming the path, and keeps the item', async () => {
    const item = await park(w.fresh.db, {
      kind: 'sales_feedback',
      recordKey: '00Q-feedback-4',
      message: 'old',
      context: { feedback: { properties: 'x' } },
    });
    const result = await w.replay(item, 'admin');
    expect(result).toMatchObject({ status: 'failed', attempts: 2 });
    expect(result.status === 'failed' && result.message).toMatch(/context\.contactId: .*context\.feedback\.properties: /);
  });

  it('writes a parked HubSpot write-back again, never moving the lifecycle stage backwards', async () => {
    const names = w.bundle.fieldMapping.hubspot;
    const contactId = newContact({ lifecyclestage: 'salesqualifiedlead' });
    const properties = {
      lifecyclestage: 'marketingqualifiedlead',
      hs_lead_status: 'NEW',
      [names.salesforceIdProperty]: '00Q000000000009AAA',
    };
    const item = await park(w.fresh.db, {
      kind: 'hubspot_writeback',
      recordKey: contactId,
      provider: 'hubspot',
      message: 'HubSpot answered 400',
      context: { properties, list: w.bundle.rejection.salesReadyList },
    });
    expect(await w.replay(item, 'admin')).toEqual({ status: 'replayed', outcome: 'done' });
    expect(w.hubspot.contacts.get(contactId)!.properties).toMatchObject({
      lifecyclestage: 'salesqualifiedlead',
      hs_lead_status: 'NEW',
      [names.salesforceIdProperty]: '00Q000000000009AAA',
    });
    expect(w.hubspot.lists.members(w.bundle.rejection.salesReadyList)).toContain(contactId);
  });

  it('resends a parked SLA alert through the alert sender, counting a failed resend', async () => {
    const alert: SlaAlert = {
      event: 'sla_breached',
      clock: 'first_touch',
      leadId: '00Q-sla',
      hubspotContactId: '9001',
      rule: 'Demo: 30 min',
      dueAt: '2026-11-23T09:30:00.000Z',
      lateByMs: 1_000,
      text: 'SLA breached: first touch for Lead 00Q-sla',
    };
    const item = await park(w.fresh.db, {
      kind: 'sla_alert',
      recordKey: '00Q-sla:first_touch',
      message: 'alert webhook answered 500',
      context: { alert },
    });
    w.failAlerts.next = 1;
    expect(await w.replay(item, 'admin')).toMatchObject({
      status: 'failed',
      attempts: 2,
      message: 'alert not delivered: alert webhook answered 503',
    });
    expect(w.alertsSent).toEqual([]);
    expect(await w.replay(item, 'admin')).toEqual({ status: 'replayed', outcome: 'done' });
    expect(w.alertsSent).toEqual([alert]);
  });

  it('refuses a kind nothing can replay before doing anything', async () => {
    const item = await park(w.fresh.db, { kind: 'status_sync', recordKey: 'x-1', message: 'bad picklist' });
    await expect(w.replay(item, 'admin')).rejects.toThrow(NoReplayForKind);
    expect(await getParked(w.fresh.db, item.id)).toMatchObject({ resolvedAt: null, attempts: 1 });
  });
});
