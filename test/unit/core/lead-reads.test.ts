import { describe, expect, it } from '@jest/globals';
import { parseMappingFiles } from '../../../src/config/mappings.ts';
import { leadFieldsToRead } from '../../../src/core/sales/lead-fields.ts';
import { missingSlaDetectorFields, planLeadReads } from '../../../src/core/sales/lead-reads.ts';
import { buildSchema, DEFAULT_CUSTOM_FIELDS, DEFAULT_LEAD_STATUSES, findObject } from '../../../src/simulators/salesforce/schema.ts';
import { shippedBundle, shippedFiles } from './helpers.ts';

/** Lead field names of the simulated org: the standard Enterprise schema plus the package (Object Reference, Lead). */
function orgLeadFields(salesEngagement: boolean): string[] {
  const lead = findObject(buildSchema(DEFAULT_LEAD_STATUSES, DEFAULT_CUSTOM_FIELDS, undefined, { salesEngagement }), 'Lead');
  return (lead?.fields ?? []).map((field) => field.name);
}
const standardOrg = orgLeadFields(false);
const salesEngagementOrg = orgLeadFields(true);

const withFiles = (edits: Record<string, (text: string) => string>) => {
  const files = shippedFiles();
  for (const [name, edit] of Object.entries(edits)) files[name] = edit(files[name] ?? '');
  return parseMappingFiles(files);
};
const withFirstCall = () =>
  withFiles({
    'sla-rules.yaml': (text) =>
      text.replace('detectBy: [statusLeavesInitial, activityLogged]', 'detectBy: [statusLeavesInitial, firstCallOrEmail, activityLogged]'),
  });

const FIRST_CALL_PROBLEM = {
  file: 'sla-rules.yaml',
  path: 'firstTouch.detectBy[1]',
  fields: ['FirstCallDateTime', 'FirstEmailDateTime'],
  essential: false,
  message:
    'firstCallOrEmail needs Lead.FirstCallDateTime and Lead.FirstEmailDateTime, which exist only with Sales Engagement (High Velocity Sales): enable Sales Engagement in the org or remove firstCallOrEmail from firstTouch.detectBy',
};

describe('planLeadReads: the poll names only Lead fields the org describes (SOQL fails INVALID_FIELD "No such column" otherwise)', () => {
  it('reads everything the shipped mappings need from a standard org with the package, with no problem', () => {
    const plan = planLeadReads(shippedBundle(), standardOrg);
    expect(plan.missing).toEqual([]);
    expect(plan.fields).toEqual([...leadFieldsToRead(shippedBundle()), 'LastActivityDate', 'SLA_Due__c']);
  });

  it('leaves FirstCallDateTime/FirstEmailDateTime out in an org without Sales Engagement, and says the fix', () => {
    const plan = planLeadReads(withFirstCall(), standardOrg);
    expect(plan.fields).not.toEqual(expect.arrayContaining(['FirstCallDateTime']));
    expect(plan.fields).not.toEqual(expect.arrayContaining(['FirstEmailDateTime']));
    expect(plan.fields).toEqual(expect.arrayContaining(['LastActivityDate', 'Status', 'Handoff_HubSpot_Id__c']));
    expect(plan.missing).toEqual([FIRST_CALL_PROBLEM]);
  });

  it('reads them when Sales Engagement (High Velocity Sales) is on', () => {
    const plan = planLeadReads(withFirstCall(), salesEngagementOrg);
    expect(plan.missing).toEqual([]);
    expect(plan.fields).toEqual(expect.arrayContaining(['FirstCallDateTime', 'FirstEmailDateTime', 'LastActivityDate']));
  });

  it('reads the one the org has when only one is missing, and names only that one', () => {
    const plan = planLeadReads(withFirstCall(), [...standardOrg, 'firstcalldatetime']);
    expect(plan.fields).toContain('FirstCallDateTime');
    expect(plan.missing.map((m) => m.message)).toEqual([
      expect.stringMatching(/^firstCallOrEmail needs Lead\.FirstEmailDateTime, which exists only with Sales Engagement/),
    ]);
  });

  it.each([
    [
      'a BANT field',
      { 'sql-definition.yaml': (t: string) => t.replace('field: Need__c', 'field: Pain__c') },
      'sql-definition.yaml',
      'criteria.need.field',
      'Pain__c',
      'Lead.Pain__c does not exist: the BANT criterion need counts as not met until it does; create the field or name another in criteria.need.field',
    ],
    [
      'a field mapped back to HubSpot',
      { 'field-mapping.yaml': (t: string) => `${t}  - hubspot: region\n    salesforce: Region__c\n    direction: to_hubspot\n` },
      'field-mapping.yaml',
      expect.stringMatching(/^fields\[\d+\]\.salesforce$/),
      'Region__c',
      expect.stringMatching(
        /^Lead\.Region__c does not exist: it is not copied back to HubSpot; create the field or correct fields\[\d+\]\.salesforce$/,
      ),
    ],
  ])('drops %s the org lacks and keeps polling', (_name, edits, file, path, field, message) => {
    const plan = planLeadReads(withFiles(edits), standardOrg);
    expect(plan.fields).not.toContain(field);
    expect(plan.fields).toContain('Status');
    expect(plan.missing).toEqual([{ file, path, fields: [field], essential: false, message }]);
  });

  it("marks a missing external id as essential: the poll cannot find Handoff's Leads without it", () => {
    const plan = planLeadReads(
      shippedBundle(),
      standardOrg.filter((name) => name !== 'Handoff_HubSpot_Id__c'),
    );
    expect(plan.missing).toEqual([
      expect.objectContaining({ path: 'salesforce.externalIdField', essential: true, fields: ['Handoff_HubSpot_Id__c'] }),
    ]);
  });

  it('matches names without regard to case, as SOQL does, and keeps the configured spelling', () => {
    const plan = planLeadReads(
      shippedBundle(),
      standardOrg.map((name) => name.toUpperCase()),
    );
    expect(plan.missing).toEqual([]);
    expect(plan.fields).toContain('Handoff_HubSpot_Id__c');
  });
});

describe('missingSlaDetectorFields (for validate --live)', () => {
  it('is empty for the shipped rules on a standard org', () => {
    expect(missingSlaDetectorFields(shippedBundle().sla, standardOrg)).toEqual([]);
  });

  it('names firstCallOrEmail on a standard org', () => {
    expect(missingSlaDetectorFields(withFirstCall().sla, standardOrg)).toEqual([FIRST_CALL_PROBLEM]);
  });
});
