import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { hash7, loadMappings, MappingsError, parseMappingFiles, validateMappingFiles } from '../../../src/config/mappings.ts';
import { shippedFiles } from '../core/helpers.ts';

const shipped = fileURLToPath(new URL('../../../mappings/', import.meta.url));
const files = shippedFiles();

function problemsOf(changed: Record<string, string>) {
  const result = validateMappingFiles({ ...files, ...changed });
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

describe('shipped mappings', () => {
  it('load cleanly with versions and the HubSpot properties to read', async () => {
    const bundle = await loadMappings(shipped);
    expect(bundle.versions).toEqual({
      mql: `2025.1@${hash7(files['mql-definition.yaml'] ?? '')}`,
      fieldMapping: `2025.1@${hash7(files['field-mapping.yaml'] ?? '')}`,
      statusMap: `2025.1@${hash7(files['status-map.yaml'] ?? '')}`,
      rejection: `2025.1@${hash7(files['rejection-reasons.yaml'] ?? '')}`,
      sql: `2025.1@${hash7(files['sql-definition.yaml'] ?? '')}`,
      sla: `2025.2@${hash7(files['sla-rules.yaml'] ?? '')}`,
      routing: `2026.1@${hash7(files['routing.yaml'] ?? '')}`,
      revenue: `2026.1@${hash7(files['revenue.yaml'] ?? '')}`,
    });
    expect(bundle.sla.version).toBe(bundle.versions.sla);
    expect(bundle.rejection.version).toBe(bundle.versions.rejection);
    expect(bundle.sql.version).toBe(bundle.versions.sql);
    expect(bundle.mql.version).toBe(bundle.versions.mql);
    expect(bundle.versions.mql).toMatch(/^2025\.1@[0-9a-f]{7}$/);
    expect(bundle.hubspotProperties).toEqual(
      expect.arrayContaining([
        'email',
        'lastname',
        'company',
        'company.numberofemployees',
        'company.industry',
        'numemployees',
        'demo_requested',
        'email_clicks',
        'lifecyclestage',
        'hs_lead_status',
        'handoff_salesforce_id',
        'hs_analytics_source',
        // routing.yaml's existing-owner rule: the HubSpot owner and the company's domain.
        'hubspot_owner_id',
        'company.domain',
      ]),
    );
    expect(bundle.hubspotProperties).not.toContain('numberofemployees'); // a company property (HubSpot's default company properties)
    expect(bundle.hubspotProperties).toEqual([...new Set(bundle.hubspotProperties)].sort());
    expect(bundle.mql.segments.map((s) => s.id)).toEqual(['enterprise', 'smb']);
    expect(bundle.statusMap.useSal).toBe(true);
  });

  it('the hash changes when the content changes', () => {
    const edited = parseMappingFiles({ ...files, 'mql-definition.yaml': `${files['mql-definition.yaml']}\n# note\n` });
    expect(edited.versions.mql).not.toBe(parseMappingFiles(files).versions.mql);
    expect(edited.versions.fieldMapping).toBe(parseMappingFiles(files).versions.fieldMapping);
    const reasons = parseMappingFiles({ ...files, 'rejection-reasons.yaml': `${files['rejection-reasons.yaml']}\n# note\n` });
    expect(reasons.versions.rejection).not.toBe(parseMappingFiles(files).versions.rejection);
    expect(reasons.versions.sql).toBe(parseMappingFiles(files).versions.sql);
  });

  it('a field mapping without the sales-side keys still loads, with the default field and property names', () => {
    const text = (files['field-mapping.yaml'] ?? '')
      .split('\n')
      .filter((line) => !/^\s+(rejection|syncStatus|slaDue|slaBreached|rejected|recycleAfter|sqlCriteria)/.test(line))
      .join('\n');
    expect(text).not.toContain('Rejection_Reason__c');
    const bundle = parseMappingFiles({ ...files, 'field-mapping.yaml': text });
    expect(bundle.fieldMapping.salesforce.fields).toMatchObject({
      rejectionReason: 'Rejection_Reason__c',
      rejectionNote: 'Rejection_Note__c',
      syncStatus: 'Handoff_Sync_Status__c',
      slaDue: 'SLA_Due__c',
      slaBreached: 'SLA_Breached__c',
    });
    expect(bundle.fieldMapping.hubspot).toMatchObject({
      rejectionReasonProperty: 'handoff_rejection_reason',
      sqlCriteriaProperty: 'handoff_sql_criteria',
    });
  });
});

describe('mapping problems', () => {
  it('reports several problems across files at once, each with file, path and line', () => {
    const mqlText = (files['mql-definition.yaml'] ?? '').replace('points: 15\n', 'points: lots\n').replace('op: isTrue', 'op: isYes');
    const fieldText = (files['field-mapping.yaml'] ?? '').replace('transforms: [integer]', 'transforms: [integer, titlecase]');
    const problems = problemsOf({ 'mql-definition.yaml': mqlText, 'field-mapping.yaml': fieldText });
    expect(problems.map(({ file, path }) => `${file} ${path}`)).toEqual([
      'mql-definition.yaml fit[0].points',
      'mql-definition.yaml fastTrack[0].when.op',
      'field-mapping.yaml fields[8].transforms[1]',
    ]);
    const titlecase = problems[2];
    const lineText = fieldText.split('\n')[(titlecase?.line ?? 0) - 1];
    expect(lineText).toContain('titlecase');
    expect(problems[0]?.line).toBe(mqlText.split('\n').findIndex((l) => l.includes('points: lots')) + 1);
  });

  it('a YAML syntax error carries its line, and other files are still checked', () => {
    const broken = 'version: "1"\nuseSal: true\nstages:\n  mal: { hubspot: [unclosed\n';
    const mqlText = (files['mql-definition.yaml'] ?? '').replace('version: "2025.1"', 'version: ""');
    const problems = problemsOf({ 'status-map.yaml': broken, 'mql-definition.yaml': mqlText });
    const syntax = problems.find((p) => p.file === 'status-map.yaml');
    expect(syntax?.message).toMatch(/^YAML syntax: /);
    expect(syntax?.line).toBeGreaterThanOrEqual(4);
    expect(problems.find((p) => p.file === 'mql-definition.yaml')).toMatchObject({
      path: 'version',
      message: 'version must be a non-empty string',
    });
  });

  it('a duplicate Salesforce status across stages is a load error', () => {
    const text = (files['status-map.yaml'] ?? '').replace('read: [Recycled]', 'read: [Recycled, Qualified]');
    expect(problemsOf({ 'status-map.yaml': text })).toEqual([
      expect.objectContaining({
        file: 'status-map.yaml',
        path: 'stages.recycled.salesforce.read[1]',
        message: 'Salesforce status "Qualified" already means stage sql',
      }),
    ]);
  });

  it('a field mapping may not write the stage properties the status map owns', () => {
    const text = `${files['field-mapping.yaml']}  - hubspot: lifecyclestage\n    salesforce: Lifecycle__c\n    direction: to_hubspot\n`;
    expect(problemsOf({ 'field-mapping.yaml': text })).toEqual([
      expect.objectContaining({ file: 'field-mapping.yaml', path: 'fields[11].hubspot' }),
    ]);
  });

  it('problems in the rejection and SQL files carry their path and line', () => {
    const reasonsText = (files['rejection-reasons.yaml'] ?? '')
      .replace('code: no_need', 'code: No Need')
      .replace('lifecycle: recycle, nurtureList: Nurture – Bad timing', 'lifecycle: later, nurtureList: Nurture – Bad timing');
    const sqlText = (files['sql-definition.yaml'] ?? '').replace('met: { op: exists }', 'met: { op: gte, value: soon }');
    const problems = problemsOf({ 'rejection-reasons.yaml': reasonsText, 'sql-definition.yaml': sqlText });
    expect(problems.map(({ file, path }) => `${file} ${path}`)).toEqual([
      'rejection-reasons.yaml reasons[3].code',
      'rejection-reasons.yaml reasons[4].feedback.lifecycle',
      'sql-definition.yaml criteria.need.met.value',
    ]);
    const lineOf = (text: string, line: number | undefined) => text.split('\n')[(line ?? 0) - 1];
    expect(lineOf(reasonsText, problems[0]?.line)).toContain('No Need');
    expect(lineOf(reasonsText, problems[1]?.line)).toContain('later');
    expect(lineOf(sqlText, problems[2]?.line)).toContain('soon');
  });

  it('a Salesforce field used for two purposes across files is a load error', () => {
    const sqlText = (files['sql-definition.yaml'] ?? '').replace('field: Need__c', 'field: Rejection_Note__c');
    expect(problemsOf({ 'sql-definition.yaml': sqlText })).toEqual([
      expect.objectContaining({
        file: 'sql-definition.yaml',
        path: 'criteria.need.field',
        message: expect.stringContaining('Rejection_Note__c is already salesforce.fields.rejectionNote'),
        line: sqlText.split('\n').findIndex((l) => l.includes('field: Rejection_Note__c')) + 1,
      }),
    ]);
  });

  it('parseMappingFiles throws MappingsError with every problem and a readable message', () => {
    const { 'status-map.yaml': _omitted, ...rest } = files;
    let error: unknown;
    try {
      parseMappingFiles(rest);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MappingsError);
    expect((error as MappingsError).problems).toEqual([{ file: 'status-map.yaml', path: '', message: 'file is missing' }]);
    expect((error as MappingsError).message).toContain('status-map.yaml: file is missing');
  });
});

describe('loadMappings', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'handoff-mappings-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports a missing file with the directory, plus problems of the files present', async () => {
    await copyFile(join(shipped, 'mql-definition.yaml'), join(dir, 'mql-definition.yaml'));
    await writeFile(join(dir, 'field-mapping.yaml'), 'version: "x"\nfields: []\n');
    const error = await loadMappings(dir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MappingsError);
    const problems = (error as MappingsError).problems;
    expect(problems[0]).toEqual({ file: 'status-map.yaml', path: '', message: `file not found in ${dir}` });
    expect(problems.filter((p) => p.file === 'field-mapping.yaml').map((p) => p.path)).toEqual(['salesforce', 'hubspot', 'fields']);
  });
});

describe('files added after a version was saved', () => {
  it('a file set without routing.yaml loads with the routing it had then: the org’s assignment rule', async () => {
    const { 'routing.yaml': _routing, ...before } = files;
    const result = validateMappingFiles(before);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.routing.rules).toEqual([]);
      expect(result.value.routing.fallback).toBe('salesforce-rules');
    }
  });
});

describe('routing.yaml against the other files', () => {
  it('a rule naming a segment the MQL definition lacks is a problem at its path', () => {
    const routing = `version: "1"\nrules:\n  - { id: r, label: R, when: { segment: [nope] }, strategy: salesforce-rules }\nfallback: salesforce-rules\n`;
    const result = validateMappingFiles({ ...files, 'routing.yaml': routing });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems).toContainEqual(
        expect.objectContaining({ file: 'routing.yaml', path: 'rules[0].when.segment[0]', message: expect.stringContaining('"nope"') }),
      );
  });
});
