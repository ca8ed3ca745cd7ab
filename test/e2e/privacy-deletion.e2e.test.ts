import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Database } from '../../src/store/database.ts';
import { eventually, type RunningService } from './support/service-process.ts';
import { createWorld, type World } from './support/world.ts';

type Row = Record<string, unknown>;

/**
 * A GDPR delete in HubSpot ("Permanently delete a contact (GDPR-compliant)") sends contact.deletion and
 * contact.privacyDeletion (HubSpot webhooks docs; changelog "Webhooks now support privacy-compliant contact
 * deletions"): after it, the service holds nothing personal on the contact and its audit records the erasure.
 */
describe('a handed-off contact deleted for privacy in HubSpot', () => {
  let world: World;
  let service: RunningService;
  let db: Database;
  const person = { email: 'ada.private@analytical.example', firstname: 'Adaprivate', lastname: 'Lovelaceprivate' };
  let contactId = '';
  let leadId = '';

  beforeAll(async () => {
    world = await createWorld({ webhooks: true });
    db = await world.openDb();
    // An event the service processed 40 days ago, its payload still whole: past PERSONAL_DATA_RETENTION_DAYS (7 here).
    await db.query(
      `INSERT INTO webhook_inbox (dedupe_key, source, event_type, object_type, object_id, property_name, property_value, occurred_at, payload, received_at, processed_at, outcome)
       VALUES ('old-event', 'hubspot', 'contact.propertyChange', 'contact', '99999', 'email', 'old@person.example', now() - interval '40 days',
         '{"subscriptionType": "contact.propertyChange", "propertyName": "email", "propertyValue": "old@person.example"}', now() - interval '40 days', now() - interval '40 days', 'handed_off')`,
    );
    service = await world.start({ SALESFORCE_POLL_INTERVAL_SECONDS: '1', PERSONAL_DATA_RETENTION_DAYS: '7' });
    // Created as a person in HubSpot would: the simulated portal sends the creation and property changes itself.
    contactId = world.hubspot.createContact({
      ...person,
      company: 'Analytical Engines',
      jobtitle: 'VP Engineering',
      demo_requested: 'true',
    });
    const lead = await eventually(
      async () => (world.salesforce.records('Lead') as Row[]).find((row) => row.Handoff_HubSpot_Id__c === contactId),
      20_000,
      'the Lead',
    );
    leadId = String(lead.Id);
    // The poll has seen the Lead: the service now holds the person in every place it can.
    await eventually(
      async () => ((await db.query('SELECT 1 FROM lead_memory WHERE lead_id = $1', [leadId])).rowCount > 0 ? true : undefined),
      20_000,
      'the Lead remembered',
    );
  });

  afterAll(async () => {
    await db?.close();
    await service?.kill();
    await world?.close();
  });

  /** Rows about the contact or its Lead that still carry any of the person's values, per table. */
  async function personalRows(): Promise<Record<string, number>> {
    const values = Object.values(person);
    const tables: Record<string, string> = {
      webhook_inbox: 'object_id = $1',
      lead_memory: 'hubspot_contact_id = $1 OR lead_id = $2',
      last_written: 'record_id = $1 OR record_id = $2',
      handoff_history: 'hubspot_contact_id = $1',
      parked_work: 'record_key = $1 OR record_key = $2',
      salesforce_write_intents: 'hubspot_contact_id = $1',
    };
    const found: Record<string, number> = {};
    for (const [table, about] of Object.entries(tables)) {
      const result = await db.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM ${table} t WHERE $1::text IS NOT NULL AND $2::text IS NOT NULL AND (${about}) AND t::text ILIKE ANY($3::text[])`,
        [contactId, leadId, values.map((value) => `%${value}%`)],
      );
      found[table] = result.rows[0]!.count;
    }
    return found;
  }

  it('removes the personal data of events processed longer ago than the retention, once started', async () => {
    const purged = await eventually(
      async () => {
        const result = await db.query<Row>(
          `SELECT property_value AS "propertyValue", payload, outcome FROM webhook_inbox WHERE dedupe_key = 'old-event' AND purged_at IS NOT NULL`,
        );
        return result.rows[0];
      },
      20_000,
      'the old event purged',
    );
    expect(purged).toEqual({
      propertyValue: null,
      payload: { subscriptionType: 'contact.propertyChange', propertyName: 'email' },
      outcome: 'handed_off',
    });
  });

  it('holds the person before the deletion (so the check below can fail)', async () => {
    const before = await personalRows();
    expect(before.webhook_inbox).toBeGreaterThan(0);
    expect(before.last_written).toBeGreaterThan(0);
    expect(before.lead_memory).toBeGreaterThan(0);
  });

  it('erases what it held on the contact and records the erasure, while the Lead stays in Salesforce', async () => {
    const response = await fetch(`${world.hubspot.url}/_sim/contacts/${contactId}?privacy=true`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    // Both deletion webhooks arrive (HubSpot sends contact.deletion with the privacy deletion); wait until neither waits.
    await eventually(
      async () => {
        const types = await db.query<{ eventType: string; processed: boolean }>(
          `SELECT event_type AS "eventType", processed_at IS NOT NULL AS processed FROM webhook_inbox WHERE object_id = $1 AND event_type LIKE 'contact.%eletion'`,
          [contactId],
        );
        return types.rows.length === 2 && types.rows.every((row) => row.processed) ? true : undefined;
      },
      20_000,
      'both deletion events settled',
    );
    // Each deletion is audited (whichever came first erased; the privacy deletion is recorded as such).
    const erased = await db.query<{ salesforceId: string; event: string; at: Date }>(
      `SELECT salesforce_id AS "salesforceId", detail ->> 'event' AS event, at FROM handoff_history WHERE hubspot_contact_id = $1 AND action = 'erased' ORDER BY at`,
      [contactId],
    );
    expect(erased.rows.map((row) => row.event)).toContain('contact.privacyDeletion');
    expect(erased.rows[0]!.salesforceId).toBe(leadId);

    expect(await personalRows()).toEqual({
      webhook_inbox: 0,
      lead_memory: 0,
      last_written: 0,
      handoff_history: 0,
      parked_work: 0,
      salesforce_write_intents: 0,
    });
    expect((await db.query('SELECT 1 FROM lead_memory WHERE hubspot_contact_id = $1 OR lead_id = $2', [contactId, leadId])).rowCount).toBe(
      0,
    );
    expect((await db.query('SELECT 1 FROM record_links WHERE hubspot_contact_id = $1', [contactId])).rowCount).toBe(0);
    // The counts stay: the handoff is still in the audit, without its text.
    const actions = await db.query<{ action: string }>('SELECT action FROM handoff_history WHERE hubspot_contact_id = $1 ORDER BY id', [
      contactId,
    ]);
    expect(actions.rows.map((row) => row.action)).toEqual(expect.arrayContaining(['handed_off', 'erased']));
    expect((world.salesforce.records('Lead') as Row[]).filter((row) => row.Id === leadId)).toHaveLength(1);

    // The Lead is still in Salesforce and the poll keeps re-reading it: a poll after the erasure brings nothing back.
    // Compared in SQL: the times have microseconds, a JavaScript Date only milliseconds.
    const erasedAt = `(SELECT max(at) FROM handoff_history WHERE hubspot_contact_id = $1 AND action = 'erased')`;
    await eventually(
      async () => {
        const polled = await db.query(`SELECT 1 FROM sync_state WHERE key = 'salesforce.lead.watermark' AND updated_at > ${erasedAt}`, [
          contactId,
        ]);
        return polled.rowCount > 0 ? true : undefined;
      },
      20_000,
      'a poll after the erasure',
    );
    expect(await personalRows()).toEqual({
      webhook_inbox: 0,
      lead_memory: 0,
      last_written: 0,
      handoff_history: 0,
      parked_work: 0,
      salesforce_write_intents: 0,
    });
    // Nor did it try to carry the Lead back to the deleted contact (that would park it with the person's values).
    const after = await db.query<Row>(
      `SELECT action FROM handoff_history WHERE (hubspot_contact_id = $1 OR salesforce_id = $2) AND at > ${erasedAt}`,
      [contactId, leadId],
    );
    expect(after.rows).toEqual([]);
    expect((await db.query('SELECT 1 FROM parked_work WHERE record_key = $1 OR record_key = $2', [contactId, leadId])).rowCount).toBe(0);
    // Nor did the person reach the service's log.
    expect(service.output.filter((line) => line.includes(person.email) || line.includes(person.lastname))).toEqual([]);
  });
});
