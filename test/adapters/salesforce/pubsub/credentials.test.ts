import { afterEach, describe, expect, it } from '@jest/globals';
import { orgIdFromIdentityUrl } from '../../../../src/adapters/salesforce/client.ts';
import { ORG_ID } from '../../../../src/simulators/salesforce/oauth.ts';
import { type Harness, startHarness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('Pub/Sub credentials from the REST login (Salesforce Mobile SDK guide, "Using Identity URLs")', () => {
  it.each([
    ['https://login.salesforce.com/id/00D5e000000abcdEAA/0055e000001XyZqAAK', '00D5e000000abcdEAA'],
    ['https://login.salesforce.com/id/00D5e000000abcd/0055e000001XyZq/', '00D5e000000abcd'],
    ['https://login.salesforce.com/id/0055e000001XyZqAAK', undefined],
    ['not a url', undefined],
    [undefined, undefined],
  ])('orgIdFromIdentityUrl(%p) is %p', (url, orgId) => {
    expect(orgIdFromIdentityUrl(url)).toBe(orgId);
  });

  it('logs in first when there is no token yet, and answers token, instance URL and org id', async () => {
    h = await startHarness();
    expect(h.sim.calls.token ?? 0).toBe(0);
    const credentials = await h.rest.pubSubCredentials();
    expect(h.sim.calls.token).toBe(1);
    expect(credentials).toEqual({ accessToken: expect.any(String), instanceUrl: h.sim.url, tenantId: ORG_ID });
  });

  it('renewAccessToken gets a new token at once, even while the old one is still held', async () => {
    h = await startHarness();
    const before = await h.rest.pubSubCredentials();
    await h.rest.renewAccessToken();
    const after = await h.rest.pubSubCredentials();
    expect(h.sim.calls.token).toBe(2);
    expect(after.accessToken).not.toBe(before.accessToken);
  });
});
