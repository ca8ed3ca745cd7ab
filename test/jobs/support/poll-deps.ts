import { createHubSpotAdapter } from '../../../src/adapters/hubspot/adapter.ts';
import { createListIdResolver } from '../../../src/adapters/hubspot/list-ids.ts';
import { ensureHubSpotSetup } from '../../../src/adapters/hubspot/setup.ts';
import { createSalesforceAdapter, type SalesforceAdapter } from '../../../src/adapters/salesforce/adapter.ts';
import { describedFields } from '../../../src/adapters/salesforce/described-fields.ts';
import type { MappingsBundle } from '../../../src/core/mappings/bundle.ts';
import { createLeadReads } from '../../../src/jobs/salesforce-poll/lead-reads.ts';
import type { LeadPollDeps } from '../../../src/jobs/salesforce-poll/poll-types.ts';
import { silentLogger } from '../../../src/log.ts';
import type { Database } from '../../../src/store/database.ts';

/**
 * The Salesforce poll's deps over real adapters to the simulators on loopback: HubSpot set up for `bundle` (properties,
 * lists), the Salesforce adapter logged in with the simulator's refresh-token credentials, and the Lead fields the
 * simulated org describes.
 */
export async function pollDepsOver(options: {
  db: Database;
  bundle: MappingsBundle;
  hubspot: { url: string; token: string };
  salesforce: { url: string; clientId: string; clientSecret: string; refreshToken: string };
}): Promise<{ deps: LeadPollDeps; salesforcePort: SalesforceAdapter }> {
  const { db, bundle } = options;
  const hubspotPort = createHubSpotAdapter({ accessToken: options.hubspot.token, baseUrl: options.hubspot.url, logger: silentLogger() });
  await ensureHubSpotSetup(hubspotPort, bundle.hubspotSetup);
  const { url, ...credentials } = options.salesforce;
  const salesforcePort = createSalesforceAdapter({
    loginUrl: url,
    instanceUrl: url,
    ...credentials,
    apiVersion: '66.0',
    logger: silentLogger(),
    leadExternalIdField: bundle.fieldMapping.salesforce.externalIdField,
  });
  const deps: LeadPollDeps = {
    db,
    hubspot: hubspotPort,
    lists: createListIdResolver(hubspotPort),
    mappings: () => bundle,
    logger: silentLogger(),
    now: () => new Date(),
    salesforce: salesforcePort,
    leadReads: createLeadReads({ fields: describedFields(salesforcePort, 'Lead'), logger: silentLogger() }),
  };
  return { deps, salesforcePort };
}
