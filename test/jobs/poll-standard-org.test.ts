import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHubSpotAdapter } from '../../src/adapters/hubspot/adapter.ts';
import { createListIdResolver } from '../../src/adapters/hubspot/list-ids.ts';
import { ensureHubSpotSetup } from '../../src/adapters/hubspot/setup.ts';
import { createSalesforceAdapter } from '../../src/adapters/salesforce/adapter.ts';
import { describedFields } from '../../src/adapters/salesforce/described-fields.ts';
import { parseMappingFiles } from '../../src/config/mappings.ts';
import type { MappingsBundle } from '../../src/core/mappings/bundle.ts';
import { createLeadReads } from '../../src/jobs/salesforce-poll/lead-reads.ts';
import { type LeadPollDeps, pollLeadChanges } from '../../src/jobs/salesforce-poll/poll-leads.ts';
import { createLogger, silentLogger } from '../../src/log.ts';
import { type HubSpotSimulator, startHubSpotSimulator } from '../../src/simulators/hubspot/server.ts';
import {
  INTEGRATION_USER_ID,
  REP_USER_ID,
  type SalesforceSimulator,
  startSalesforceSimulator,
} from '../../src/simulators/salesforce/server.ts';
import type { Database } from '../../src/store/database.ts';
import { startClocks } from '../../src/store/sla-timers.ts';
import { useFreshDatabase } from '../support/databases.ts';
import { shippedFiles } from '../unit/core/helpers.ts';

/**
 * firstCallOrEmail reads Lead.FirstCallDateTime / FirstEmailDateTime, which the Object Reference for the
 * Salesforce Platform (Lead) lists only for orgs with Sales Engagement (High Velocity Sales). In a standard
 * org a SOQL query naming them fails 400 INVALID_FIELD ("No such column"), so the poll must leave them out.
 */

const files = shippedFiles();
const withFirstCall: MappingsBundle = parseMappingFiles({
  ...files,
  'sla-rules.yaml': (files['sla-rules.yaml'] ?? '').replace(
    'detectBy: [statusLeavesInitial, activityLogged]',
    'detectBy: [statusLeavesInitial, firstCallOrEmail, activityLogged]',
  ),
});
const CREDS = { clientId: 'c', clientSecret: 's', refreshToken: 'r' };

interface Rig {
  hubspot: HubSpotSimulator;
  salesforce: SalesforceSimulator;
  deps: LeadPollDeps;
  warnings: string[];
  close(): Promise<void>;
}

async function rig(db: Database, salesEngagement: boolean): Promise<Rig> {
  const hubspot = await startHubSpotSimulator({ accessToken: 'std-token', rateLimit: { windowMs: 10_000, max: 10_000 } });
  const salesforce = await startSalesforceSimulator({
    ...CREDS,
    salesEngagement,
    rejectionReasons: withFirstCall.rejection.reasons.map((r) => r.code),
  });
  const hubspotPort = createHubSpotAdapter({ accessToken: 'std-token', baseUrl: hubspot.url, logger: silentLogger() });
  await ensureHubSpotSetup(hubspotPort, withFirstCall.hubspotSetup);
  const salesforcePort = createSalesforceAdapter({
    loginUrl: salesforce.url,
    instanceUrl: salesforce.url,
    ...CREDS,
    apiVersion: '66.0',
    logger: silentLogger(),
    leadExternalIdField: withFirstCall.fieldMapping.salesforce.externalIdField,
  });
  const warnings: string[] = [];
  const logger = createLogger(
    'warn',
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        warnings.push(String((JSON.parse(String(chunk)) as { message: unknown }).message));
        done();
      },
    }),
  );
  const deps: LeadPollDeps = {
    db,
    hubspot: hubspotPort,
    lists: createListIdResolver(hubspotPort),
    salesforce: salesforcePort,
    mappings: () => withFirstCall,
    leadReads: createLeadReads({ fields: describedFields(salesforcePort, 'Lead'), logger }),
    logger,
    now: () => new Date(),
  };
  return {
    hubspot,
    salesforce,
    deps,
    warnings,
    close: async () => {
      await hubspot.close();
      await salesforce.close();
    },
  };
}

