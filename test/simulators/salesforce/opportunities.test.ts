import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createSalesforceAdapter } from '../../../src/adapters/salesforce/adapter.ts';
import { userIdFromIdentityUrl } from '../../../src/adapters/salesforce/client.ts';
import { silentLogger } from '../../../src/log.ts';
import { DEFAULT_OPPORTUNITY_STAGES } from '../../../src/simulators/salesforce/opportunity-stages.ts';
import { buildSchema, DEFAULT_CUSTOM_FIELDS, DEFAULT_LEAD_STATUSES } from '../../../src/simulators/salesforce/schema.ts';
import {
  INTEGRATION_USER_ID,
  REP_USER_ID,
  type SalesforceSimulator,
  startSalesforceSimulator,
} from '../../../src/simulators/salesforce/server.ts';
import { planQuery, runQuery } from '../../../src/simulators/salesforce/soql-eval.ts';
import { type SimApi, simApi } from './support/sim-api.ts';

/** What the Opportunity poll relies on in the simulator: stages, the fields they set, conversion, semi-joins. */

const CREDS = { clientId: 'opp-client', clientSecret: 'opp-secret', refreshToken: 'opp-refresh' };
const LOSS_REASONS = ['price', 'competitor', 'other'];
let sim: SalesforceSimulator;
let api: SimApi;

beforeAll(async () => {
  sim = await startSalesforceSimulator({ ...CREDS, lossReasons: LOSS_REASONS });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  sim.reset();
  api = await simApi(sim, CREDS);
});

/** A Lead of ours, converted by the rep in the UI: its Opportunity id. */
function convertedOpportunity(name: string, contactId: string | null = `hs-${name}`): string {
  const lead = sim.createRecord('Lead', {
    LastName: name,
    Company: `${name} Co`,
    Status: 'Qualified',
    ...(contactId ? { Handoff_HubSpot_Id__c: contactId } : {}),
  });
  return String(sim.convertLead(String(lead.Id)).ConvertedOpportunityId);
}

const FIELDS = 'Id, StageName, IsClosed, IsWon, ForecastCategoryName, Amount, CloseDate, LastModifiedById, Handoff_Loss_Reason__c';

describe('Opportunity stages (Object Reference, "OpportunityStage": IsClosed, IsWon, ForecastCategoryName per stage value)', () => {
  it('offers the ten stages of a new org, with only Closed Won won and only Closed Won and Closed Lost closed', () => {
    expect(DEFAULT_OPPORTUNITY_STAGES.map((s) => s.stage)).toEqual([
      'Prospecting',
      'Qualification',
      'Needs Analysis',
      'Value Proposition',
      'Id. Decision Makers',
      'Perception Analysis',
      'Proposal/Price Quote',
      'Negotiation/Review',
      'Closed Won',
      'Closed Lost',
    ]);
    expect(DEFAULT_OPPORTUNITY_STAGES.filter((s) => s.closed).map((s) => s.stage)).toEqual(['Closed Won', 'Closed Lost']);
    expect(DEFAULT_OPPORTUNITY_STAGES.filter((s) => s.won).map((s) => s.stage)).toEqual(['Closed Won']);
  });

  it.each(DEFAULT_OPPORTUNITY_STAGES.map((s) => [s.stage, s.closed, s.won, s.forecastCategory] as const))(
    'a rep moving the stage to %s in the UI: IsClosed %s, IsWon %s, forecast %s, stamped as the rep',
    async (stage, closed, won, forecast) => {
      const id = convertedOpportunity('stage');
      sim.updateRecord('Opportunity', id, { StageName: stage });
      const [row] = await api.query<Record<string, unknown>>(`SELECT ${FIELDS} FROM Opportunity WHERE Id = '${id}'`);
      expect(row).toMatchObject({
        StageName: stage,
        IsClosed: closed,
        IsWon: won,
        ForecastCategoryName: forecast,
        LastModifiedById: REP_USER_ID,
      });
    },
  );

  it('keeps a forecast category the rep overrode until the stage changes again', () => {
    const id = convertedOpportunity('forecast');
    sim.updateRecord('Opportunity', id, { StageName: 'Negotiation/Review' });
    sim.updateRecord('Opportunity', id, { ForecastCategoryName: 'Commit' });
    expect(sim.getRecord('Opportunity', id)?.ForecastCategoryName).toBe('Commit');
    sim.updateRecord('Opportunity', id, { StageName: 'Closed Won' });
    expect(sim.getRecord('Opportunity', id)?.ForecastCategoryName).toBe('Closed');
  });

  it('refuses IsClosed and IsWon in an API write: they are read-only, set through the stage', async () => {
    const id = convertedOpportunity('readonly');
    const answer = await api.call('PATCH', '/composite/sobjects', {
      allOrNone: false,
      records: [{ attributes: { type: 'Opportunity' }, Id: id, IsWon: true }],
    });
    expect((answer.body as Array<{ success: boolean; errors: Array<{ statusCode: string }> }>)[0]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE' }],
    });
  });

  it('an API write of the stage is stamped as the integration user, with the flags following the stage', async () => {
    const id = convertedOpportunity('api');
    const answer = await api.call('PATCH', '/composite/sobjects', {
      allOrNone: false,
      records: [{ attributes: { type: 'Opportunity' }, Id: id, StageName: 'Closed Lost', Handoff_Loss_Reason__c: 'price' }],
    });
    expect((answer.body as Array<{ success: boolean }>)[0]?.success).toBe(true);
    expect(sim.getRecord('Opportunity', id)).toMatchObject({ IsClosed: true, IsWon: false, LastModifiedById: INTEGRATION_USER_ID });
  });
});

