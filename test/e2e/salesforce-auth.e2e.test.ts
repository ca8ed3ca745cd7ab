import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type SalesforceSimulator, startSalesforceSimulator } from '../../src/simulators/salesforce/server.ts';
import { eventually, type RunningService, startServiceProcess } from './support/service-process.ts';
import { createWorld, creationEvent, deliverWebhook, type World } from './support/world.ts';

const USERNAME = 'integration@acme.example';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/**
 * The service in live mode against an org reached with the JWT bearer flow (Salesforce Help, "OAuth 2.0 JWT Bearer
 * Flow for Server-to-Server Integration"): no client secret, refresh token or instance URL; the simulator holds the
 * certificate's public key. Empty strings unset the world's refresh-token variables.
 */
describe('live service with an External Client App and the JWT bearer flow', () => {
  let world: World;
  let org: SalesforceSimulator;
  let service: RunningService | undefined;
  const jwtEnv = () => ({
    SALESFORCE_LOGIN_URL: org.url,
    SALESFORCE_INSTANCE_URL: '',
    SALESFORCE_CLIENT_SECRET: '',
    SALESFORCE_REFRESH_TOKEN: '',
    SALESFORCE_CLIENT_ID: world.env.SALESFORCE_CLIENT_ID!,
    SALESFORCE_USERNAME: USERNAME,
    SALESFORCE_JWT_PRIVATE_KEY: PEM,
  });

  beforeAll(async () => {
    world = await createWorld();
    org = await startSalesforceSimulator({
      clientId: world.env.SALESFORCE_CLIENT_ID!,
      clientSecret: 'unused',
      refreshToken: 'unused',
      jwt: { publicKey: keys.publicKey, username: USERNAME },
    });
  }, 60_000);
  afterAll(async () => {
    await service?.kill();
    await org?.close();
    await world?.close();
  });

  it('checks the API version against the org at start, hands a qualified contact off, and logs no key or assertion', async () => {
    service = await world.start(jwtEnv());
    expect(org.calls.versions).toBe(1);
    const contactId = world.hubspot.createContact({
      email: 'ada@analytical.example',
      firstname: 'Ada',
      lastname: 'Lovelace',
      company: 'Analytical Engines',
      jobtitle: 'VP Engineering',
      demo_requested: 'true',
    });
    const body = JSON.stringify([creationEvent(contactId)]);
    expect((await deliverWebhook(service.url, world, body)).status).toBe(200);
    await eventually(
      async () => (org.records('Lead').find((lead) => lead.Handoff_HubSpot_Id__c === contactId) ? true : undefined),
      15_000,
      'the Lead',
    );
    const logs = service.output.join('\n');
    expect(logs).toContain('"flow":"jwt_bearer"');
    expect(logs).not.toContain(PEM.split('\n')[1]);
    expect(logs).not.toContain('eyJhbGciOiJSUzI1NiJ9');
    await service.stop();
    service = undefined;
  }, 60_000);

  it('refuses to start on a version the org does not offer, naming the versions it does', async () => {
    const attempt = startServiceProcess({ ...world.env, ...jwtEnv(), SALESFORCE_API_VERSION: '67.0' }, { port: world.port });
    await expect(attempt).rejects.toThrow(
      /SALESFORCE_API_VERSION 67\.0 is not offered by this Salesforce org; it offers \(newest first\): 66\.0, 65\.0/,
    );
  }, 60_000);
});
