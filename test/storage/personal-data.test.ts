import { describe, expect, it } from '@jest/globals';
import { purgePersonalData } from '../../src/jobs/privacy/purge-personal-data.ts';
import { silentLogger } from '../../src/log.ts';
import type { Database } from '../../src/store/database.ts';
import { appendHistory } from '../../src/store/history.ts';
import { type InboxEventInput, insertEvents, markProcessed, pendingEventHeads } from '../../src/store/inbox.ts';
import { keepReadValues } from '../../src/store/kept-values.ts';
import { recordWritten } from '../../src/store/last-written.ts';
import { rememberLead } from '../../src/store/lead-memory.ts';
import { upsertLink } from '../../src/store/links.ts';
import { linkOpportunities } from '../../src/store/opportunities.ts';
import { park, resolveParked } from '../../src/store/parked.ts';
import { eraseContactData, erasedContacts, erasureStates } from '../../src/store/personal-data.ts';
import { startClocks } from '../../src/store/sla-timers.ts';
import { recordWriteIntents } from '../../src/store/write-intents.ts';
import { useFreshDatabase } from '../support/databases.ts';

const DAY = 86_400_000;

function changeOf(dedupeKey: string, contactId: string, value = 'ada@analytical.example'): InboxEventInput {
  return {
    dedupeKey,
    source: 'hubspot',
    eventType: 'contact.propertyChange',
    objectType: 'contact',
    objectId: contactId,
    propertyName: 'email',
    propertyValue: value,
    changeSource: 'CRM_UI',
    occurredAt: new Date(),
    payload: {
      eventId: 1,
      subscriptionId: 2,
      portalId: 3,
      subscriptionType: 'contact.propertyChange',
      objectId: Number(contactId),
      propertyName: 'email',
      propertyValue: value,
      sourceId: 'userId:1',
    },
  };
}

type InboxRow = {
  dedupeKey: string;
  propertyValue: string | null;
  payload: Record<string, unknown> | null;
  purged: boolean;
  processed: boolean;
  outcome: string | null;
};
async function inboxRows(db: Database): Promise<Map<string, InboxRow>> {
  const result = await db.query<InboxRow>(
    `SELECT dedupe_key AS "dedupeKey", property_value AS "propertyValue", payload, purged_at IS NOT NULL AS purged,
       processed_at IS NOT NULL AS processed, outcome FROM webhook_inbox`,
  );
  return new Map(result.rows.map((row) => [row.dedupeKey, row]));
}

/** Everything a row holds, as text: the personal values must appear nowhere in it. */
async function tableText(db: Database, table: string): Promise<string> {
  const result = await db.query<{ text: string }>(`SELECT coalesce(string_agg(t::text, ' '), '') AS text FROM ${table} t`);
  return result.rows[0]!.text;
}