/** A Lead as our handoff leaves it, for a HubSpot contact. */
function handedOff(r: Rig, name: string): { contactId: string; leadId: string } {
  const contactId = r.hubspot.createContact({ email: `${name}@std.example`, lastname: name, company: 'Std', demo_requested: 'true' });
  const lead = r.salesforce.createRecord(
    'Lead',
    {
      LastName: name,
      Company: 'Std',
      Email: `${name}@std.example`,
      Status: 'Open - Not Contacted',
      Handoff_HubSpot_Id__c: contactId,
    },
    { userId: INTEGRATION_USER_ID },
  );
  return { contactId, leadId: String(lead.Id) };
}

describe('the Lead poll against a standard org (no Sales Engagement) with firstCallOrEmail configured', () => {
  let db: Database;
  let r: Rig;
  useFreshDatabase((fresh) => (db = fresh));
  beforeAll(async () => {
    r = await rig(db, false);
  });
  afterAll(async () => r?.close());

  it('runs without a 400 INVALID_FIELD, syncs a rejection back to HubSpot, and says the problem once', async () => {
    const { contactId, leadId } = handedOff(r, 'rejected');
    await pollLeadChanges(r.deps);
    r.salesforce.updateRecord('Lead', leadId, { Status: 'Rejected', Rejection_Reason__c: 'bad_timing' }, { userId: REP_USER_ID });
    await pollLeadChanges(r.deps);
    await pollLeadChanges(r.deps);

    expect(r.hubspot.contacts.get(contactId)?.properties.handoff_rejection_reason).toBe('bad_timing');
    expect(r.warnings).toEqual([
      'sla-rules.yaml firstTouch.detectBy[1]: firstCallOrEmail needs Lead.FirstCallDateTime and Lead.FirstEmailDateTime, which exist only with Sales Engagement (High Velocity Sales): enable Sales Engagement in the org or remove firstCallOrEmail from firstTouch.detectBy',
    ]);
    // Three rounds, one describe: the org's fields are cached between rounds.
    expect(r.salesforce.calls.describe).toBe(1);
  });
});

describe('the Lead poll against an org with Sales Engagement (High Velocity Sales) on', () => {
  let db: Database;
  let r: Rig;
  useFreshDatabase((fresh) => (db = fresh));
  beforeAll(async () => {
    r = await rig(db, true);
  });
  afterAll(async () => r?.close());

  it("stops the first-touch clock at the rep's first call (FirstCallDateTime), with no problem logged", async () => {
    const { contactId, leadId } = handedOff(r, 'called');
    const handedOffAt = new Date(Date.now() - 10 * 60_000);
    await startClocks(db, [
      {
        leadId,
        hubspotContactId: contactId,
        kind: 'first_touch',
        rule: 'demo-request',
        source: null,
        segment: null,
        definitionVersion: null,
        handedOffAt,
        routingDelayMs: null,
        warnAt: null,
        dueAt: new Date(handedOffAt.getTime() + 60 * 60_000),
      },
    ]);
    const calledAt = new Date(handedOffAt.getTime() + 3 * 60_000);
    // Salesforce itself stamps the first logged call; the Lead Status stays where the handoff left it.
    r.salesforce.updateRecord('Lead', leadId, { FirstCallDateTime: calledAt.toISOString() }, { userId: REP_USER_ID });
    await pollLeadChanges(r.deps);

    const clocks = await db.query<{ stoppedAt: Date | null; stopReason: string | null }>(
      'SELECT stopped_at AS "stoppedAt", stop_reason AS "stopReason" FROM sla_timers WHERE lead_id = $1',
      [leadId],
    );
    expect(clocks.rows).toEqual([{ stoppedAt: calledAt, stopReason: 'first touch: first call (FirstCallDateTime)' }]);
    expect(r.warnings).toEqual([]);
  });
});
