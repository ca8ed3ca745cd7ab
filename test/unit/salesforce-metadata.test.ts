import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { CHANGE_TOPICS } from '../../src/core/sales/change-events/change-event-types.ts';
import {
  child,
  childText,
  listFiles,
  METADATA_NS,
  PACKAGE_DIR,
  parseXml,
  readLeadFields,
  readLeadStatuses,
  readOpportunityFields,
  readValidationRule,
  readXml,
  SOURCE_DIR,
} from '../simulators/salesforce/support/sfdx-package.ts';

/** Keeps salesforce-metadata/ honest against the mapping files the service runs on. */

const MAPPINGS = fileURLToPath(new URL('../../mappings/', import.meta.url));
type Yaml = Record<string, unknown>;
const readYaml = (name: string): Yaml => parse(readFileSync(join(MAPPINGS, name), 'utf8')) as Yaml;
const fieldMapping = readYaml('field-mapping.yaml') as {
  salesforce: { externalIdField: string; statusField: string; fields: Record<string, string> };
  fields: { salesforce: string }[];
};
const statusMap = readYaml('status-map.yaml') as { stages: Record<string, { salesforce: { write: string; read: string[] } }> };
const rejectionFile = join(MAPPINGS, 'rejection-reasons.yaml');
const sqlFile = join(MAPPINGS, 'sql-definition.yaml');

const fields = readLeadFields();
const opportunityFields = readOpportunityFields();
const custom = (name: string): boolean => name.endsWith('__c');

describe('package files', () => {
  const files = listFiles(SOURCE_DIR).filter((path) => path.endsWith('-meta.xml'));
  const rootFor: Array<[RegExp, string]> = [
    [/\.field-meta\.xml$/, 'CustomField'],
    [/\.validationRule-meta\.xml$/, 'ValidationRule'],
    [/\.standardValueSet-meta\.xml$/, 'StandardValueSet'],
    [/\.permissionset-meta\.xml$/, 'PermissionSet'],
    [/\.notiftype-meta\.xml$/, 'CustomNotificationType'],
    [/\.platformEventChannelMember-meta\.xml$/, 'PlatformEventChannelMember'],
  ];

  it('selects every entity the change-event subscriber follows for Change Data Capture (Metadata API, PlatformEventChannelMember)', () => {
    const selected = files
      .filter((path) => path.endsWith('.platformEventChannelMember-meta.xml'))
      .map((path) => readFileSync(join(SOURCE_DIR, path), 'utf8'))
      .map((xml) => ({
        channel: /<eventChannel>([^<]+)<\/eventChannel>/.exec(xml)?.[1],
        entity: /<selectedEntity>([^<]+)<\/selectedEntity>/.exec(xml)?.[1],
      }));
    const followed = Object.values(CHANGE_TOPICS).map((topic) => ({ channel: 'ChangeEvents', entity: topic.replace('/data/', '') }));
    expect(selected.sort((a, b) => String(a.entity).localeCompare(String(b.entity)))).toEqual(followed);
  });

  it('has a metadata file of each kind the issue asks for', () => {
    for (const [pattern] of rootFor.slice(0, 3)) expect(files.some((path) => pattern.test(path))).toBe(true);
  });

  it.each(files)('%s is well formed, in the metadata namespace, with the right root and name', (path) => {
    const root = readXml(join(SOURCE_DIR, path));
    const expectedRoot = rootFor.find(([pattern]) => pattern.test(path))?.[1];
    expect(root.name).toBe(expectedRoot);
    expect(root.attributes.xmlns).toBe(METADATA_NS);
    const fullName = childText(root, 'fullName');
    if (fullName !== undefined) expect(fullName).toBe(basename(path).replace(/\.[A-Za-z]+-meta\.xml$/, ''));
  });

  it('declares the source folder and an API version in sfdx-project.json', () => {
    const project = JSON.parse(readFileSync(join(PACKAGE_DIR, 'sfdx-project.json'), 'utf8')) as {
      packageDirectories: { path: string; default?: boolean }[];
      sourceApiVersion: string;
    };
    expect(project.packageDirectories).toEqual([{ path: 'force-app', default: true }]);
    expect(project.sourceApiVersion).toMatch(/^\d{2}\.0$/);
    expect(existsSync(join(PACKAGE_DIR, 'README.md'))).toBe(true);
  });
});