describe('personal data past its retention (PERSONAL_DATA_RETENTION_DAYS)', () => {
  let db: Database;
  useFreshDatabase((opened) => {
    db = opened;
  });

  it('strips processed webhook payloads and values older than the retention, never unprocessed ones, in bounded batches', async () => {
    await insertEvents(
      db,
      ['old-1', 'old-2', 'old-3', 'pending'].map((key) => changeOf(key, '501')),
    );
    const ids = (await pendingEventHeads(db, ['501'])).filter((event) => event.dedupeKey !== 'pending').map((event) => event.id);
    await markProcessed(db, ids, 'lead_updated');
    const deps = { db, logger: silentLogger(), retentionDays: 30, batchSize: 2, maxBatches: 1 };

    // Processed just now: 29 days later they are still within the retention.
    expect(await purgePersonalData({ ...deps, now: () => new Date(Date.now() + 29 * DAY) })).toEqual({
      inboxEvents: 0,
      historyEntries: 0,
      parkedWork: 0,
      writeIntents: 0,
      ownerNotifications: 0,
      mqlEvaluations: 0,
      keptValues: 0,
    });
    expect([...(await inboxRows(db)).values()].every((row) => !row.purged && row.propertyValue === 'ada@analytical.example')).toBe(true);

    // 31 days later: one batch of two per run, then the last one; the pending event is never touched.
    const later = { ...deps, now: () => new Date(Date.now() + 31 * DAY) };
    expect((await purgePersonalData(later)).inboxEvents).toBe(2);
    expect((await purgePersonalData(later)).inboxEvents).toBe(1);
    expect((await purgePersonalData(later)).inboxEvents).toBe(0);
    const rows = await inboxRows(db);
    for (const key of ['old-1', 'old-2', 'old-3']) {
      expect(rows.get(key)).toMatchObject({ purged: true, propertyValue: null, processed: true, outcome: 'lead_updated' });
      expect(rows.get(key)!.payload).toEqual({
        eventId: 1,
        subscriptionId: 2,
        portalId: 3,
        subscriptionType: 'contact.propertyChange',
        objectId: 501,
        propertyName: 'email',
      });
    }
    expect(rows.get('pending')).toMatchObject({ purged: false, processed: false, propertyValue: 'ada@analytical.example' });
    expect(rows.get('pending')!.payload).toHaveProperty('propertyValue', 'ada@analytical.example');
  });

  it('reduces old audit detail to the keys the KPIs read and drops text from outside the rules', async () => {
    await appendHistory(db, [
      {
        hubspotContactId: '601',
        salesforceId: '00Q1',
        action: 'handed_off',
        stage: 'mql',
        reason: 'Fast track: demo requested',
        score: 15,
        detail: {
          source: 'ORGANIC_SEARCH',
          segment: { id: 'enterprise', label: 'Enterprise' },
          breakdown: [{ label: 'Job title', value: 'VP Engineering' }],
          how: 'created',
        },
      },
      {
        hubspotContactId: '601',
        action: 'failed',
        reason: 'INVALID_EMAIL_ADDRESS: ada@analytical',
        detail: { errors: [{ message: 'ada@analytical' }] },
      },
    ]);
    const later = () => new Date(Date.now() + 31 * DAY);
    expect((await purgePersonalData({ db, logger: silentLogger(), retentionDays: 30, now: later })).historyEntries).toBe(2);
    const result = await db.query<{ action: string; reason: string | null; detail: unknown; score: number; stage: string | null }>(
      'SELECT action, reason, detail, score, stage FROM handoff_history ORDER BY id',
    );
    expect(result.rows).toEqual([
      {
        action: 'handed_off',
        reason: 'Fast track: demo requested',
        detail: { source: 'ORGANIC_SEARCH', segment: { id: 'enterprise' }, how: 'created' },
        score: 15,
        stage: 'mql',
      },
      { action: 'failed', reason: null, detail: {}, score: null, stage: null },
    ]);
  });

  it('reduces resolved parked work past the retention and leaves open work for its replay', async () => {
    const resolved = await park(db, {
      kind: 'handoff',
      recordKey: '701',
      provider: 'salesforce',
      message: 'Bad value: grace@compilers.example',
      context: { code: 'INVALID_EMAIL', contact: { email: 'grace@compilers.example' } },
    });
    await resolveParked(db, resolved.id);
    await park(db, {
      kind: 'handoff',
      recordKey: '702',
      provider: 'salesforce',
      message: 'Bad value: alan@bletchley.example',
      context: { code: 'INVALID_EMAIL', contact: { email: 'alan@bletchley.example' } },
    });
    const counts = await purgePersonalData({ db, logger: silentLogger(), retentionDays: 30, now: () => new Date(Date.now() + 31 * DAY) });
    expect(counts.parkedWork).toBe(1);
    const text = await tableText(db, 'parked_work');
    expect(text).not.toContain('grace@compilers.example');
    expect(text).toContain('alan@bletchley.example');
    const row = await db.query<{ context: unknown }>(`SELECT context FROM parked_work WHERE record_key = '701'`);
    expect(row.rows[0]!.context).toEqual({ code: 'INVALID_EMAIL' });
  });

  it('forgets write intents a crash left behind once past the retention', async () => {
    await recordWriteIntents(db, [{ contactId: '751', values: { Email: 'left@behind.example' } }]);
    const run = (days: number) =>
      purgePersonalData({ db, logger: silentLogger(), retentionDays: 30, now: () => new Date(Date.now() + days * DAY) });
    expect((await run(29)).writeIntents).toBe(0);
    expect((await run(31)).writeIntents).toBe(1);
    expect(await tableText(db, 'salesforce_write_intents')).not.toContain('left@behind.example');
  });
});

