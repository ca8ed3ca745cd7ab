import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SalesforceAdapter } from '../../src/adapters/salesforce/adapter.ts';
import { loadMappings, parseMappingFiles } from '../../src/config/mappings.ts';
import type { MappingsBundle } from '../../src/core/mappings/bundle.ts';
import { createParkedReplayer } from '../../src/jobs/parked/replay-parked.ts';
import { OPPORTUNITY_WATERMARK_KEY, pollOpportunityChanges } from '../../src/jobs/salesforce-poll/poll-opportunities.ts';
import type { LeadPollDeps } from '../../src/jobs/salesforce-poll/poll-types.ts';
import { pollOrSkip } from '../../src/jobs/salesforce-poll-worker.ts';
import { type HubSpotSimulator, startHubSpotSimulator } from '../../src/simulators/hubspot/server.ts';
import { INTEGRATION_USER_ID, type SalesforceSimulator, startSalesforceSimulator } from '../../src/simulators/salesforce/server.ts';
import type { Database } from '../../src/store/database.ts';
import { historyForContact } from '../../src/store/history.ts';
import { opportunitiesOfContact } from '../../src/store/opportunities.ts';
import { listParked } from '../../src/store/parked.ts';
import { readSyncState } from '../../src/store/sync-state.ts';
import { useFreshDatabase } from '../support/databases.ts';
import { shippedFiles } from '../unit/core/helpers.ts';
import { pollDepsOver } from './support/poll-deps.ts';

/**
 * Issue 18, "Follow leads to revenue": a converted Lead's Opportunity is followed by the same poll tick as the Leads,
 * against real PostgreSQL and the simulators: won makes the contact a customer with the deal's amount and close date,
 * lost sets the lost Lead Status and the loss reason's nurture list, and the audit says so once per closing.
 */