describe('Lead conversion and the loss reason', () => {
  it("creates the Opportunity open in the first stage, owned by the Lead's rep, amount unset", () => {
    const id = convertedOpportunity('convert');
    expect(sim.getRecord('Opportunity', id)).toMatchObject({
      StageName: 'Prospecting',
      IsClosed: false,
      IsWon: false,
      ForecastCategoryName: 'Pipeline',
      OwnerId: REP_USER_ID,
      CreatedById: REP_USER_ID,
    });
    expect(sim.getRecord('Opportunity', id)?.Amount).toBeUndefined();
  });

  it('Handoff_Loss_Reason__c is a restricted picklist of the configured codes (the package field)', async () => {
    const id = convertedOpportunity('reason');
    const answer = await api.call('PATCH', '/composite/sobjects', {
      allOrNone: false,
      records: [{ attributes: { type: 'Opportunity' }, Id: id, Handoff_Loss_Reason__c: 'weather' }],
    });
    expect((answer.body as Array<{ errors: Array<{ statusCode: string }> }>)[0]?.errors[0]?.statusCode).toBe(
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
    );
    const describe = await api.call('GET', '/sobjects/Opportunity/describe');
    const field = (describe.body as { fields: Array<{ name: string; picklistValues: Array<{ value: string }> }> }).fields.find(
      (f) => f.name === 'Handoff_Loss_Reason__c',
    );
    expect(field?.picklistValues.map((v) => v.value)).toEqual(LOSS_REASONS);
  });
});

describe('semi-joins (SOQL and SOSL Reference, "Comparison Operators": IN with a subquery on an ID or reference field)', () => {
  const SEMI_JOIN =
    'SELECT Id FROM Opportunity WHERE Id IN (SELECT ConvertedOpportunityId FROM Lead WHERE IsConverted = true AND Handoff_HubSpot_Id__c != null) ORDER BY Id';

  it('returns only the Opportunities our converted Leads became, in one query, and NOT IN the others', async () => {
    const ours = [convertedOpportunity('a'), convertedOpportunity('b')].sort();
    const theirs = convertedOpportunity('c', null);
    sim.createRecord('Opportunity', { Name: 'Direct deal', StageName: 'Prospecting', CloseDate: '2026-12-01' });
    expect((await api.query<{ Id: string }>(SEMI_JOIN)).map((r) => r.Id)).toEqual(ours);
    const rest = await api.query<{ Id: string }>(SEMI_JOIN.replace('Id IN (', 'Id NOT IN ('));
    expect(rest.map((r) => r.Id)).toContain(theirs);
    expect(rest.map((r) => r.Id)).not.toContain(ours[0]);
  });

  it('is refused when the subquery selects a field that is not an id (MALFORMED_QUERY), or nests another', async () => {
    const bad = await api.call(
      'GET',
      `/query?q=${encodeURIComponent('SELECT Id FROM Opportunity WHERE Id IN (SELECT LastName FROM Lead)')}`,
    );
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual([
      { errorCode: 'MALFORMED_QUERY', message: "semi join sub selects can only query id fields, cannot use: 'LastName'" },
    ]);
    const nested = await api.call(
      'GET',
      `/query?q=${encodeURIComponent('SELECT Id FROM Opportunity WHERE Id IN (SELECT ConvertedOpportunityId FROM Lead WHERE Id IN (SELECT WhoId FROM Task))')}`,
    );
    expect(nested.status).toBe(400);
    expect(JSON.stringify(nested.body)).toContain('Nesting of semi join sub-selects is not supported');
  });

  it('reads the other object through the rows it is given, and names an unknown subquery object like the main one', () => {
    const schema = buildSchema(DEFAULT_LEAD_STATUSES, DEFAULT_CUSTOM_FIELDS);
    const plan = planQuery(
      schema,
      'SELECT Id FROM Opportunity WHERE Id IN (SELECT ConvertedOpportunityId FROM Lead WHERE IsConverted = true)',
    );
    const opportunities = [{ Id: '006000000000001AAA' }, { Id: '006000000000002AAA' }];
    const leads = [
      { Id: '00Q1', IsConverted: true, ConvertedOpportunityId: '006000000000002' },
      { Id: '00Q2', IsConverted: false, ConvertedOpportunityId: '006000000000001AAA' },
    ];
    const rows = runQuery(plan, opportunities, '66.0', (name) => (name === 'Lead' ? leads : []));
    expect(rows.map((r) => r.Id)).toEqual(['006000000000002AAA']);
    expect(() => planQuery(schema, 'SELECT Id FROM Opportunity WHERE Id IN (SELECT Id FROM Nope__c)')).toThrow(
      "sObject type 'Nope__c' is not supported",
    );
  });
});

describe('the integration user (Salesforce Mobile SDK guide, "Using Identity URLs": …/id/<org id>/<user id>)', () => {
  it("is the last segment of the token answer's identity URL", () => {
    expect(userIdFromIdentityUrl('https://login.salesforce.com/id/00Dx0000000BV7z/005x00000012Q9P')).toBe('005x00000012Q9P');
    expect(userIdFromIdentityUrl('https://login.salesforce.com/id/00Dx0000000BV7z/')).toBeUndefined();
    expect(userIdFromIdentityUrl(undefined)).toBeUndefined();
  });

  it('is known to the adapter once a call has logged in, without a call of its own', async () => {
    const adapter = createSalesforceAdapter({
      loginUrl: sim.url,
      instanceUrl: sim.url,
      ...CREDS,
      apiVersion: '66.0',
      logger: silentLogger(),
    });
    expect(adapter.integrationUserId()).toBeUndefined();
    const before = { ...sim.calls };
    await adapter.query('SELECT Id FROM Opportunity');
    expect(adapter.integrationUserId()).toBe(INTEGRATION_USER_ID);
    expect(sim.calls.query).toBe((before.query ?? 0) + 1);
  });
});
