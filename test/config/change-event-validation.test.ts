import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHubSpotAdapter } from '../../src/adapters/hubspot/adapter.ts';
import { ensureHubSpotSetup } from '../../src/adapters/hubspot/setup.ts';
import { runValidate } from '../../src/cli/validate.ts';
import { parseMappingFiles } from '../../src/config/mappings.ts';
import { silentLogger } from '../../src/log.ts';
import { type HubSpotSimulator, startHubSpotSimulator } from '../../src/simulators/hubspot/server.ts';
import { type SalesforceSimulator, startSalesforceSimulator } from '../../src/simulators/salesforce/server.ts';
import { shippedFiles } from '../unit/core/helpers.ts';

const shippedDir = fileURLToPath(new URL('../../mappings/', import.meta.url));
const CREDS = { clientId: 'sim-client', clientSecret: 'sim-secret', refreshToken: 'sim-refresh' };

async function validateLive(env: NodeJS.ProcessEnv) {
  let text = '';
  const code = await runValidate({
    argv: [shippedDir, '--live'],
    env,
    logger: silentLogger(),
    out: { write: (chunk: string) => (text += chunk) },
    retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
  });
  return { code, lines: text.trimEnd().split('\n') };
}

// No nock here: its interceptors break grpc-js's HTTP/2 connections in this process, and every call goes to the
// simulators on loopback anyway (the Pub/Sub API is gRPC, which nock cannot intercept).
// Pub/Sub API Developer Guide, "GetTopic RPC Method"; Change Data Capture Developer Guide, "Select Objects for Change
// Notifications" and "Required Permissions for Change Event Subscribers".
describe('validate --live with SALESFORCE_CDC=on asks the Pub/Sub API for the change topics', () => {
  let hubspotSim: HubSpotSimulator;
  let selected: SalesforceSimulator;
  let unselected: SalesforceSimulator;
  beforeAll(async () => {
    hubspotSim = await startHubSpotSimulator({ accessToken: 'sim-token', rateLimit: { windowMs: 10_000, max: 10_000 } });
    await ensureHubSpotSetup(
      createHubSpotAdapter({ accessToken: 'sim-token', baseUrl: hubspotSim.url, logger: silentLogger() }),
      parseMappingFiles(shippedFiles()).hubspotSetup,
    );
    selected = await startSalesforceSimulator({ ...CREDS, pubSub: {} });
    unselected = await startSalesforceSimulator({ ...CREDS, pubSub: { entities: [] } });
  });
  afterAll(async () => {
    await hubspotSim?.close();
    await selected?.close();
    await unselected?.close();
  });
  const envFor = (org: SalesforceSimulator) => ({
    HUBSPOT_ACCESS_TOKEN: 'sim-token',
    HUBSPOT_BASE_URL: hubspotSim.url,
    SALESFORCE_LOGIN_URL: org.url,
    SALESFORCE_INSTANCE_URL: org.url,
    SALESFORCE_CLIENT_ID: CREDS.clientId,
    SALESFORCE_CLIENT_SECRET: CREDS.clientSecret,
    SALESFORCE_REFRESH_TOKEN: CREDS.refreshToken,
    SALESFORCE_CDC: 'on',
    SALESFORCE_PUBSUB_ENDPOINT: org.pubSub!.address,
  });

  it('passes an org with the package deployed (Lead and Opportunity selected for Change Data Capture)', async () => {
    const { code, lines } = await validateLive(envFor(selected));
    expect(lines).toEqual([`${shippedDir}: valid, and consistent with HubSpot and Salesforce`]);
    expect(code).toBe(0);
  });

  it('names each topic an org does not offer, with the fix, when Lead and Opportunity are not selected', async () => {
    const { code, lines } = await validateLive(envFor(unselected));
    const problems = lines.filter((line) => line.includes('SALESFORCE_CDC'));
    expect(problems).toEqual([
      expect.stringMatching(
        /SALESFORCE_CDC — the org offers no change events on \/data\/LeadChangeEvent .*select Lead in Setup → Change Data Capture.*SALESFORCE_CDC=off/,
      ),
      expect.stringMatching(/SALESFORCE_CDC — the org offers no change events on \/data\/OpportunityChangeEvent /),
    ]);
    expect(code).toBe(1);
  });

  it('asks nothing of the Pub/Sub API while SALESFORCE_CDC is off (an unreachable endpoint is no problem)', async () => {
    const { code, lines } = await validateLive({ ...envFor(unselected), SALESFORCE_CDC: 'off' });
    expect(lines).toEqual([`${shippedDir}: valid, and consistent with HubSpot and Salesforce`]);
    expect(code).toBe(0);
  });
});
