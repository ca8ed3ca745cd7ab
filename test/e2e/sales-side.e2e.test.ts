import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { REP_USER_ID } from '../../src/simulators/salesforce/server.ts';
import { hubspotWrites, listMembers, salesforceWrites } from './support/hubspot-lists.ts';
import { eventually, type RunningService } from './support/service-process.ts';
import { createWorld, creationEvent, deliverWebhook, propertyChangeEvent, type World } from './support/world.ts';

type Row = Record<string, unknown>;
const SALES_READY = 'Sales ready – MQLs';
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the sales side end to end', () => {
  let world: World;
  let service: RunningService;
  const contacts: Record<string, string> = {};
  const leads: Record<string, string> = {};
  const hubspotOf = (key: string) => world.hubspot.contacts.get(contacts[key]!)!.properties;
  const leadOf = (key: string) => world.salesforce.getRecord('Lead', leads[key]!) as Row;
  const tasksFor = (key: string) => (world.salesforce.records('Task') as Row[]).filter((task) => task.WhoId === leads[key]);
  const repUpdates = (key: string, fields: Row) => world.salesforce.updateRecord('Lead', leads[key]!, fields);

  beforeAll(async () => {
    world = await createWorld({ webhooks: true });
    for (const key of ['accept', 'reject', 'reasonless', 'sql', 'convert']) {
      contacts[key] = world.hubspot.createContact({
        email: `${key}@buyer.example`,
        lastname: key,
        company: `${key} corp`,
        demo_requested: 'true',
      });
    }
    service = await world.start({ SALESFORCE_POLL_INTERVAL_SECONDS: '1' });
    const response = await deliverWebhook(service.url, world, JSON.stringify(Object.values(contacts).map((id) => creationEvent(id))));
    expect(response.status).toBe(200);
    await eventually(
      async () => {
        for (const [key, id] of Object.entries(contacts)) {
          const lead = (world.salesforce.records('Lead') as Row[]).find((row) => row.Handoff_HubSpot_Id__c === id);
          if (!lead) return undefined;
          leads[key] = String(lead.Id);
        }
        return true;
      },
      20_000,
      'five Leads',
    );
    await eventually(async () => ((await listMembers(world, SALES_READY)).length === 5 ? true : undefined), 10_000, 'sales-ready list');
  });

  afterAll(async () => {
    await service?.kill();
    await world?.close();
  });

  it("reflects an accepted Lead in HubSpot, and moves the rep's SLA due time from first touch to disposition", async () => {
    const firstTouchDue = Date.parse(String(leadOf('accept').SLA_Due__c).replace('+0000', 'Z'));
    expect(firstTouchDue).toBeGreaterThan(Date.now() - 60_000);
    repUpdates('accept', { Status: 'Accepted' });
    await eventually(
      async () => (Date.parse(String(leadOf('accept').SLA_Due__c).replace('+0000', 'Z')) > firstTouchDue ? true : undefined),
      10_000,
      'the disposition due time',
    );
    await eventually(async () => (hubspotOf('accept').hs_lead_status === 'IN_PROGRESS' ? true : undefined), 10_000, 'SAL in HubSpot');
    expect(hubspotOf('accept').lifecyclestage).toBe('marketingqualifiedlead');
  });

  it('sends a rejection with its reason to HubSpot: properties, a backward lifecycle move, and nurture lists', async () => {
    repUpdates('reject', { Status: 'Rejected', Rejection_Reason__c: 'bad_timing' });
    await eventually(
      async () => (hubspotOf('reject').handoff_rejection_reason === 'bad_timing' ? true : undefined),
      10_000,
      'rejection in HubSpot',
    );
    const props = hubspotOf('reject');
    const inNinetyDays = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
    expect(props).toMatchObject({
      hs_lead_status: 'BAD_TIMING',
      lifecyclestage: 'lead',
      handoff_rejected_by: REP_USER_ID,
      handoff_recycle_after: inNinetyDays,
    });
    expect(Date.parse(String(props.handoff_rejected_at))).toBeGreaterThan(Date.now() - 60_000);
    await eventually(
      async () => ((await listMembers(world, 'Nurture – Bad timing')).includes(contacts.reject!) ? true : undefined),
      10_000,
      'nurture list',
    );
    expect(await listMembers(world, SALES_READY)).not.toContain(contacts.reject);
  });

  it('hands a recycled contact off again only once its recycle date has passed', async () => {
    const backlogEmpty = async () =>
      ((await (await fetch(`${service.url}/readyz`)).json()) as { pendingEvents: number }).pendingEvents === 0 ? true : undefined;
    world.hubspot.updateContact(contacts.reject!, { pricing_page_views: '2' });
    await deliverWebhook(service.url, world, JSON.stringify([propertyChangeEvent(contacts.reject!, 'pricing_page_views', '2')]));
    await eventually(backlogEmpty, 10_000, 'the change processed');
    expect(leadOf('reject').Status).toBe('Rejected');

    world.hubspot.updateContact(contacts.reject!, { handoff_recycle_after: '2020-01-01' }); // as if the 90 days had passed
    await deliverWebhook(
      service.url,
      world,
      JSON.stringify([propertyChangeEvent(contacts.reject!, 'handoff_recycle_after', '2020-01-01')]),
    );
    await eventually(async () => (leadOf('reject').Status === 'Open - Not Contacted' ? true : undefined), 10_000, 'the Lead back at MQL');
    expect(leadOf('reject').Rejection_Reason__c ?? null).toBeNull();
    expect(leads.reject).toBe(
      String((world.salesforce.records('Lead') as Row[]).find((row) => row.Handoff_HubSpot_Id__c === contacts.reject)!.Id),
    );
    await eventually(
      async () => (hubspotOf('reject').lifecyclestage === 'marketingqualifiedlead' ? true : undefined),
      10_000,
      'MQL again in HubSpot',
    );
    expect(hubspotOf('reject').hs_lead_status).toBe('NEW');
    // Cleared in HubSpot (an empty value removes a property).
    expect(hubspotOf('reject').handoff_rejection_reason ?? '').toBe('');
    expect(hubspotOf('reject').handoff_recycle_after ?? '').toBe('');
    // The list add is the write-back's last call, after the properties: wait for it rather than race it.
    await eventually(
      async () => ((await listMembers(world, SALES_READY)).includes(contacts.reject!) ? true : undefined),
      10_000,
      'back on the sales-ready list',
    );
  });

  it('holds back a rejection without a reason, tells the rep, and propagates once the reason is filled', async () => {
    const before = hubspotOf('reasonless').hs_lead_status;
    repUpdates('reasonless', { Status: 'Rejected' });
    await eventually(
      async () =>
        String(leadOf('reasonless').Handoff_Sync_Status__c ?? '').startsWith('Blocked') && tasksFor('reasonless').length === 1
          ? true
          : undefined,
      10_000,
      'the flag and the Task',
    );
    expect(tasksFor('reasonless')[0]).toMatchObject({ Status: 'Not Started', OwnerId: leadOf('reasonless').OwnerId });
    expect(String(tasksFor('reasonless')[0]!.Description)).toContain('no_budget');
    await settle(2_500); // two more polls: still nothing may reach HubSpot
    expect(hubspotOf('reasonless').hs_lead_status).toBe(before);
    expect(hubspotOf('reasonless').handoff_rejection_reason ?? '').toBe('');
    expect(await listMembers(world, SALES_READY)).toContain(contacts.reasonless);
    expect(tasksFor('reasonless')).toHaveLength(1);

    repUpdates('reasonless', { Rejection_Reason__c: 'no_budget' });
    await eventually(
      async () => (hubspotOf('reasonless').handoff_rejection_reason === 'no_budget' ? true : undefined),
      10_000,
      'the late reason in HubSpot',
    );
    await eventually(async () => (tasksFor('reasonless')[0]!.Status === 'Completed' ? true : undefined), 10_000, 'the Task closed');
    expect(String(leadOf('reasonless').Handoff_Sync_Status__c)).not.toMatch(/^Blocked/);
    expect(await listMembers(world, 'Nurture – No budget')).toContain(contacts.reasonless);
  });

  it('refuses an SQL without BANT, then propagates it when BANT is met', async () => {
    repUpdates('sql', { Status: 'Qualified' });
    await eventually(
      async () => (String(leadOf('sql').Handoff_Sync_Status__c ?? '').startsWith('Blocked') ? true : undefined),
      10_000,
      'the BANT flag',
    );
    expect(tasksFor('sql')).toHaveLength(1);
    expect(hubspotOf('sql').lifecyclestage).toBe('marketingqualifiedlead');

    repUpdates('sql', { Need__c: 'Replace the legacy CRM', Timeline__c: '0-3 months', Budget_Confirmed__c: true });
    await eventually(async () => (hubspotOf('sql').lifecyclestage === 'salesqualifiedlead' ? true : undefined), 10_000, 'SQL in HubSpot');
    // The criteria met, by their labels in sql-definition.yaml (authority was not given).
    expect(hubspotOf('sql').handoff_sql_criteria).toBe('Budget confirmed, Need identified, Buying within 6 months');
  });

  it('follows a conversion to an opportunity', async () => {
    world.salesforce.convertLead(leads.convert!);
    await eventually(
      async () => (hubspotOf('convert').lifecyclestage === 'opportunity' ? true : undefined),
      10_000,
      'opportunity in HubSpot',
    );
  });

  it("sends a rep's field change to HubSpot once and never back: no ping-pong in either direction", async () => {
    await settle(3_000); // let earlier work and its webhook echoes finish
    const hubspotBefore = hubspotWrites(world);
    const salesforceBefore = salesforceWrites(world);
    repUpdates('accept', { Title: 'Head of Data' });
    await eventually(async () => (hubspotOf('accept').jobtitle === 'Head of Data' ? true : undefined), 10_000, 'the title in HubSpot');
    await settle(4_000); // four polls, and the simulated HubSpot's webhook echo of our write has come and gone
    expect(hubspotWrites(world) - hubspotBefore).toBe(1);
    expect(salesforceWrites(world) - salesforceBefore).toBe(0);
  });

  it('audits each step once: handed off, flagged, then the rejection when the reason came', async () => {
    expect(await service.stop()).toBe(0);
    const db = await world.openDb();
    try {
      const actions = async (key: string) =>
        (
          await db.query<{ action: string }>('SELECT action FROM handoff_history WHERE hubspot_contact_id = $1 ORDER BY id', [
            contacts[key],
          ])
        ).rows.map((row) => row.action);
      // Any move off the handoff status is the first touch (its clock stops); a disposition stops the other one.
      expect(await actions('reasonless')).toEqual(['handed_off', 'routed', 'flagged', 'sla_stopped', 'recycled', 'sla_stopped']);
      expect(await actions('sql')).toEqual(['handed_off', 'routed', 'flagged', 'sla_stopped', 'sql_qualified', 'sla_stopped']);
      // Re-qualified after recycling: the same Lead back to MQL, not a new one, so no second routing.
      expect(await actions('reject')).toEqual(['handed_off', 'routed', 'recycled', 'sla_stopped', 'sla_stopped', 'handed_off']);
      expect(await actions('accept')).toEqual(['handed_off', 'routed', 'status_synced', 'sla_stopped', 'fields_synced']);
      expect(await actions('convert')).toEqual(['handed_off', 'routed', 'converted', 'sla_stopped', 'sla_stopped']);
      const clocks = await db.query<{ kind: string; stopped: boolean; breached: boolean }>(
        `SELECT kind, stopped_at IS NOT NULL AS stopped, breached_at IS NOT NULL AS breached FROM sla_timers WHERE hubspot_contact_id = $1 ORDER BY id`,
        [contacts.accept],
      );
      expect(clocks.rows).toEqual([
        { kind: 'first_touch', stopped: true, breached: false },
        { kind: 'disposition', stopped: false, breached: false },
      ]);
    } finally {
      await db.close();
    }
  });
});
