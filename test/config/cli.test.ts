import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createHubSpotAdapter } from '../../src/adapters/hubspot/adapter.ts';
import { ensureHubSpotSetup } from '../../src/adapters/hubspot/setup.ts';
import { runValidate } from '../../src/cli/validate.ts';
import { parseMappingFiles } from '../../src/config/mappings.ts';
import { silentLogger } from '../../src/log.ts';
import { type HubSpotSimulator, startHubSpotSimulator } from '../../src/simulators/hubspot/server.ts';
import { type SalesforceSimulator, startSalesforceSimulator } from '../../src/simulators/salesforce/server.ts';
import { shippedFiles } from '../unit/core/helpers.ts';

const shippedDir = fileURLToPath(new URL('../../mappings/', import.meta.url));
const files = shippedFiles();
const CREDS = { clientId: 'sim-client', clientSecret: 'sim-secret', refreshToken: 'sim-refresh' };
const temps: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'handoff-cli-'));
  temps.push(dir);
  return dir;
}

async function run(fn: typeof runValidate, argv: string[], env: NodeJS.ProcessEnv = {}) {
  let text = '';
  const code = await fn({
    argv,
    env,
    logger: silentLogger(),
    out: { write: (chunk: string) => (text += chunk) },
    retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
  });
  return { code, text, lines: text.trimEnd().split('\n') };
}

afterAll(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('validate command', () => {
  let hubspotSim: HubSpotSimulator;
  let salesforceSim: SalesforceSimulator;
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    hubspotSim = await startHubSpotSimulator({ accessToken: 'sim-token', rateLimit: { windowMs: 10_000, max: 10_000 } });
    salesforceSim = await startSalesforceSimulator(CREDS);
  });
  afterAll(async () => {
    await hubspotSim?.close();
    await salesforceSim?.close();
    nock.enableNetConnect();
    nock.restore();
  });

  it('exits 0 for the shipped mappings', async () => {
    expect(await run(runValidate, [shippedDir])).toEqual({ code: 0, text: `${shippedDir}: valid\n`, lines: [`${shippedDir}: valid`] });
  });

  it('prints every problem as file:line path — message and exits 1', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'mql-definition.yaml'), files['mql-definition.yaml'] ?? '');
    await writeFile(join(dir, 'field-mapping.yaml'), files['field-mapping.yaml'] ?? '');
    await writeFile(join(dir, 'rejection-reasons.yaml'), files['rejection-reasons.yaml'] ?? '');
    // sql-definition.yaml is missing altogether; the status map gets a useSal that is not a boolean.
    await writeFile(join(dir, 'status-map.yaml'), (files['status-map.yaml'] ?? '').replace('useSal: true', 'useSal: maybe'));
    const useSalLine = (files['status-map.yaml'] ?? '').split('\n').findIndex((l) => l.startsWith('useSal:')) + 1;
    const { code, lines } = await run(runValidate, [dir, '--live']);
    expect(code).toBe(1);
    expect(lines).toContain(`sql-definition.yaml — file not found in ${dir}`);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^status-map\\.yaml:${useSalLine} useSal — `)));
    expect(lines.at(-1)).toBe(`${lines.length - 1} problems in ${dir} (live checks skipped until the files pass schema validation)`);
  });

  it('checks against the live systems named by the environment with --live', async () => {
    const env = {
      HUBSPOT_ACCESS_TOKEN: 'sim-token',
      HUBSPOT_BASE_URL: hubspotSim.url,
      SALESFORCE_LOGIN_URL: salesforceSim.url,
      SALESFORCE_INSTANCE_URL: salesforceSim.url,
      SALESFORCE_CLIENT_ID: CREDS.clientId,
      SALESFORCE_CLIENT_SECRET: CREDS.clientSecret,
      SALESFORCE_REFRESH_TOKEN: CREDS.refreshToken,
    };
    const { code, lines } = await run(runValidate, [shippedDir, '--live'], env);
    expect(code).toBe(1);
    const line = (files['mql-definition.yaml'] ?? '').split('\n').findIndex((l) => l.includes('property: pricing_page_views')) + 1;
    expect(lines).toContain(
      `mql-definition.yaml:${line} behaviour[0].perUnit.property — HubSpot has no contact property pricing_page_views; run setup (node src/cli/setup.ts) to create it`,
    );
  });

  describe('against a standard org (no Sales Engagement) with the package deployed and setup run', () => {
    const env = () => ({
      HUBSPOT_ACCESS_TOKEN: 'sim-token',
      HUBSPOT_BASE_URL: hubspotSim.url,
      SALESFORCE_LOGIN_URL: salesforceSim.url,
      SALESFORCE_INSTANCE_URL: salesforceSim.url,
      SALESFORCE_CLIENT_ID: CREDS.clientId,
      SALESFORCE_CLIENT_SECRET: CREDS.clientSecret,
      SALESFORCE_REFRESH_TOKEN: CREDS.refreshToken,
    });
    beforeAll(async () => {
      await ensureHubSpotSetup(
        createHubSpotAdapter({ accessToken: 'sim-token', baseUrl: hubspotSim.url, logger: silentLogger() }),
        parseMappingFiles(files).hubspotSetup,
      );
    });

    it('passes the shipped mappings', async () => {
      const { code, lines } = await run(runValidate, [shippedDir, '--live'], env());
      expect(lines).toEqual([`${shippedDir}: valid, and consistent with HubSpot and Salesforce`]);
      expect(code).toBe(0);
    });

    it("names firstCallOrEmail, which needs Sales Engagement's Lead.FirstCallDateTime (Object Reference: Lead), with the fix", async () => {
      const dir = await tempDir();
      for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
      const sla = (files['sla-rules.yaml'] ?? '').replace(
        'detectBy: [statusLeavesInitial, activityLogged]',
        'detectBy: [statusLeavesInitial, firstCallOrEmail, activityLogged]',
      );
      await writeFile(join(dir, 'sla-rules.yaml'), sla);
      const line = sla.split('\n').findIndex((l) => l.includes('detectBy: [')) + 1;
      const { code, lines } = await run(runValidate, [dir, '--live'], env());
      expect(lines).toEqual([
        `sla-rules.yaml:${line} firstTouch.detectBy[1] — firstCallOrEmail needs Lead.FirstCallDateTime and Lead.FirstEmailDateTime, which exist only with Sales Engagement (High Velocity Sales): enable Sales Engagement in the org or remove firstCallOrEmail from firstTouch.detectBy`,
        `1 problem in ${dir}`,
      ]);
      expect(code).toBe(1);
    });
  });

  it('exits 2 on bad arguments or when --live has no credentials', async () => {
    expect((await run(runValidate, ['a', 'b'])).code).toBe(2);
    expect((await run(runValidate, ['--strict'])).code).toBe(2);
    const noCreds = await run(runValidate, [shippedDir, '--live'], {});
    expect(noCreds.code).toBe(2);
    expect(noCreds.text).toContain('HUBSPOT_ACCESS_TOKEN: required to validate against the live systems');
  });
});
