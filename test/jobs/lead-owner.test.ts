import { describe, expect, it } from '@jest/globals';
import { handoffContacts } from '../../src/jobs/handoff/handoff-contacts.ts';
import { pollLeadChanges } from '../../src/jobs/salesforce-poll/poll-leads.ts';
import { slaTick } from '../../src/jobs/sla/sla-tick.ts';
import { INTEGRATION_USER_ID, REP_USER_ID, SALES_REP_IDS } from '../../src/simulators/salesforce/server.ts';
import { listParked } from '../../src/store/parked.ts';
import { type ReplayWorld, useReplayWorld } from './support/replay-world.ts';

/**
 * REST API Developer Guide, "Assignment Rule Header": without `Sforce-Auto-Assign: FALSE` every Lead update re-runs
 * the org's active assignment rule. The org here has an active round-robin rule, so any of our writes that ran it
 * would visibly move the Lead to the next rep in turn. For each way routing.yaml can leave or set the owner, the new
 * Lead gets the owner it says, and after that no write of ours (mapped-field refresh, sync-status flag and its
 * Task, SLA due, SLA breached, a retried create, adopting an unclaimed Lead) changes the owner a rep gave it.
 */
const [IN_TURN_FIRST, IN_TURN_SECOND, DESK] = SALES_REP_IDS;
const ROUND_ROBIN = { id: '01Q000000000001AAA', name: 'Round robin', active: true, assignTo: [IN_TURN_FIRST, IN_TURN_SECOND] };
const ENTERPRISE_DESK = { id: '01Q000000000002AAA', name: 'Enterprise desk', active: false, assignTo: DESK };
const DAY_MS = 24 * 60 * 60 * 1000;

const routingYaml = (rest: string) => `version: "1"\n${rest}\n`;
const SETTINGS: Array<[string, string, string]> = [
  ["the org's active rule (fallback: salesforce-rules)", routingYaml('fallback: salesforce-rules'), IN_TURN_FIRST],
  ['a named user (fallback: { user })', routingYaml(`fallback: { user: ${INTEGRATION_USER_ID} }`), INTEGRATION_USER_ID],
  [
    'one assignment rule by id (strategy salesforce-rules)',
    routingYaml(
      `rules:\n  - { id: desk, label: Desk, strategy: salesforce-rules, assignmentRule: ${ENTERPRISE_DESK.id} }\nfallback: salesforce-rules`,
    ),
    DESK,
  ],
];

