import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createHubSpotAdapter } from '../../src/adapters/hubspot/adapter.ts';
import { ensureHubSpotSetup } from '../../src/adapters/hubspot/setup.ts';
import { createSalesforceAdapter } from '../../src/adapters/salesforce/adapter.ts';
import { parseMappingFiles } from '../../src/config/mappings.ts';
import type { ConfigProblem, ConfigVersionsPort } from '../../src/config/versions/config-versions-port.ts';
import { createConfigVersions } from '../../src/config/versions/service.ts';
import { silentLogger } from '../../src/log.ts';
import { type HubSpotSimulator, startHubSpotSimulator } from '../../src/simulators/hubspot/server.ts';
import { leadPackageFields, opportunityPackageFields } from '../../src/simulators/salesforce/lead-package-fields.ts';
import { type SalesforceSimulator, startSalesforceSimulator } from '../../src/simulators/salesforce/server.ts';
import type { Database } from '../../src/store/database.ts';
import { useFreshDatabase } from '../support/databases.ts';
import { shippedFiles } from '../unit/core/helpers.ts';

const TOKEN = 'sim-token';
const CREDS = { clientId: 'sim-client', clientSecret: 'sim-secret', refreshToken: 'sim-refresh' };
const files = shippedFiles();
const bundle = parseMappingFiles(files);
/** The org's Rejection_Reason__c lacks the taxonomy's last code ("other"), as an org whose picklist was not updated. */
const ORG_CODES = bundle.rejection.reasons.map((r) => r.code).filter((code) => code !== 'other');
/** The org's Handoff_Loss_Reason__c offers every code of the shipped revenue.yaml. */
const LOSS_CODES = bundle.revenue.lost?.reasons.map((r) => r.code) ?? [];
/** The simulated org's Lead.Industry values (src/simulators/salesforce/schema.ts). */

let hubspotSim: HubSpotSimulator;
let salesforceSim: SalesforceSimulator;
let service: ConfigVersionsPort;
let db: Database;
const retryPolicy = { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 };
const hubspot = () => createHubSpotAdapter({ accessToken: TOKEN, baseUrl: hubspotSim.url, logger: silentLogger(), retryPolicy });

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  hubspotSim = await startHubSpotSimulator({ accessToken: TOKEN, rateLimit: { windowMs: 10_000, max: 10_000 } });
  salesforceSim = await startSalesforceSimulator({
    ...CREDS,
    customFields: [...leadPackageFields(ORG_CODES), ...opportunityPackageFields(LOSS_CODES)],
  });
});
afterAll(async () => {
  await hubspotSim?.close();
  await salesforceSim?.close();
  nock.enableNetConnect();
  nock.restore();
});

useFreshDatabase((opened) => {
  db = opened;
  const salesforce = createSalesforceAdapter({
    loginUrl: salesforceSim.url,
    instanceUrl: salesforceSim.url,
    ...CREDS,
    apiVersion: '66.0',
    logger: silentLogger(),
    retryPolicy,
  });
  service = createConfigVersions({
    db,
    hubspot: hubspot(),
    salesforce,
    logger: silentLogger(),
    now: () => new Date('2025-03-01T10:00:00Z'),
  });
});

async function validateLive(changed: Record<string, string> = {}): Promise<ConfigProblem[]> {
  const draft = await service.createDraft({ files: { ...files, ...changed }, author: 'ana', comment: 'live check' });
  const report = await service.validate(draft.id, { live: true });
  expect(report.ok).toBe(report.problems.length === 0);
  return report.problems;
}

/** 1-based line of the first occurrence of `text` in a shipped file. */
const lineOfText = (file: string, text: string): number => (files[file] ?? '').split('\n').findIndex((l) => l.includes(text)) + 1;

const industryProblems = (problems: ConfigProblem[]) => problems.filter((p) => p.path.startsWith('fields[7].transforms[0].picklist.'));

