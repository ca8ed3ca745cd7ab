import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHubSpotAdapter } from '../../src/adapters/hubspot/adapter.ts';
import { createListIdResolver } from '../../src/adapters/hubspot/list-ids.ts';
import { createSalesforceAdapter } from '../../src/adapters/salesforce/adapter.ts';
import { describedFields } from '../../src/adapters/salesforce/described-fields.ts';
import { parseMappingFiles } from '../../src/config/mappings.ts';
import { dryRunResyncUnit } from '../../src/jobs/backfill/resync-unit.ts';
import type { UnitDeps } from '../../src/jobs/backfill/unit-outcome.ts';
import { createLeadReads } from '../../src/jobs/salesforce-poll/lead-reads.ts';
import { silentLogger } from '../../src/log.ts';
import { type HubSpotSimulator, startHubSpotSimulator } from '../../src/simulators/hubspot/server.ts';
import { INTEGRATION_USER_ID, type SalesforceSimulator, startSalesforceSimulator } from '../../src/simulators/salesforce/server.ts';
import type { BackfillRun } from '../../src/store/backfill-runs.ts';
import type { Database } from '../../src/store/database.ts';
import { upsertLink } from '../../src/store/links.ts';
import { useFreshDatabase } from '../support/databases.ts';
import { shippedFiles } from '../unit/core/helpers.ts';

/** A resync reads Leads too: against an org that lacks a configured field, it leaves the field out (SOQL fails INVALID_FIELD otherwise). */
describe('a resync against an org that lacks a BANT field the configuration names', () => {
  const files = shippedFiles();
  const bundle = parseMappingFiles({
    ...files,
    'sql-definition.yaml': (files['sql-definition.yaml'] ?? '').replace('field: Need__c', 'field: Pain__c'),
  });
  const CREDS = { clientId: 'c', clientSecret: 's', refreshToken: 'r' };
  let db: Database;
  let hubspot: HubSpotSimulator;
  let salesforce: SalesforceSimulator;
  useFreshDatabase((fresh) => (db = fresh));
  beforeAll(async () => {
    hubspot = await startHubSpotSimulator({ accessToken: 'rs-token', rateLimit: { windowMs: 10_000, max: 10_000 } });
    salesforce = await startSalesforceSimulator(CREDS);
  });
  afterAll(async () => {
    await hubspot?.close();
    await salesforce?.close();
  });

  it('reads the Lead without it, where naming it would fail the unit', async () => {
    const hubspotPort = createHubSpotAdapter({ accessToken: 'rs-token', baseUrl: hubspot.url, logger: silentLogger() });
    const salesforcePort = createSalesforceAdapter({
      loginUrl: salesforce.url,
      instanceUrl: salesforce.url,
      ...CREDS,
      apiVersion: '66.0',
      logger: silentLogger(),
      leadExternalIdField: bundle.fieldMapping.salesforce.externalIdField,
      retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    });
    const deps: UnitDeps = {
      db,
      hubspot: hubspotPort,
      lists: createListIdResolver(hubspotPort),
      salesforce: salesforcePort,
      mappings: () => bundle,
      logger: silentLogger(),
      now: () => new Date(),
    };
    const contactId = hubspot.createContact({ email: 'rs@std.example', lastname: 'Resync', company: 'Std' });
    const lead = salesforce.createRecord(
      'Lead',
      { LastName: 'Resync', Company: 'Std', Handoff_HubSpot_Id__c: contactId },
      { userId: INTEGRATION_USER_ID },
    );
    await upsertLink(db, { hubspotContactId: contactId, salesforceObject: 'Lead', salesforceId: String(lead.Id) });
    const [contact] = (await hubspotPort.readContacts([contactId], ['email', 'lifecyclestage', 'hs_lead_status'])).contacts;
    const run = { id: '1' } as BackfillRun;
    const unit = { contacts: [contact!], missing: [], checkpoint: {} as never };

    await expect(dryRunResyncUnit(run, unit, bundle, deps)).rejects.toThrow(/INVALID_FIELD/);
    const leadReads = createLeadReads({ fields: describedFields(salesforcePort, 'Lead'), logger: silentLogger() });
    const outcome = await dryRunResyncUnit(run, unit, bundle, { ...deps, leadReads });
    expect(outcome.counts).toMatchObject({ read: 1 });
    expect(outcome.counts.errors ?? 0).toBe(0);
  });
});