describe('erasing a contact HubSpot deleted', () => {
  let db: Database;
  useFreshDatabase((opened) => {
    db = opened;
  });

  /** What the service holds on a handed-off contact, with its e-mail in every place it can reach. */
  async function seed(contactId: string, leadId: string, email: string): Promise<string[]> {
    await insertEvents(db, [changeOf(`${contactId}-a`, contactId, email), changeOf(`${contactId}-b`, contactId, email)]);
    const [first, second] = await pendingEventHeads(db, [contactId]);
    await markProcessed(db, [first!.id], 'handed_off');
    await upsertLink(db, { hubspotContactId: contactId, salesforceObject: 'Lead', salesforceId: leadId });
    await rememberLead(db, {
      leadId,
      hubspotContactId: contactId,
      stage: 'mql',
      status: 'Open',
      fingerprint: JSON.stringify({ fields: { Email: email } }),
      flag: null,
    });
    await recordWritten(db, 'salesforce', leadId, { Email: email });
    await recordWritten(db, 'hubspot', contactId, { handoff_salesforce_id: leadId });
    await recordWriteIntents(db, [{ contactId, values: { Email: email } }]);
    await keepReadValues(db, [
      { contactId, values: { email: { value: email, at: new Date() }, lastname: { value: 'Lovelace', at: new Date() } } },
    ]);
    await appendHistory(db, [
      {
        hubspotContactId: contactId,
        salesforceId: leadId,
        action: 'handed_off',
        reason: `Matched ${email}`,
        detail: { source: 'DIRECT_TRAFFIC', email },
      },
    ]);
    await park(db, { kind: 'handoff', recordKey: contactId, message: `Bad value ${email}`, context: { code: 'X', email } });
    // The Lead's deal, followed to revenue: whose it is, its amount and loss reason.
    await linkOpportunities(db, [{ opportunityId: `006${leadId}`, leadId, hubspotContactId: contactId }]);
    const now = new Date();
    await startClocks(db, [
      {
        leadId,
        hubspotContactId: contactId,
        kind: 'first_touch',
        rule: 'default',
        source: null,
        segment: null,
        definitionVersion: null,
        handedOffAt: now,
        routingDelayMs: null,
        warnAt: null,
        dueAt: new Date(now.getTime() + DAY),
      },
    ]);
    return [second!.id];
  }

  it('leaves nothing personal on the contact, keeps the rows that count, records the erasure and touches no other contact', async () => {
    const pendingIds = await seed('801', '00Q801', 'ada@analytical.example');
    await seed('802', '00Q802', 'grace@compilers.example');
    await db.query(`INSERT INTO hubspot_writebacks (contact_id, properties) VALUES ('801', '{"hs_lead_status":"NEW"}'), ('802', '{}')`);

    const counts = await db.transaction((tx) =>
      eraseContactData(tx, { contactId: '801', eventType: 'contact.privacyDeletion', eventIds: pendingIds, now: new Date() }),
    );
    expect(counts).toEqual({
      inboxEvents: 2,
      leadMemories: 1,
      lastWritten: 2,
      writeIntents: 1,
      historyEntries: 1,
      parkedWork: 1,
      slaClocksDropped: 1,
      writeBacksDropped: 1,
      links: 1,
      ownerNotifications: 0,
      assignmentsReleased: 0,
      opportunities: 1,
      mqlEvaluations: 0,
      keptValues: 2,
    });
    const deals = await db.query<{ contact: string }>(`SELECT hubspot_contact_id AS contact FROM opportunities ORDER BY 1`);
    expect(deals.rows).toEqual([{ contact: '802' }]);
    const queued = await db.query<{ contact: string }>(`SELECT contact_id AS contact FROM hubspot_writebacks`);
    expect(queued.rows).toEqual([{ contact: '802' }]);

    for (const table of [
      'webhook_inbox',
      'lead_memory',
      'last_written',
      'salesforce_write_intents',
      'handoff_history',
      'parked_work',
      'record_links',
      'sla_timers',
      'contact_kept_values',
    ]) {
      const text = await tableText(db, table);
      expect({ table, erased: text.includes('ada@analytical.example') }).toEqual({ table, erased: false });
      // The other contact's data is where it was (the inbox and the rest).
      if (!['record_links', 'sla_timers'].includes(table))
        expect({ table, kept: text.includes('grace@compilers.example') }).toEqual({ table, kept: true });
    }
    const inbox = await inboxRows(db);
    expect(inbox.get('801-a')).toMatchObject({ purged: true, processed: true, outcome: 'handed_off' });
    expect(inbox.get('801-b')).toMatchObject({ purged: true, processed: true, outcome: 'erased: contact.privacyDeletion' });
    const history = await db.query<{ action: string; salesforceId: string | null; detail: unknown }>(
      `SELECT action, salesforce_id AS "salesforceId", detail FROM handoff_history WHERE hubspot_contact_id = '801' ORDER BY id`,
    );
    expect(history.rows).toEqual([
      { action: 'handed_off', salesforceId: '00Q801', detail: { source: 'DIRECT_TRAFFIC' } },
      { action: 'erased', salesforceId: '00Q801', detail: { event: 'contact.privacyDeletion' } },
    ]);
    // Its running clock can no longer be decided (stopping it would count a first touch): gone; the other contact's runs on.
    const clocks = await db.query<{ contact: string }>(
      `SELECT hubspot_contact_id AS contact FROM sla_timers WHERE hubspot_contact_id IN ('801', '802')`,
    );
    expect(clocks.rows).toEqual([{ contact: '802' }]);
    const open = await db.query(`SELECT 1 FROM parked_work WHERE record_key = '801' AND resolved_at IS NULL`);
    expect(open.rowCount).toBe(0);
    expect(await erasureStates(db, ['801', '802'])).toEqual(new Map([['801', 'privacy']]));
  });

  it('settles only the events that asked for the erasure: a later pending one (a restore) waits for its own triage', async () => {
    await seed('901', '00Q901', 'hedy@frequency.example');
    await insertEvents(db, [
      {
        ...changeOf('901-restore', '901'),
        eventType: 'contact.restore',
        propertyName: null,
        propertyValue: null,
        payload: { subscriptionType: 'contact.restore' },
      },
    ]);
    await db.transaction((tx) => eraseContactData(tx, { contactId: '901', eventType: 'contact.deletion', eventIds: [], now: new Date() }));
    expect((await pendingEventHeads(db, ['901'])).map((event) => event.dedupeKey)).toEqual(['901-b', '901-restore']);
    // A plain deletion is not a privacy deletion: the contact may come back. Until it does, it counts as erased.
    expect(await erasureStates(db, ['901'])).toEqual(new Map([['901', 'deletion']]));
    expect(await erasedContacts(db, ['901'])).toEqual(new Set(['901']));
    await appendHistory(db, [{ hubspotContactId: '901', action: 'linked_existing', salesforceId: '00Q901' }]);
    expect(await erasedContacts(db, ['901'])).toEqual(new Set());
    expect(await erasureStates(db, ['901'])).toEqual(new Map());
  });

  it('remembers nothing more about the Lead of a privacy-erased contact (the Lead outlives it in Salesforce)', async () => {
    await seed('951', '00Q951', 'erased@lead.example');
    await seed('952', '00Q952', 'deleted@lead.example');
    await db.transaction(async (tx) => {
      await eraseContactData(tx, { contactId: '951', eventType: 'contact.privacyDeletion', eventIds: [], now: new Date() });
      await eraseContactData(tx, { contactId: '952', eventType: 'contact.deletion', eventIds: [], now: new Date() });
    });
    for (const [leadId, contactId] of [
      ['00Q951', '951'],
      ['00Q952', '952'],
    ]) {
      await rememberLead(db, {
        leadId: leadId!,
        hubspotContactId: contactId!,
        stage: 'sal',
        status: 'Accepted',
        fingerprint: '{"fields":{"Email":"x@lead.example"}}',
        flag: null,
      });
    }
    const memories = await db.query<{ leadId: string }>(
      `SELECT lead_id AS "leadId" FROM lead_memory WHERE lead_id LIKE '00Q95_' ORDER BY lead_id`,
    );
    expect(memories.rows).toEqual([{ leadId: '00Q952' }]);
  });
});