describe('live validation against the simulated HubSpot and Salesforce', () => {
  it('asks to run setup for every custom HubSpot property the mappings need, at the place each is used', async () => {
    const problems = await validateLive();
    expect(problems).toContainEqual({
      file: 'mql-definition.yaml',
      path: 'behaviour[0].perUnit.property',
      source: 'hubspot',
      line: lineOfText('mql-definition.yaml', 'perUnit: { property: pricing_page_views'),
      message: 'HubSpot has no contact property pricing_page_views; run setup (node src/cli/setup.ts) to create it',
    });
    expect(problems).toContainEqual(
      expect.objectContaining({
        file: 'field-mapping.yaml',
        path: 'hubspot.salesforceIdProperty',
        source: 'hubspot',
        message: expect.stringContaining('run setup'),
      }),
    );
  });

  it('after setup, reports only the real mismatches of the shipped files with this org', async () => {
    await ensureHubSpotSetup(hubspot(), bundle.hubspotSetup);
    const problems = await validateLive();
    // The simulated org carries Salesforce's standard Industry values, so the shipped value map fits it.
    expect(industryProblems(problems)).toEqual([]);
    expect(problems).toEqual([
      {
        file: 'rejection-reasons.yaml',
        path: 'reasons[10].code',
        source: 'salesforce',
        line: lineOfText('rejection-reasons.yaml', 'code: other'),
        message: '"other" is not a picklist value of Lead.Rejection_Reason__c',
      },
    ]);
  });

  it('names a Salesforce field that does not exist, one Handoff cannot write, a status that is not a picklist value, and a misspelt HubSpot property', async () => {
    const mapping = (files['field-mapping.yaml'] ?? '')
      .replace('salesforce: Website', 'salesforce: Websit')
      .replace('  - hubspot: hs_analytics_source', '  - hubspot: hs_analytics_sourc')
      .concat('  - hubspot: mobilephone\n    salesforce: ConvertedDate\n    direction: to_salesforce\n');
    const statusMap = (files['status-map.yaml'] ?? '').replace(
      'read: [Rejected, Closed - Not Converted]',
      'read: [Rejected, Closed - Not Converted, Dead]',
    );
    const problems = (await validateLive({ 'field-mapping.yaml': mapping, 'status-map.yaml': statusMap })).filter(
      (p) => !industryProblems([p]).length,
    );
    const line = (text: string) => mapping.split('\n').findIndex((l) => l.includes(text)) + 1;
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          file: 'field-mapping.yaml',
          path: 'fields[10].salesforce',
          source: 'salesforce',
          line: line('salesforce: Websit'),
          message: 'Lead has no field Websit (check the API name; custom fields end in __c)',
        },
        {
          file: 'field-mapping.yaml',
          path: 'fields[11].salesforce',
          source: 'salesforce',
          line: line('salesforce: ConvertedDate'),
          message: 'Lead.ConvertedDate is not createable, but Handoff sets it when it creates a Lead',
        },
        {
          file: 'field-mapping.yaml',
          path: 'fields[11].salesforce',
          source: 'salesforce',
          line: line('salesforce: ConvertedDate'),
          message: 'Lead.ConvertedDate is not updateable, but Handoff writes it on existing Leads',
        },
        {
          file: 'field-mapping.yaml',
          path: 'fields[9].hubspot',
          source: 'hubspot',
          line: line('hubspot: hs_analytics_sourc'),
          message: 'HubSpot has no contact property hs_analytics_sourc; check the internal name (not the label)',
        },
        {
          file: 'status-map.yaml',
          path: 'stages.rejected.salesforce.read[2]',
          source: 'salesforce',
          line: statusMap.split('\n').findIndex((l) => l.includes('Dead]')) + 1,
          message: '"Dead" is not a picklist value of Lead.Status',
        },
      ]),
    );
    expect(problems).toHaveLength(6); // the five above and the rejection code the org lacks
  });

  it('reports firstCallOrEmail on an org without Sales Engagement, with the fix, at its line (Object Reference: Lead, FirstCallDateTime)', async () => {
    await ensureHubSpotSetup(hubspot(), bundle.hubspotSetup);
    const sla = (files['sla-rules.yaml'] ?? '').replace(
      'detectBy: [statusLeavesInitial, activityLogged]',
      'detectBy: [statusLeavesInitial, firstCallOrEmail, activityLogged]',
    );
    const problems = (await validateLive({ 'sla-rules.yaml': sla })).filter(
      (p) => p.source === 'salesforce' && p.file === 'sla-rules.yaml',
    );
    expect(problems).toEqual([
      {
        file: 'sla-rules.yaml',
        path: 'firstTouch.detectBy[1]',
        source: 'salesforce',
        line: sla.split('\n').findIndex((l) => l.includes('detectBy: [')) + 1,
        message:
          'firstCallOrEmail needs Lead.FirstCallDateTime and Lead.FirstEmailDateTime, which exist only with Sales Engagement (High Velocity Sales): enable Sales Engagement in the org or remove firstCallOrEmail from firstTouch.detectBy',
      },
    ]);
  });

  it("checks company.<name> against HubSpot's company properties and a contact name against the contact ones (properties API, contacts and companies)", async () => {
    await ensureHubSpotSetup(hubspot(), bundle.hubspotSetup);
    const mql = (files['mql-definition.yaml'] ?? '')
      .replace(
        '{ property: company.numberofemployees, op: between, min: 50, max: 999 }',
        '{ property: company.employee_count, op: between, min: 50, max: 999 }',
      )
      .replace('points: 20\n    when: { property: company.numberofemployees,', 'points: 20\n    when: { property: numberofemployees,');
    const problems = (await validateLive({ 'mql-definition.yaml': mql })).filter((p) => p.source === 'hubspot');
    const line = (text: string) => mql.split('\n').findIndex((l) => l.includes(text)) + 1;
    expect(problems).toEqual([
      {
        file: 'mql-definition.yaml',
        path: 'fit[4].when.property',
        source: 'hubspot',
        line: line('company.employee_count'),
        message:
          'HubSpot has no company property employee_count (read as company.employee_count); setup does not create company properties: check the internal name or create it in HubSpot',
      },
      {
        file: 'mql-definition.yaml',
        path: 'fit[6].when.property',
        source: 'hubspot',
        line: line('when: { property: numberofemployees,'),
        message: 'HubSpot has no contact property numberofemployees; it is a company property: read it as company.numberofemployees',
      },
    ]);
  });

  it('checks the schema only without live, and skips the systems when the schema fails', async () => {
    const before = { ...hubspotSim.calls.byEndpoint };
    const valid = await service.createDraft({ files, author: 'ana', comment: '' });
    expect(await service.validate(valid.id, { live: false })).toEqual({ ok: true, problems: [] });
    const broken = await service.createDraft({
      files: { ...files, 'sql-definition.yaml': 'version: "1"\ncriteria: {}\nrule: { require: [need] }\n' },
      author: 'ana',
      comment: '',
    });
    const report = await service.validate(broken.id, { live: true });
    expect(report.ok).toBe(false);
    expect(report.problems.length).toBeGreaterThan(0);
    expect(report.problems.every((p) => p.source === 'schema' && p.file === 'sql-definition.yaml')).toBe(true);
    expect(report.problems[0]?.line).toBe(2);
    expect(hubspotSim.calls.byEndpoint).toEqual(before);
  });

  it('checks revenue.yaml against the Opportunity (describe Opportunity): a code the loss-reason picklist lacks, a field the org lacks', async () => {
    await ensureHubSpotSetup(hubspot(), bundle.hubspotSetup);
    const revenue = files['revenue.yaml'] ?? '';
    const extra = `${revenue}    - code: budget_cut\n      label: Budget cut\n`;
    const line = (text: string, within: string) => within.split('\n').findIndex((l) => l.includes(text)) + 1;
    expect((await validateLive({ 'revenue.yaml': extra })).filter((p) => p.file === 'revenue.yaml')).toEqual([
      {
        file: 'revenue.yaml',
        path: 'lost.reasons[6].code',
        source: 'salesforce',
        line: line('code: budget_cut', extra),
        message: '"budget_cut" is not a picklist value of Opportunity.Handoff_Loss_Reason__c; add it to the field or remove the reason',
      },
    ]);
    const theirs = revenue.replace('lossReasonField: Handoff_Loss_Reason__c', 'lossReasonField: Loss_Reason__c');
    expect((await validateLive({ 'revenue.yaml': theirs })).filter((p) => p.file === 'revenue.yaml')).toEqual([
      expect.objectContaining({
        path: 'salesforce.lossReasonField',
        source: 'salesforce',
        line: line('lossReasonField: Loss_Reason__c', theirs),
        message: expect.stringContaining('Opportunity has no field Loss_Reason__c'),
      }),
    ]);
  });

  it('reports a system it cannot reach as a problem of that system, and still checks the other', async () => {
    const down = createSalesforceAdapter({
      loginUrl: 'http://127.0.0.1:9',
      instanceUrl: 'http://127.0.0.1:9',
      ...CREDS,
      apiVersion: '66.0',
      logger: silentLogger(),
      retryPolicy,
      sleep: async () => {},
    });
    const offline = createConfigVersions({ db, hubspot: hubspot(), salesforce: down, logger: silentLogger(), now: () => new Date() });
    const draft = await offline.createDraft({ files, author: 'ana', comment: '' });
    const report = await offline.validate(draft.id, { live: true });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({
        source: 'salesforce',
        path: 'salesforce.object',
        message: expect.stringContaining('could not describe the Salesforce Lead object'),
      }),
    ]);
  });
});