describe('the XML reader used here', () => {
  it.each([
    ['<a><b></a></b>', 'closes'],
    ['<a><b></b>', 'never closed'],
    ['<a/><b/>', 'more than one root'],
    ['<a>x & y</a>', "bare '&'"],
    ['<a>&nbsp;</a>', 'unknown entity'],
    ['<a>1 < 2</a>', "stray '<'"],
    ['text<a/>', 'outside the root'],
  ])('refuses %s', (xml, message) => {
    expect(() => parseXml(xml)).toThrow(message);
  });

  it('reads nested elements, attributes and entities', () => {
    const root = parseXml('<?xml version="1.0"?><!-- c --><r xmlns="ns"><v><fullName>a &amp; b</fullName></v><e/></r>');
    expect(root.attributes).toEqual({ xmlns: 'ns' });
    expect(child(root, 'v') && childText(child(root, 'v')!, 'fullName')).toBe('a & b');
    expect(root.children.map((c) => c.name)).toEqual(['v', 'e']);
  });
});

describe('fields the mappings name', () => {
  const named = new Set<string>([
    fieldMapping.salesforce.externalIdField,
    ...Object.values(fieldMapping.salesforce.fields),
    ...fieldMapping.fields.map((f) => f.salesforce),
  ]);
  const sql = existsSync(sqlFile) ? (readYaml('sql-definition.yaml') as { criteria: Record<string, { field: string }> }) : { criteria: {} };
  for (const criterion of Object.values(sql.criteria)) named.add(criterion.field);
  const customNamed = [...named].filter(custom).sort();

  it('names the handoff, rejection, sync-status, SLA and BANT fields (sanity check on this test)', () => {
    expect(existsSync(sqlFile)).toBe(true);
    expect(customNamed).toEqual(
      expect.arrayContaining([
        'Handoff_HubSpot_Id__c',
        'MQL_Score__c',
        'MQL_Breakdown__c',
        'MQL_Definition_Version__c',
        'MQL_Date__c',
        'Rejection_Reason__c',
        'Rejection_Note__c',
        'Handoff_Sync_Status__c',
        'SLA_Due__c',
        'Budget_Confirmed__c',
        'Decision_Maker__c',
        'Need__c',
        'Timeline__c',
      ]),
    );
  });

  it.each(customNamed)('%s has a field file', (name) => {
    expect(fields.has(name)).toBe(true);
  });
});

describe('fields the service relies on', () => {
  // API name → [metadata type, length/precision check]
  const expected: Array<[string, Record<string, unknown>]> = [
    ['Handoff_HubSpot_Id__c', { type: 'Text', length: 40, externalId: true, unique: true }],
    ['MQL_Score__c', { type: 'Number', precision: 5, scale: 0 }],
    ['MQL_Breakdown__c', { type: 'LongTextArea', length: 32768 }],
    ['MQL_Definition_Version__c', { type: 'Text', length: 80 }],
    ['MQL_Date__c', { type: 'DateTime' }],
    ['Rejection_Reason__c', { type: 'Picklist', restricted: true }],
    ['Rejection_Note__c', { type: 'Text', length: 255 }],
    ['Handoff_Sync_Status__c', { type: 'Text', length: 255 }],
    ['SLA_Due__c', { type: 'DateTime' }],
    ['SLA_Breached__c', { type: 'Checkbox', defaultValue: 'false' }],
    ['Budget_Confirmed__c', { type: 'Checkbox', defaultValue: 'false' }],
    ['Decision_Maker__c', { type: 'Checkbox', defaultValue: 'false' }],
    ['Need__c', { type: 'Text', length: 255 }],
    ['Timeline__c', { type: 'Picklist', restricted: true }],
  ];

  it('ships exactly these fields', () => {
    expect([...fields.keys()].sort()).toEqual(expected.map(([name]) => name).sort());
  });

  it.each(expected)('%s is %j', (name, shape) => {
    expect(fields.get(name)).toMatchObject({ ...shape, required: false });
  });

  it('offers the BANT timeline buckets in order', () => {
    expect(fields.get('Timeline__c')?.values.map((v) => v.fullName)).toEqual(['0-3 months', '3-6 months', '6-12 months', '12+ months']);
  });
});

