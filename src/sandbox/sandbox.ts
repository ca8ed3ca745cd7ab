import { randomBytes } from 'node:crypto';
import type { Logger } from '../log.ts';
import { startHubSpotSimulator, type HubSpotSimulator } from '../simulators/hubspot/server.ts';
import { startSalesforceSimulator, type SalesforceSimulator } from '../simulators/salesforce/server.ts';

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
  /** HubSpot properties the mappings read or write; custom ones are created in the simulated portal. */
  hubspotProperties: string[];
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
  const created = await provisionProperties(hubspot.url, credentials.hubspotAccessToken, options.hubspotProperties);
  const salesforce = await startSalesforceSimulator({
    port: options.salesforcePort,
    host: '127.0.0.1',
    clientId: credentials.salesforceClientId,
    clientSecret: credentials.salesforceClientSecret,
    refreshToken: credentials.salesforceRefreshToken,
  });
  options.logger.info('sandbox simulators started', {
    module: 'sandbox',
    hubspotSimulator: hubspot.url,
    salesforceSimulator: salesforce.url,
    customPropertiesCreated: created,
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

/** Creates, through the simulator's public Properties API, the custom properties HubSpot does not ship. */
export async function provisionProperties(baseUrl: string, token: string, names: string[]): Promise<string[]> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const listing = await fetch(`${baseUrl}/crm/v3/properties/contacts`, { headers });
  if (!listing.ok) throw new Error(`sandbox: listing HubSpot properties failed with ${listing.status}`);
  const existing = new Set(((await listing.json()) as { results: { name: string }[] }).results.map((p) => p.name));
  const missing = [...new Set(names)].filter((name) => !existing.has(name));
  for (const name of missing) {
    const body = { name, label: name.replace(/_/g, ' '), type: 'string', fieldType: 'text', groupName: 'contactinformation' };
    const response = await fetch(`${baseUrl}/crm/v3/properties/contacts`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (!response.ok && response.status !== 409) throw new Error(`sandbox: creating HubSpot property ${name} failed with ${response.status}`);
  }
  return missing;
}