describe('following converted Leads to revenue', () => {
  let db: Database;
  let hubspot: HubSpotSimulator;
  let salesforce: SalesforceSimulator;
  let bundle: MappingsBundle;
  let deps: LeadPollDeps;
  let salesforcePort: SalesforceAdapter;
  useFreshDatabase((fresh) => (db = fresh));

  beforeAll(async () => {
    bundle = await loadMappings('mappings');
    hubspot = await startHubSpotSimulator({ accessToken: 'revenue-token', rateLimit: { windowMs: 10_000, max: 10_000 } });
    salesforce = await startSalesforceSimulator({
      clientId: 'c',
      clientSecret: 's',
      refreshToken: 'r',
      rejectionReasons: bundle.rejection.reasons.map((r) => r.code),
      lossReasons: bundle.revenue.lost?.reasons.map((r) => r.code) ?? [],
    });
    ({ deps, salesforcePort } = await pollDepsOver({
      db,
      bundle,
      hubspot: { url: hubspot.url, token: 'revenue-token' },
      salesforce: { url: salesforce.url, clientId: 'c', clientSecret: 's', refreshToken: 'r' },
    }));
  });
  afterAll(async () => {
    await hubspot?.close();
    await salesforce?.close();
  });

  /** A contact handed off as an opportunity-stage Lead, converted by its rep: the contact, Lead and Opportunity ids. */
  async function converted(name: string): Promise<{ contactId: string; leadId: string; opportunityId: string }> {
    const contactId = hubspot.createContact({
      email: `${name}@deal.example`,
      lastname: name,
      company: `${name} Co`,
      lifecyclestage: 'salesqualifiedlead',
    });
    const lead = salesforce.createRecord(
      'Lead',
      { LastName: name, Company: `${name} Co`, Email: `${name}@deal.example`, Status: 'Qualified', Handoff_HubSpot_Id__c: contactId },
      { userId: INTEGRATION_USER_ID },
    );
    const leadId = String(lead.Id);
    const opportunityId = String(salesforce.convertLead(leadId).ConvertedOpportunityId);
    return { contactId, leadId, opportunityId };
  }
  const poll = async () => {
    const round = await pollOrSkip(deps);
    if ('skipped' in round) throw new Error(`skipped: ${round.skipped}`);
    return round;
  };
  const actions = async (contactId: string) =>
    (await historyForContact(db, contactId)).map((h) => h.action).filter((a) => a.startsWith('opportunity_'));
  const propertiesOf = (contactId: string) => hubspot.contacts.get(contactId)?.properties ?? {};

  it('records contact ⇄ Lead ⇄ Opportunity when the Lead poll sees the conversion, and follows the open deal', async () => {
    const { contactId, leadId, opportunityId } = await converted('link');
    const queries = salesforce.calls.query ?? 0;
    const round = await poll();
    // The Leads, then the Opportunities: the link came from the Lead poll, not from a lookup of the deal's Lead.
    expect((salesforce.calls.query ?? 0) - queries).toBe(2);
    expect(await opportunitiesOfContact(db, contactId)).toEqual([
      expect.objectContaining({
        opportunityId,
        leadId,
        hubspotContactId: contactId,
        stage: 'Prospecting',
        isClosed: false,
        status: 'open',
      }),
    ]);
    expect(round.opportunities?.outcomes).toMatchObject({ open: 1 });
    expect(propertiesOf(contactId).lifecyclestage).toBe('opportunity');
    expect(await readSyncState(db, OPPORTUNITY_WATERMARK_KEY)).toEqual({ systemModstamp: expect.any(String), id: opportunityId });
  });

  it('closed won: the contact becomes a customer with the amount and close date, opportunity_won once', async () => {
    const { contactId, opportunityId } = await converted('won');
    await poll();
    salesforce.updateRecord('Opportunity', opportunityId, { StageName: 'Closed Won', Amount: 25000, CloseDate: '2026-07-15' });
    await poll();
    expect(propertiesOf(contactId)).toMatchObject({
      lifecyclestage: 'customer',
      handoff_won_amount: '25000',
      handoff_won_close_date: '2026-07-15',
    });
    const [won] = (await historyForContact(db, contactId)).filter((h) => h.action === 'opportunity_won');
    expect(won).toMatchObject({
      salesforceId: opportunityId,
      stage: 'opportunity',
      detail: { opportunityId, amount: 25000, closeDate: '2026-07-15', stage: 'Closed Won', lossReason: null },
    });
    const [row] = await opportunitiesOfContact(db, contactId);
    expect(row).toMatchObject({ status: 'won', isWon: true, amount: '25000', closeDate: '2026-07-15', closedAt: expect.any(Date) });

    // Re-read within the overlap, then a rep's correction of the amount: still one win, the amount follows.
    await poll();
    salesforce.updateRecord('Opportunity', opportunityId, { Amount: 27500 });
    await poll();
    expect(propertiesOf(contactId).handoff_won_amount).toBe('27500');
    expect(await actions(contactId)).toEqual(['opportunity_won']);
  });

  it('closed lost with a loss reason: the lost Lead Status and that reason’s nurture list', async () => {
    const { contactId, opportunityId } = await converted('lost');
    await poll();
    salesforce.updateRecord('Opportunity', opportunityId, { StageName: 'Closed Lost', Handoff_Loss_Reason__c: 'competitor' });
    await poll();
    expect(propertiesOf(contactId)).toMatchObject({ hs_lead_status: 'BAD_TIMING', lifecyclestage: 'opportunity' });
    expect(hubspot.lists.members('Nurture – Lost to a competitor')).toContain(contactId);
    expect(hubspot.lists.members('Nurture – Lost deals') ?? []).not.toContain(contactId);
    const [lost] = (await historyForContact(db, contactId)).filter((h) => h.action === 'opportunity_lost');
    expect(lost?.detail).toMatchObject({
      opportunityId,
      stage: 'Closed Lost',
      lossReason: 'competitor',
      nurtureList: 'Nurture – Lost to a competitor',
    });
  });

  it('one tick does both: a Lead converted and its deal won before the poll ran', async () => {
    const { contactId, opportunityId } = await converted('tick');
    salesforce.updateRecord('Opportunity', opportunityId, { StageName: 'Closed Won', Amount: 900, CloseDate: '2026-05-01' });
    const round = await poll();
    expect(round.opportunities?.outcomes).toMatchObject({ opportunity_won: 1 });
    expect(propertiesOf(contactId)).toMatchObject({ lifecyclestage: 'customer', handoff_won_amount: '900' });
  });

  it('our own writes are not echoed: a deal our integration user closed is left alone, the next rep change is decided in full', async () => {
    const { contactId, opportunityId } = await converted('echo');
    await poll();
    const [saved] = await salesforcePort.updateRecords('Opportunity', [{ Id: opportunityId, StageName: 'Closed Won', Amount: 300 }]);
    expect(saved?.success).toBe(true);
    const round = await poll();
    expect(round.opportunities?.outcomes).toMatchObject({ 'our own write': 1 });
    expect(propertiesOf(contactId).lifecyclestage).toBe('opportunity');
    expect(await actions(contactId)).toEqual([]);

    salesforce.updateRecord('Opportunity', opportunityId, { Amount: 350 });
    await poll();
    expect(propertiesOf(contactId)).toMatchObject({ lifecyclestage: 'customer', handoff_won_amount: '350' });
    expect(await actions(contactId)).toEqual(['opportunity_won']);
  });

  it('finds the Lead of a deal converted before its link was recorded, with one query by Lead', async () => {
    const { contactId, leadId, opportunityId } = await converted('history');
    await poll();
    await db.query('DELETE FROM opportunities WHERE opportunity_id = $1', [opportunityId]);
    salesforce.updateRecord('Opportunity', opportunityId, { StageName: 'Closed Lost' });
    const queries = salesforce.calls.query ?? 0;
    // The Opportunity poll alone: its Lead is not re-read (as for a conversion from before the follow-up).
    await pollOpportunityChanges(deps);
    expect((salesforce.calls.query ?? 0) - queries).toBe(2); // the Opportunities, and the one lookup by Lead
    expect(await opportunitiesOfContact(db, contactId)).toEqual([expect.objectContaining({ opportunityId, leadId, status: 'lost' })]);
    expect(hubspot.lists.members('Nurture – Lost deals')).toContain(contactId);
  });

  it('parks a won deal HubSpot refused, and its replay writes it and the win', async () => {
    const { contactId, opportunityId } = await converted('parked');
    await poll();
    salesforce.updateRecord('Opportunity', opportunityId, { StageName: 'Closed Won', Amount: 70, CloseDate: '2026-08-01' });
    hubspot.injectFaults({ status: 400, count: 1, endpoint: 'POST /crm/v3/objects/contacts/batch/update' });
    expect((await poll()).opportunities?.outcomes).toMatchObject({ parked: 1 });
    const [parked] = (await listParked(db, { open: true, kind: 'opportunity_feedback' })).filter((p) => p.recordKey === opportunityId);
    expect(parked).toBeDefined();
    expect(await actions(contactId)).toEqual([]);

    const replay = createParkedReplayer({ ...deps, alerts: { send: async () => undefined }, queueContacts: async () => undefined });
    expect(await replay(parked!, 'admin')).toEqual({ status: 'replayed', outcome: 'done' });
    expect(propertiesOf(contactId)).toMatchObject({ lifecyclestage: 'customer', handoff_won_amount: '70' });
    expect(await actions(contactId)).toEqual(['opportunity_won']);
  });

  it('a version saved before revenue.yaml existed polls as before: no Opportunity query, no deal written', async () => {
    const { 'revenue.yaml': _revenue, ...before } = shippedFiles();
    const old = parseMappingFiles(before);
    const { contactId, opportunityId } = await converted('old');
    salesforce.updateRecord('Opportunity', opportunityId, { StageName: 'Closed Won', Amount: 5, CloseDate: '2026-01-01' });
    const queries = salesforce.calls.query ?? 0;
    const round = await pollOrSkip({ ...deps, mappings: () => old });
    expect(round).not.toHaveProperty('opportunities');
    expect((salesforce.calls.query ?? 0) - queries).toBe(1); // the Lead query alone
    expect(propertiesOf(contactId).lifecyclestage).toBe('opportunity');
    expect(propertiesOf(contactId).handoff_won_amount ?? '').toBe('');
    expect(await actions(contactId)).toEqual([]);
    // The link is recorded all the same, so publishing revenue.yaml later follows this deal too.
    expect((await opportunitiesOfContact(db, contactId)).map((o) => o.opportunityId)).toEqual([opportunityId]);
  });
});
