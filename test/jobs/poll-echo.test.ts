import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadMappings } from '../../src/config/mappings.ts';
import type { MappingsBundle } from '../../src/core/mappings/bundle.ts';
import { type HandoffDeps, handoffContacts } from '../../src/jobs/handoff/handoff-contacts.ts';
import { type LeadPollDeps, pollLeadChanges } from '../../src/jobs/salesforce-poll/poll-leads.ts';
import { silentLogger } from '../../src/log.ts';
import { type HubSpotSimulator, startHubSpotSimulator } from '../../src/simulators/hubspot/server.ts';
import { INTEGRATION_USER_ID, type SalesforceSimulator, startSalesforceSimulator } from '../../src/simulators/salesforce/server.ts';
import type { Database } from '../../src/store/database.ts';
import { insertEvents } from '../../src/store/inbox.ts';
import { recordWritten } from '../../src/store/last-written.ts';
import { listParked } from '../../src/store/parked.ts';
import { replayHistory } from '../../src/store/parked-replays.ts';
import { writeIntentsFor } from '../../src/store/write-intents.ts';
import { useFreshDatabase } from '../support/databases.ts';
import { pollDepsOver } from './support/poll-deps.ts';

/**
 * Title ⇄ jobtitle is mapped both ways. A Lead field that still holds the value Handoff wrote to it is the echo
 * of our own write, not a rep's edit: copying it back would overwrite a newer HubSpot value whose webhook is
 * still waiting to be processed (a lost update the crash harness found).
 */
