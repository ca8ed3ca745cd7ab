import { randomBytes } from 'node:crypto';
import { createHubSpotAdapter } from '../adapters/hubspot/adapter.ts';
import { ensureHubSpotSetup } from '../adapters/hubspot/setup.ts';
import type { HubSpotSetupSpec } from '../core/setup-spec.ts';
import type { Logger } from '../log.ts';
import { type HubSpotSimulator, startHubSpotSimulator } from '../simulators/hubspot/server.ts';
import { type SalesforceSimulator, startSalesforceSimulator } from '../simulators/salesforce/server.ts';

/** Credentials made up for one sandbox run; the simulators accept exactly these. */
export interface SandboxCredentials {
  hubspotAccessToken: string;
  hubspotClientSecret: string;
  hubspotAppId: number;
  salesforceClientId: string;
  salesforceClientSecret: string;
  salesforceRefreshToken: string;
}

export function sandboxCredentials(): SandboxCredentials {
  const token = (prefix: string) => `${prefix}-${randomBytes(12).toString('hex')}`;
  return {
    hubspotAccessToken: token('sandbox-pat'),
    hubspotClientSecret: token('sandbox-secret'),
    hubspotAppId: 1000,
    salesforceClientId: token('sandbox-client'),
    salesforceClientSecret: token('sandbox-client-secret'),
    salesforceRefreshToken: token('sandbox-refresh'),
  };
}

export interface Sandbox {
  hubspot: HubSpotSimulator;
  salesforce: SalesforceSimulator;
  close(): Promise<void>;
}

/**
 * Starts the built-in HubSpot and Salesforce simulators on loopback. The HubSpot one sends signed
 * webhooks to the service, as a real HubSpot app subscription would.
 */
export async function startSandbox(options: {
  credentials: SandboxCredentials;
  webhookTargetUrl: string;
  hubspotPort: number;
  salesforcePort: number;
  /** Custom properties and lists the mappings need, created in the simulated portal as `setup` would. */
  hubspotSetup: HubSpotSetupSpec;
  /** The taxonomy codes: the simulated org's Rejection_Reason__c picklist, as the metadata package deploys it. */
  rejectionReasons: string[];
  logger: Logger;
}): Promise<Sandbox> {
  const { credentials } = options;
  const hubspot = await startHubSpotSimulator({
    port: options.hubspotPort,
    host: '127.0.0.1',
    accessToken: credentials.hubspotAccessToken,
    webhook: {
      targetUrl: options.webhookTargetUrl,
      clientSecret: credentials.hubspotClientSecret,
      appId: credentials.hubspotAppId,
      portalId: 1,
    },
  });
  const setup = await ensureHubSpotSetup(
    createHubSpotAdapter({ accessToken: credentials.hubspotAccessToken, baseUrl: hubspot.url, logger: options.logger }),
    options.hubspotSetup,
  );
  const salesforce = await startSalesforceSimulator({
    port: options.salesforcePort,
    host: '127.0.0.1',
    clientId: credentials.salesforceClientId,
    clientSecret: credentials.salesforceClientSecret,
    refreshToken: credentials.salesforceRefreshToken,
    rejectionReasons: options.rejectionReasons,
    // A standard org, as a new user's: no Sales Engagement, so no FirstCallDateTime/FirstEmailDateTime on Lead.
    salesEngagement: false,
  });
  options.logger.info('sandbox simulators started', {
    module: 'sandbox',
    hubspotSimulator: hubspot.url,
    salesforceSimulator: salesforce.url,
    customPropertiesCreated: setup.properties.created,
    listsCreated: setup.lists.created.map((list) => list.name),
    tryIt: `curl -X POST ${hubspot.url}/_sim/contacts -H 'content-type: application/json' -d '{"properties":{...}}'`,
  });
  return {
    hubspot,
    salesforce,
    async close() {
      await hubspot.close();
      await salesforce.close();
    },
  };
}
