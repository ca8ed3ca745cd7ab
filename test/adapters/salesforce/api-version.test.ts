import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { judgeApiVersion, verifyApiVersionAtStart } from '../../../src/adapters/salesforce/api-version-check.ts';
import { createLogger, silentLogger } from '../../../src/log.ts';
import { type SalesforceSimulator, startSalesforceSimulator } from '../../../src/simulators/salesforce/server.ts';

const CREDS = { clientId: 'sim-client', clientSecret: 'sim-secret', refreshToken: 'sim-refresh' };

let current: SalesforceSimulator;
let older: SalesforceSimulator;
beforeAll(async () => {
  current = await startSalesforceSimulator({ ...CREDS });
  older = await startSalesforceSimulator({ ...CREDS, apiVersion: '64.0' });
});
afterAll(async () => {
  await current?.close();
  await older?.close();
});

const optionsFor = (sim: { url: string }, apiVersion: string) => ({
  loginUrl: sim.url,
  instanceUrl: sim.url,
  ...CREDS,
  apiVersion,
  logger: silentLogger(),
});

describe('API version checked at start against the org (REST API Developer Guide, "Versions": GET /services/data/)', () => {
  it("judges a listed version offered and names the org's versions, newest first, for one it lacks", () => {
    expect(judgeApiVersion('66.0', ['64.0', '65.0', '66.0'])).toEqual({ kind: 'offered' });
    expect(judgeApiVersion('66.0', ['63.0', '64.0'])).toEqual({
      kind: 'absent',
      message:
        'SALESFORCE_API_VERSION 66.0 is not offered by this Salesforce org; it offers (newest first): 64.0, 63.0. Set SALESFORCE_API_VERSION to one of them (the newest is 64.0).',
    });
  });

  it('starts when the org offers the configured version (the default, 66.0)', async () => {
    await expect(verifyApiVersionAtStart(optionsFor(current, '66.0'), silentLogger())).resolves.toBeUndefined();
    expect(current.calls.versions).toBe(1);
  });

  it('stops the start, naming what the org offers, when the version is newer than the org', async () => {
    await expect(verifyApiVersionAtStart(optionsFor(older, '66.0'), silentLogger())).rejects.toThrow(
      /^SALESFORCE_API_VERSION 66\.0 is not offered by this Salesforce org; it offers \(newest first\): 64\.0, 63\.0, 62\.0, .*31\.0\. Set SALESFORCE_API_VERSION to one of them \(the newest is 64\.0\)\.$/,
    );
  });

  it('an org that cannot be asked is a warning, not a failed start (the outage handling takes over)', async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    stream.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    await expect(
      verifyApiVersionAtStart(optionsFor({ url: 'http://127.0.0.1:9' }, '66.0'), createLogger('info', stream)),
    ).resolves.toBeUndefined();
    expect(lines.join('')).toContain('could not ask Salesforce which API versions it offers');
  });
});