describe('Rejection_Reason__c and the taxonomy', () => {
  it('mappings/rejection-reasons.yaml exists (written by the sales-core work)', () => {
    expect(existsSync(rejectionFile)).toBe(true);
  });

  it('offers exactly the taxonomy codes, in order, with their labels', () => {
    const taxonomy = readYaml('rejection-reasons.yaml') as { reasons: { code: string; label: string }[] };
    const values = fields.get('Rejection_Reason__c')?.values ?? [];
    expect(values.map((v) => ({ code: v.fullName, label: v.label }))).toEqual(
      taxonomy.reasons.map((r) => ({ code: r.code, label: r.label })),
    );
    expect(values.some((v) => v.default)).toBe(false);
  });
});

describe('Handoff_Loss_Reason__c and revenue.yaml', () => {
  const revenue = readYaml('revenue.yaml') as {
    salesforce: { lossReasonField: string };
    lost: { reasons: { code: string; label: string }[] };
  };

  it('is the field revenue.yaml reads, the only custom Opportunity field, a restricted picklist', () => {
    expect(revenue.salesforce.lossReasonField).toBe('Handoff_Loss_Reason__c');
    expect([...opportunityFields.keys()]).toEqual(['Handoff_Loss_Reason__c']);
    expect(opportunityFields.get('Handoff_Loss_Reason__c')).toMatchObject({ type: 'Picklist', restricted: true, required: false });
  });

  it('offers exactly the loss-reason codes, in order, with their labels', () => {
    const values = opportunityFields.get('Handoff_Loss_Reason__c')?.values ?? [];
    expect(values.map((v) => ({ code: v.fullName, label: v.label }))).toEqual(
      revenue.lost.reasons.map((r) => ({ code: r.code, label: r.label })),
    );
    expect(values.some((v) => v.default)).toBe(false);
  });
});

describe('LeadStatus value set', () => {
  const statuses = readLeadStatuses();
  const names = statuses.map((s) => s.fullName);
  const stages = statusMap.stages;
  const mapped = Object.values(stages).flatMap((stage) => [stage.salesforce.write, ...stage.salesforce.read]);

  it.each([...new Set(mapped)])('contains "%s" from the status map', (status) => {
    expect(names).toContain(status);
  });

  it('has no duplicates, labels equal to the values, the MQL status as default and the opportunity status as converted', () => {
    expect(new Set(names).size).toBe(names.length);
    expect(statuses.every((s) => s.label === s.fullName)).toBe(true);
    expect(statuses.filter((s) => s.default).map((s) => s.fullName)).toEqual([stages.mql?.salesforce.write]);
    expect(statuses.filter((s) => s.converted).map((s) => s.fullName)).toEqual([stages.opportunity?.salesforce.write]);
  });
});