describe('the Lead poll and our own writes', () => {
  let db: Database;
  let hubspot: HubSpotSimulator;
  let salesforce: SalesforceSimulator;
  let bundle: MappingsBundle;
  let deps: LeadPollDeps;
  useFreshDatabase((fresh) => (db = fresh));

  beforeAll(async () => {
    bundle = await loadMappings('mappings');
    hubspot = await startHubSpotSimulator({ accessToken: 'poll-token', rateLimit: { windowMs: 10_000, max: 10_000 } });
    salesforce = await startSalesforceSimulator({
      clientId: 'c',
      clientSecret: 's',
      refreshToken: 'r',
      rejectionReasons: bundle.rejection.reasons.map((r) => r.code),
    });
    ({ deps } = await pollDepsOver({
      db,
      bundle,
      hubspot: { url: hubspot.url, token: 'poll-token' },
      salesforce: { url: salesforce.url, clientId: 'c', clientSecret: 's', refreshToken: 'r' },
    }));
  });
  afterAll(async () => {
    await hubspot?.close();
    await salesforce?.close();
  });

  /** A Lead as our handoff leaves it: written by the integration user, our values recorded as last written. */
  async function handedOff(name: string, title: string): Promise<{ contactId: string; leadId: string }> {
    const contactId = hubspot.createContact({
      email: `${name}@echo.example`,
      lastname: name,
      company: 'Echo',
      jobtitle: title,
      demo_requested: 'true',
    });
    const lead = salesforce.createRecord(
      'Lead',
      {
        LastName: name,
        Company: 'Echo',
        Email: `${name}@echo.example`,
        Title: title,
        Status: 'Open - Not Contacted',
        Handoff_HubSpot_Id__c: contactId,
      },
      { userId: INTEGRATION_USER_ID },
    );
    const leadId = String(lead.Id);
    await recordWritten(db, 'salesforce', leadId, { LastName: name, Company: 'Echo', Email: `${name}@echo.example`, Title: title });
    return { contactId, leadId };
  }
  const jobtitleWrites = (contactId: string) =>
    hubspot.contacts.writes(contactId).filter((w) => w.changeSource === 'INTEGRATION' && 'jobtitle' in w.properties);

  it('never copies our own value back over a newer HubSpot value, at the first sighting of the Lead', async () => {
    const { contactId } = await handedOff('first', 'Engineer v1');
    hubspot.updateContact(contactId, { jobtitle: 'Engineer v2' }); // its webhook is not processed yet
    await pollLeadChanges(deps);
    expect(hubspot.contacts.get(contactId)?.properties.jobtitle).toBe('Engineer v2');
    expect(jobtitleWrites(contactId)).toEqual([]);
  });

  it('never copies our own refresh back either, once the Lead has been seen before', async () => {
    const { contactId, leadId } = await handedOff('seen', 'Engineer v1');
    await pollLeadChanges(deps);
    // Our handoff refreshes the Lead with v2 from HubSpot; before the poll sees it, HubSpot moves on to v3.
    salesforce.updateRecord('Lead', leadId, { Title: 'Engineer v2' }, { userId: INTEGRATION_USER_ID });
    await recordWritten(db, 'salesforce', leadId, { Title: 'Engineer v2' });
    hubspot.updateContact(contactId, { jobtitle: 'Engineer v3' });
    await pollLeadChanges(deps);
    expect(hubspot.contacts.get(contactId)?.properties.jobtitle).toBe('Engineer v3');
    expect(jobtitleWrites(contactId)).toEqual([]);
  });

  it("knows our write as ours before its bookkeeping commits (a crash between Salesforce's commit and ours)", async () => {
    const contactId = hubspot.createContact({
      email: 'window@echo.example',
      lastname: 'window',
      company: 'Echo',
      jobtitle: 'Engineer v1',
      demo_requested: 'true',
    });
    await insertEvents(db, [
      {
        dedupeKey: `echo-${contactId}`,
        source: 'hubspot',
        eventType: 'contact.creation',
        objectType: 'contact',
        objectId: contactId,
        occurredAt: new Date(),
        payload: {},
      },
    ]);
    const handoff: HandoffDeps = {
      db,
      hubspot: deps.hubspot,
      lists: deps.lists,
      salesforce: deps.salesforce,
      mappings: () => bundle,
      logger: silentLogger(),
      now: () => new Date(),
    };
    // The Lead is written, then the process dies before its results commit.
    const dying: Database = {
      ...db,
      transaction: async () => {
        throw new Error('killed before our commit');
      },
    };
    await expect(handoffContacts([contactId], { ...handoff, db: dying })).rejects.toThrow('killed before our commit');
    const lead = salesforce.records('Lead').find((row) => row.Handoff_HubSpot_Id__c === contactId);
    expect(lead?.Title).toBe('Engineer v1');

    expect((await writeIntentsFor(db, [contactId])).get(contactId)?.Title).toEqual(['Engineer v1']);

    hubspot.updateContact(contactId, { jobtitle: 'Engineer v2' }); // its webhook is not processed yet
    await pollLeadChanges(deps);
    expect(hubspot.contacts.get(contactId)?.properties.jobtitle).toBe('Engineer v2');
    expect(jobtitleWrites(contactId)).toEqual([]);

    // The retried batch then hands the contact off with its current title, once.
    await handoffContacts([contactId], handoff);
    expect(
      salesforce
        .records('Lead')
        .filter((row) => row.Handoff_HubSpot_Id__c === contactId)
        .map((row) => row.Title),
    ).toEqual(['Engineer v2']);
    // Both attempts' values were known as ours until the retry committed; now last_written holds what Salesforce has.
    expect(await writeIntentsFor(db, [contactId])).toEqual(new Map());
  });

  it('still copies what a rep typed in Salesforce to HubSpot', async () => {
    const { contactId, leadId } = await handedOff('rep', 'Engineer v1');
    await pollLeadChanges(deps);
    salesforce.updateRecord('Lead', leadId, { Title: 'Head of Data' });
    await pollLeadChanges(deps);
    expect(hubspot.contacts.get(contactId)?.properties.jobtitle).toBe('Head of Data');
    expect(jobtitleWrites(contactId).map((w) => w.properties.jobtitle)).toEqual(['Head of Data']);
  });

  it("settles parked sales feedback as superseded once a later poll has synced the Lead's newer state", async () => {
    const { contactId, leadId } = await handedOff('superseded', 'Engineer v1');
    await pollLeadChanges(deps);
    salesforce.updateRecord('Lead', leadId, { Status: 'Working - Contacted' });
    hubspot.injectFaults({ status: 400, count: 1, endpoint: 'POST /crm/v3/objects/contacts/batch/update' });
    await pollLeadChanges(deps);
    const [parked] = (await listParked(db, { open: true, kind: 'sales_feedback' })).filter((item) => item.recordKey === leadId);
    expect(parked).toBeDefined();

    salesforce.updateRecord('Lead', leadId, { Status: 'Rejected', Rejection_Reason__c: 'bad_timing' });
    await pollLeadChanges(deps);

    expect(hubspot.contacts.get(contactId)?.properties.handoff_rejection_reason).toBe('bad_timing');
    expect((await listParked(db, { open: true, kind: 'sales_feedback' })).filter((item) => item.recordKey === leadId)).toEqual([]);
    const [settled] = (await listParked(db, { kind: 'sales_feedback' })).filter((item) => item.id === parked!.id);
    expect(settled?.resolvedAt).toBeInstanceOf(Date);
    expect((await replayHistory(db, [parked!.chainId])).get(parked!.chainId)).toEqual([
      expect.objectContaining({ actor: 'salesforce-poll', outcome: 'superseded', message: expect.stringContaining('later poll') }),
    ]);
  });

  it("stores and forwards a rep's value holding U+0000 with the character replaced, and the poll goes on", async () => {
    const { contactId, leadId } = await handedOff('nul', 'Engineer v1');
    await pollLeadChanges(deps);
    salesforce.updateRecord('Lead', leadId, { Title: 'Head\u0000of Data' });
    await pollLeadChanges(deps);
    expect(hubspot.contacts.get(contactId)?.properties.jobtitle).toBe('Head\uFFFDof Data');
    salesforce.updateRecord('Lead', leadId, { Title: 'Head of Data' });
    await pollLeadChanges(deps);
    expect(jobtitleWrites(contactId).map((w) => w.properties.jobtitle)).toEqual(['Head\uFFFDof Data', 'Head of Data']);
  });
});
