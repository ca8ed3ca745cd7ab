import { describe, expect, it } from '@jest/globals';
import type { Database } from '../../src/store/database.ts';
import { appendHistory, historyForContact } from '../../src/store/history.ts';
import { isEcho, lastWritten, matchesWritten, recordWritten, recordWrittenMany } from '../../src/store/last-written.ts';
import { linkForSalesforceId, linksForContacts, upsertLink, upsertLinks } from '../../src/store/links.ts';
import { countFailedReplay, getParked, listParked, park, resolveParked } from '../../src/store/parked.ts';
import { recordReplay, replayHistory } from '../../src/store/parked-replays.ts';
import { useFreshDatabase } from '../support/databases.ts';

describe('record repositories', () => {
  let db: Database;
  useFreshDatabase((opened) => {
    db = opened;
  });

  describe('links', () => {
    it('links a contact, repoints it on conversion, and finds it both ways', async () => {
      const created = await upsertLink(db, { hubspotContactId: 'h-1', salesforceObject: 'Lead', salesforceId: '00Q1' });
      expect(created).toMatchObject({ ok: true, link: { hubspotContactId: 'h-1', salesforceObject: 'Lead', salesforceId: '00Q1' } });
      const converted = await upsertLink(db, { hubspotContactId: 'h-1', salesforceObject: 'Contact', salesforceId: '0031' });
      expect(converted).toMatchObject({ ok: true, link: { salesforceObject: 'Contact', salesforceId: '0031' } });
      expect(await linkForSalesforceId(db, '00Q1')).toBeUndefined();
      expect(await linkForSalesforceId(db, '0031')).toMatchObject({ hubspotContactId: 'h-1' });
      const links = await linksForContacts(db, ['h-1', 'h-missing']);
      expect([...links.keys()]).toEqual(['h-1']);
      expect(links.get('h-1')?.createdAt).toBeInstanceOf(Date);
    });

    it('refuses to link a Salesforce record that belongs to another contact, leaving the transaction usable', async () => {
      await upsertLink(db, { hubspotContactId: 'h-2', salesforceObject: 'Lead', salesforceId: '00Q2' });
      const result = await db.transaction(async (tx) => {
        const attempt = await upsertLink(tx, { hubspotContactId: 'h-3', salesforceObject: 'Lead', salesforceId: '00Q2' });
        await tx.query('SELECT 1');
        return attempt;
      });
      expect(result).toMatchObject({ ok: false, reason: 'salesforce_id_linked_elsewhere', existing: { hubspotContactId: 'h-2' } });
      expect((await linksForContacts(db, ['h-3'])).size).toBe(0);
    });
  });

  describe('links in batches', () => {
    it('upserts a batch in order with the outcome upsertLink gives each, repoints and conflicts included', async () => {
      await upsertLink(db, { hubspotContactId: 'hb-1', salesforceObject: 'Lead', salesforceId: '00QB1' });
      await upsertLink(db, { hubspotContactId: 'hb-other', salesforceObject: 'Lead', salesforceId: '00QB9' });
      const fast = await upsertLinks(db, [
        { hubspotContactId: 'hb-1', salesforceObject: 'Contact', salesforceId: '003B1' },
        { hubspotContactId: 'hb-2', salesforceObject: 'Lead', salesforceId: '00QB2' },
      ]);
      expect(fast).toMatchObject([
        { ok: true, link: { hubspotContactId: 'hb-1', salesforceObject: 'Contact', salesforceId: '003B1' } },
        { ok: true, link: { salesforceId: '00QB2' } },
      ]);
      expect(await linkForSalesforceId(db, '00QB1')).toBeUndefined();
      // A Salesforce id held by another contact: that input is refused, the rest still land.
      const mixed = await upsertLinks(db, [
        { hubspotContactId: 'hb-3', salesforceObject: 'Lead', salesforceId: '00QB9' },
        { hubspotContactId: 'hb-4', salesforceObject: 'Lead', salesforceId: '00QB4' },
      ]);
      expect(mixed).toMatchObject([
        { ok: false, reason: 'salesforce_id_linked_elsewhere', existing: { hubspotContactId: 'hb-other' } },
        { ok: true },
      ]);
      expect([...(await linksForContacts(db, ['hb-3', 'hb-4'])).keys()]).toEqual(['hb-4']);
      // Two inputs claiming one id: the first wins, as one by one.
      const clash = await upsertLinks(db, [
        { hubspotContactId: 'hb-5', salesforceObject: 'Lead', salesforceId: '00QB5' },
        { hubspotContactId: 'hb-6', salesforceObject: 'Lead', salesforceId: '00QB5' },
      ]);
      expect(clash).toMatchObject([{ ok: true }, { ok: false, existing: { hubspotContactId: 'hb-5' } }]);
      expect(await upsertLinks(db, [])).toEqual([]);
    });
  });

  describe('history', () => {
    it('appends entries in one call and reads them back in order with every field', async () => {
      const written = await appendHistory(db, [
        {
          hubspotContactId: 'h-hist',
          action: 'handed_off',
          salesforceId: '00Q9',
          stage: 'MQL',
          reason: 'score 80 >= 70',
          definitionVersion: 'v3',
          score: 80.5,
          detail: { breakdown: [{ rule: 'title', points: 20 }] },
          at: new Date('2025-02-01T00:00:00Z'),
        },
        { hubspotContactId: 'h-hist', action: 'lead_updated', at: new Date('2025-02-02T00:00:00Z') },
        { hubspotContactId: 'h-other', action: 'not_qualified' },
      ]);
      expect(written).toBe(3);
      const entries = await historyForContact(db, 'h-hist');
      expect(entries).toEqual([
        {
          id: expect.any(String),
          hubspotContactId: 'h-hist',
          salesforceId: '00Q9',
          action: 'handed_off',
          stage: 'MQL',
          reason: 'score 80 >= 70',
          definitionVersion: 'v3',
          score: 80.5,
          detail: { breakdown: [{ rule: 'title', points: 20 }] },
          at: new Date('2025-02-01T00:00:00Z'),
        },
        {
          id: expect.any(String),
          hubspotContactId: 'h-hist',
          salesforceId: null,
          action: 'lead_updated',
          stage: null,
          reason: null,
          definitionVersion: null,
          score: null,
          detail: {},
          at: new Date('2025-02-02T00:00:00Z'),
        },
      ]);
      expect(await appendHistory(db, [])).toBe(0);
    });
  });

  describe('last written', () => {
    it('merges writes, keeps a stable hash, and recognises echoes per property', async () => {
      const first = await recordWritten(db, 'hubspot', 'r-1', { lifecyclestage: 'salesqualifiedlead', hs_lead_status: null });
      const second = await recordWritten(db, 'hubspot', 'r-1', { owner: '42' });
      expect(second.values).toEqual({ lifecyclestage: 'salesqualifiedlead', hs_lead_status: null, owner: '42' });
      expect(second.hash).not.toBe(first.hash);
      // The same set of values written in another key order hashes the same.
      const reordered = await recordWritten(db, 'hubspot', 'r-2', {
        owner: '42',
        hs_lead_status: null,
        lifecyclestage: 'salesqualifiedlead',
      });
      expect(reordered.hash).toBe(second.hash);

      expect(await isEcho(db, 'hubspot', 'r-1', 'lifecyclestage', 'salesqualifiedlead')).toBe(true);
      expect(await isEcho(db, 'hubspot', 'r-1', 'lifecyclestage', 'lead')).toBe(false);
      expect(await isEcho(db, 'hubspot', 'r-1', 'hs_lead_status', null)).toBe(true);
      expect(await isEcho(db, 'hubspot', 'r-1', 'never_written', null)).toBe(false);
      expect(await isEcho(db, 'salesforce', 'r-1', 'owner', '42')).toBe(false);
      expect(await isEcho(db, 'hubspot', 'r-unknown', 'owner', '42')).toBe(false);

      const found = await lastWritten(db, 'hubspot', ['r-1', 'r-unknown']);
      expect([...found.keys()]).toEqual(['r-1']);
      expect(found.get('r-1')).toMatchObject({ hash: second.hash, values: second.values });
      expect(found.get('r-1')?.writtenAt).toBeInstanceOf(Date);
    });
  });

  describe('last written in batches', () => {
    it('records many records in one statement, merging repeated records in order, as one by one would', async () => {
      await recordWritten(db, 'hubspot', 'm-1', { lifecyclestage: 'lead' });
      await recordWrittenMany(db, 'hubspot', [
        { recordId: 'm-1', values: { hs_lead_status: 'NEW' } },
        { recordId: 'm-2', values: { owner: '7', note: null } },
        { recordId: 'm-1', values: { lifecyclestage: 'marketingqualifiedlead' } },
      ]);
      const found = await lastWritten(db, 'hubspot', ['m-1', 'm-2']);
      expect(found.get('m-1')?.values).toEqual({ lifecyclestage: 'marketingqualifiedlead', hs_lead_status: 'NEW' });
      expect(found.get('m-2')?.values).toEqual({ owner: '7', note: null });
      const single = await recordWritten(db, 'hubspot', 'm-3', { owner: '7', note: null });
      expect(found.get('m-2')?.hash).toBe(single.hash);
      expect(matchesWritten(found.get('m-2'), 'note', null)).toBe(true);
      expect(matchesWritten(found.get('m-2'), 'owner', '8')).toBe(false);
      expect(matchesWritten(found.get('m-1'), 'never_written', null)).toBe(false);
      expect(matchesWritten(undefined, 'owner', '7')).toBe(false);
      await recordWrittenMany(db, 'salesforce', []);
    });
  });

  describe('parked work', () => {
    it('parks once per open piece of work, counts attempts, and resolves', async () => {
      const first = await park(db, {
        kind: 'handoff',
        recordKey: 'h-park',
        provider: 'salesforce',
        message: 'REQUIRED_FIELD_MISSING',
        context: { field: 'Company' },
      });
      const again = await park(db, { kind: 'handoff', recordKey: 'h-park', provider: 'salesforce', message: 'still missing' });
      expect(again).toMatchObject({ id: first.id, attempts: 2, message: 'still missing', resolvedAt: null });
      const other = await park(db, { kind: 'status_sync', recordKey: 'h-park', message: 'bad picklist' });
      expect(other).toMatchObject({ provider: null, context: {}, attempts: 1 });

      expect((await listParked(db, { open: true })).map((p) => p.id).sort()).toEqual([first.id, other.id].sort());
      expect(await resolveParked(db, first.id)).toBe(true);
      expect(await resolveParked(db, first.id)).toBe(false);
      expect((await listParked(db, { open: true })).map((p) => p.id)).toEqual([other.id]);
      const all = await listParked(db);
      expect(all.find((p) => p.id === first.id)?.resolvedAt).toBeInstanceOf(Date);

      // Once resolved, the same work can be parked afresh.
      const reopened = await park(db, { kind: 'handoff', recordKey: 'h-park', message: 'failed again' });
      expect(reopened.id).not.toBe(first.id);
      expect(reopened.attempts).toBe(1);
      expect(reopened.chainId).toBe(reopened.id);
    });

    it('continues a replay chain: attempts carry over, and the replay history follows the work across entries', async () => {
      const first = await park(db, {
        kind: 'handoff',
        recordKey: 'h-chain',
        provider: 'salesforce',
        message: 'refused',
        context: { code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' },
      });
      expect(first).toMatchObject({ chainId: first.id, attempts: 1, waitingFor: null });
      await recordReplay(db, { parkedId: first.id, chainId: first.chainId, actor: 'Ana Ops', outcome: 'handed_off' });
      expect(await resolveParked(db, first.id)).toBe(true);
      const second = await park(db, {
        kind: 'handoff',
        recordKey: 'h-chain',
        provider: 'salesforce',
        message: 'refused again',
        continues: { chainId: first.chainId, attempts: first.attempts },
      });
      expect(second).toMatchObject({ chainId: first.id, attempts: 2 });
      expect(second.id).not.toBe(first.id);
      // Parked again while still open (e.g. by a webhook before the replay ran): one more attempt on the same entry.
      expect(
        await park(db, { kind: 'handoff', recordKey: 'h-chain', message: 'and again', continues: { chainId: first.chainId, attempts: 2 } }),
      ).toMatchObject({ id: second.id, attempts: 3 });

      expect(await countFailedReplay(db, second.id, 'still refused')).toBe(4);
      await recordReplay(db, {
        parkedId: second.id,
        chainId: second.chainId,
        actor: 'auto-resume',
        outcome: 'failed',
        message: 'still refused',
      });
      expect(await getParked(db, second.id)).toMatchObject({ attempts: 4, message: 'still refused', resolvedAt: null });
      expect(await countFailedReplay(db, first.id, 'resolved already')).toBeUndefined();
      expect(await getParked(db, '999999')).toBeUndefined();

      const history = await replayHistory(db, [first.chainId, second.chainId]);
      expect([...history.keys()]).toEqual([first.id]);
      expect(history.get(first.id)!.map((r) => [r.parkedId, r.actor, r.outcome, r.message])).toEqual([
        [first.id, 'Ana Ops', 'handed_off', null],
        [second.id, 'auto-resume', 'failed', 'still refused'],
      ]);
      expect(history.get(first.id)![0]!.at).toBeInstanceOf(Date);
      expect((await replayHistory(db, [])).size).toBe(0);
    });

    it('filters open work by kind, provider, error code, waitingFor and attempts, newest or oldest first', async () => {
      const budget = await park(db, {
        kind: 'handoff',
        recordKey: 'f-1',
        provider: 'salesforce',
        message: 'limit',
        context: { code: 'REQUEST_LIMIT_EXCEEDED', waitingFor: 'salesforce_budget' },
      });
      const auth = await park(db, {
        kind: 'sales_feedback',
        recordKey: 'f-2',
        provider: 'hubspot',
        message: 'token',
        context: { waitingFor: 'salesforce_auth' },
      });
      const rule = await park(db, {
        kind: 'handoff',
        recordKey: 'f-3',
        provider: 'salesforce',
        message: 'rule',
        context: { code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' },
      });
      const often = await park(db, {
        kind: 'handoff',
        recordKey: 'f-4',
        provider: 'salesforce',
        message: 'limit',
        context: { waitingFor: 'salesforce_budget' },
        continues: { chainId: rule.id, attempts: 5 },
      });
      const ids = async (filter: Parameters<typeof listParked>[1]) =>
        (await listParked(db, { open: true, ...filter }))
          .map((item) => item.id)
          .filter((id) => [budget.id, auth.id, rule.id, often.id].includes(id));

      expect(await ids({ kind: 'handoff' })).toEqual([often.id, rule.id, budget.id]);
      expect(await ids({ kind: 'handoff', order: 'oldest' })).toEqual([budget.id, rule.id, often.id]);
      expect(await ids({ provider: 'hubspot' })).toEqual([auth.id]);
      expect(await ids({ code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' })).toEqual([rule.id]);
      expect(await ids({ waitingFor: 'salesforce_budget' })).toEqual([often.id, budget.id]);
      expect(await ids({ waiting: true, maxAttempts: 5, order: 'oldest' })).toEqual([budget.id, auth.id]);
      expect((await getParked(db, budget.id))?.waitingFor).toBe('salesforce_budget');
      await resolveParked(db, budget.id);
      expect(await ids({ waitingFor: 'salesforce_budget' })).toEqual([often.id]);
    });
  });
});