describe('Rejection_Requires_Reason validation rule', () => {
  const rule = readValidationRule('Rejection_Requires_Reason');
  const compact = rule.formula.replace(/\s+/g, ' ');

  it('is active and shows its error on the reason field', () => {
    expect(rule).toMatchObject({ fullName: 'Rejection_Requires_Reason', active: true, errorDisplayField: 'Rejection_Reason__c' });
    expect(fields.has(rule.errorDisplayField)).toBe(true);
  });

  it.each(statusMap.stages.rejected?.salesforce.read ?? [])('blocks the rejected status "%s"', (status) => {
    expect(compact).toContain(`ISPICKVAL(Status, "${status}")`);
  });

  it('blocks an empty reason the way formulas allow on a picklist (ISBLANK(TEXT(...)))', () => {
    expect(compact).toContain('ISBLANK(TEXT(Rejection_Reason__c))');
    // ISBLANK straight on a picklist does not compile in Salesforce.
    for (const [name, field] of fields) {
      if (field.type === 'Picklist') expect(compact).not.toContain(`ISBLANK(${name})`);
    }
  });

  it('asks for a note on every reason that requires one', () => {
    const taxonomy = readYaml('rejection-reasons.yaml') as { reasons: { code: string; requiresNote?: boolean }[] };
    const needNote = taxonomy.reasons.filter((r) => r.requiresNote).map((r) => r.code);
    expect(needNote.length).toBeGreaterThan(0);
    for (const code of needNote) expect(compact).toContain(`ISPICKVAL(Rejection_Reason__c, "${code}")`);
    expect(compact).toContain('ISBLANK(TRIM(Rejection_Note__c))');
  });

  it('names only fields that exist, with balanced parentheses', () => {
    const customNames = [...new Set(compact.match(/\b\w+__c\b/g) ?? [])];
    for (const name of customNames) expect(fields.has(name)).toBe(true);
    let depth = 0;
    for (const c of compact.replace(/"[^"]*"/g, '')) {
      depth += c === '(' ? 1 : c === ')' ? -1 : 0;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
  });
});

describe('permission sets', () => {
  it.each(['Handoff_Integration', 'Handoff_Sales_Rep'])('%s grants read access to every package field', (name) => {
    const root = readXml(join(SOURCE_DIR, `permissionsets/${name}.permissionset-meta.xml`));
    const granted = root.children
      .filter((c) => c.name === 'fieldPermissions')
      .map((p) => ({ field: childText(p, 'field'), readable: childText(p, 'readable') }));
    const everyField = [...[...fields.keys()].map((f) => `Lead.${f}`), ...[...opportunityFields.keys()].map((f) => `Opportunity.${f}`)];
    expect(granted.map((g) => g.field).sort()).toEqual(everyField.sort());
    expect(granted.every((g) => g.readable === 'true')).toBe(true);
  });

  it('lets the integration user read every Opportunity and its loss reason, and change neither', () => {
    const root = readXml(join(SOURCE_DIR, 'permissionsets/Handoff_Integration.permissionset-meta.xml'));
    const reason = root.children.find(
      (c) => c.name === 'fieldPermissions' && childText(c, 'field') === 'Opportunity.Handoff_Loss_Reason__c',
    );
    expect(reason && childText(reason, 'editable')).toBe('false');
    const opportunity = root.children.find((c) => c.name === 'objectPermissions' && childText(c, 'object') === 'Opportunity');
    expect(opportunity && Object.fromEntries(opportunity.children.map((c) => [c.name, c.text.trim()]))).toEqual({
      allowCreate: 'false',
      allowDelete: 'false',
      allowEdit: 'false',
      allowRead: 'true',
      modifyAllRecords: 'false',
      object: 'Opportunity',
      viewAllRecords: 'true',
    });
  });

  it('lets reps edit the rejection, BANT and loss-reason fields but not what Handoff writes', () => {
    const root = readXml(join(SOURCE_DIR, 'permissionsets/Handoff_Sales_Rep.permissionset-meta.xml'));
    const editable = root.children
      .filter((c) => c.name === 'fieldPermissions' && childText(c, 'editable') === 'true')
      .map((c) => childText(c, 'field'))
      .sort();
    expect(editable).toEqual([
      ...['Budget_Confirmed__c', 'Decision_Maker__c', 'Need__c', 'Rejection_Note__c', 'Rejection_Reason__c', 'Timeline__c'].map(
        (f) => `Lead.${f}`,
      ),
      'Opportunity.Handoff_Loss_Reason__c',
    ]);
  });
});