describe.each(SETTINGS)('REST API Developer Guide, Assignment Rule Header: routing to %s', (_name, routing, ownerAtCreation) => {
  let w: ReplayWorld;
  useReplayWorld((world) => (w = world), { salesforce: { assignmentRules: [ROUND_ROBIN, ENTERPRISE_DESK] }, routing });
  const poll = (): Promise<unknown> => pollLeadChanges(w.poll);
  const ownerOf = (leadId: string) => w.salesforce.getRecord('Lead', leadId)?.OwnerId;
  const apiWrites = (leadId: string) => w.salesforce.writeLog('Lead', leadId).map((entry) => Object.keys(entry.values));

  it("gives the new Lead the setting's owner, then no write of ours ever moves it again", async () => {
    const contactId = w.hubspot.createContact({
      email: 'owner@owner.example',
      lastname: 'Owner',
      company: 'Owner Co',
      jobtitle: 'Engineer',
      demo_requested: 'true',
    });
    await w.webhook(contactId);
    expect((await handoffContacts([contactId], w.handoff)).outcomes).toEqual({ handed_off: 1 });
    const leadId = String(w.leadsFor(contactId)[0]!.Id);
    expect(ownerOf(leadId)).toBe(ownerAtCreation);
    w.salesforce.updateRecord('Lead', leadId, { OwnerId: REP_USER_ID }); // a manager hands it to a rep in the UI

    // Mapped-field refresh.
    w.hubspot.updateContact(contactId, { jobtitle: 'Head of Engineering' });
    await w.webhook(contactId);
    expect((await handoffContacts([contactId], w.handoff)).outcomes).toEqual({ lead_updated: 1 });
    await poll();
    // The rep works the Lead: the first-touch clock stops and the SLA-due field moves to the disposition clock.
    w.salesforce.updateRecord('Lead', leadId, { Status: 'Working - Contacted' });
    await poll();
    // The rep rejects it without a reason: the sync-status field and a Task ask for one.
    w.salesforce.updateRecord('Lead', leadId, { Status: 'Rejected' });
    await poll();
    // The disposition clock runs out: the Lead is flagged as breached.
    const later = new Date(Date.now() + 30 * DAY_MS);
    expect(
      await slaTick({
        db: w.fresh.db,
        salesforce: w.handoff.salesforce,
        alerts: { send: async () => {}, sendOps: async () => {} },
        mappings: () => w.bundle,
        logger: w.handoff.logger,
        now: () => later,
      }),
    ).toMatchObject({ breached: 1 });

    const sf = w.bundle.fieldMapping.salesforce.fields;
    expect(apiWrites(leadId)).toEqual([
      expect.arrayContaining(['LastName']),
      expect.arrayContaining(['Title']),
      [sf.slaDue],
      [sf.syncStatus],
      ['SLA_Breached__c'],
    ]);
    expect(w.salesforce.getRecord('Lead', leadId)).toMatchObject({
      Title: 'Head of Engineering',
      SLA_Breached__c: true,
      [sf.syncStatus]: expect.any(String),
    });
    expect(ownerOf(leadId)).toBe(REP_USER_ID);
    expect(w.salesforce.records('Task').filter((task) => task.WhoId === leadId)).toEqual([
      expect.objectContaining({ OwnerId: REP_USER_ID }),
    ]);
  });

  it('adopts an unclaimed Lead a rep owns without re-routing it', async () => {
    const { Id } = w.salesforce.createRecord(
      'Lead',
      { LastName: 'Adopt', Company: 'Adopt Co', Email: 'adopt@owner.example' },
      { userId: REP_USER_ID },
    );
    const contactId = w.hubspot.createContact({
      email: 'adopt@owner.example',
      lastname: 'Adopt',
      company: 'Adopt Co',
      demo_requested: 'true',
    });
    await w.webhook(contactId);
    expect((await handoffContacts([contactId], w.handoff)).outcomes).toEqual({ handed_off: 1 });
    expect(w.salesforce.getRecord('Lead', String(Id))).toMatchObject({ Handoff_HubSpot_Id__c: contactId, OwnerId: REP_USER_ID });
  });

  it('updates our own Lead with no rule when a retried create meets it (its e-mail since changed in Salesforce)', async () => {
    const contactId = w.hubspot.createContact({
      email: 'retry@owner.example',
      lastname: 'Retry',
      company: 'Retry Co',
      demo_requested: 'true',
    });
    // Our first attempt created the Lead, then the process died before recording it; a rep took it and edited its e-mail.
    const { Id } = w.salesforce.createRecord(
      'Lead',
      { LastName: 'Retry', Company: 'Retry Co', Email: 'retry@elsewhere.example', Handoff_HubSpot_Id__c: contactId },
      { userId: REP_USER_ID },
    );
    const before = { ...w.salesforce.calls };
    const more = (kind: string) => (w.salesforce.calls[kind] ?? 0) - (before[kind] ?? 0);
    await w.webhook(contactId);
    expect((await handoffContacts([contactId], w.handoff)).outcomes).toEqual({ handed_off: 1 });
    // Two composites (the e-mail match; the create, refused with DUPLICATE_VALUE, with its owner read), then one upsert.
    expect([more('composite'), more('create'), more('upsert')]).toEqual([2, 0, 1]);
    expect(w.leadsFor(contactId)).toEqual([expect.objectContaining({ Id, OwnerId: REP_USER_ID, Email: 'retry@owner.example' })]);
    expect(await listParked(w.fresh.db, {})).toEqual([]);
  });
});
