import type { FieldMapping } from '../field-mapping/field-schema.ts';
import { BANT_CRITERIA, type SqlDefinition } from '../sales/sql-schema.ts';
import type { MappingProblem } from './problems.ts';

/** HubSpot properties owned by the status map: a field mapping must not write them too. */
export const STAGE_PROPERTIES = ['lifecyclestage', 'hs_lead_status'];

/** Standard Lead fields the sales-side poller reads for its own purposes (see leadFieldsToRead). */
export const LEAD_SYSTEM_FIELDS = [
  'Id',
  'IsConverted',
  'ConvertedContactId',
  'ConvertedOpportunityId',
  'OwnerId',
  'LastModifiedById',
  'SystemModstamp',
];

interface Use {
  file: string;
  path: string;
  name: string;
  purpose: string;
}

/** Problems only visible with several files side by side (each file's own schema already passed). */
export function crossFileProblems(
  files: { fieldMapping: string; sql: string },
  mapping: FieldMapping,
  sql: SqlDefinition | undefined,
): MappingProblem[] {
  return [
    ...stageWrites(files.fieldMapping, mapping),
    ...duplicateUses(salesforceUses(files, mapping, sql), 'Salesforce field'),
    ...duplicateUses(hubspotUses(files.fieldMapping, mapping), 'HubSpot property'),
    ...echoReads(files.fieldMapping, mapping),
  ];
}

function stageWrites(file: string, mapping: FieldMapping): MappingProblem[] {
  return mapping.fields.flatMap((field, i) =>
    field.direction !== 'to_salesforce' && STAGE_PROPERTIES.includes(field.hubspot)
      ? [{ file, path: `fields[${i}].hubspot`, message: `${field.hubspot} is set from status-map.yaml; map it to_salesforce only` }]
      : [],
  );
}

/** Every Salesforce field given a job: one field doing two jobs would mix the rep's data with ours. */
function salesforceUses(files: { fieldMapping: string; sql: string }, mapping: FieldMapping, sql: SqlDefinition | undefined): Use[] {
  const sf = mapping.salesforce;
  const uses: Use[] = LEAD_SYSTEM_FIELDS.map((name) => ({
    file: 'Salesforce',
    path: '',
    name,
    purpose: `the standard Lead field ${name}`,
  }));
  uses.push({
    file: files.fieldMapping,
    path: 'salesforce.externalIdField',
    name: sf.externalIdField,
    purpose: 'salesforce.externalIdField',
  });
  uses.push({ file: files.fieldMapping, path: 'salesforce.statusField', name: sf.statusField, purpose: 'salesforce.statusField' });
  for (const [key, name] of Object.entries(sf.fields)) {
    uses.push({ file: files.fieldMapping, path: `salesforce.fields.${key}`, name, purpose: `salesforce.fields.${key}` });
  }
  for (const key of sql ? BANT_CRITERIA : []) {
    const name = sql?.criteria[key].field ?? '';
    uses.push({ file: files.sql, path: `criteria.${key}.field`, name, purpose: `the ${key} criterion of ${files.sql}` });
  }
  return uses;
}

function hubspotUses(file: string, mapping: FieldMapping): Use[] {
  const uses: Use[] = STAGE_PROPERTIES.map((name) => ({
    file: 'status-map.yaml',
    path: '',
    name,
    purpose: 'a stage property of status-map.yaml',
  }));
  for (const [key, name] of Object.entries(mapping.hubspot)) {
    if (name) uses.push({ file, path: `hubspot.${key}`, name, purpose: `hubspot.${key}` });
  }
  mapping.fields.forEach((field, i) => {
    // Reading a property into Salesforce is harmless; writing one we also write is a race.
    if (field.direction !== 'to_salesforce')
      uses.push({ file, path: `fields[${i}].hubspot`, name: field.hubspot, purpose: `fields[${i}] (${field.salesforce})` });
  });
  return uses;
}

function duplicateUses(uses: Use[], what: string): MappingProblem[] {
  const first = new Map<string, Use>();
  const problems: MappingProblem[] = [];
  for (const use of uses) {
    const key = use.name.toLowerCase();
    const earlier = first.get(key);
    if (!earlier) first.set(key, use);
    else if (earlier.purpose !== use.purpose && !sameStageWrite(earlier, use)) {
      problems.push({
        file: use.file,
        path: use.path,
        message: `${what} ${use.name} is already ${earlier.purpose}; give each purpose its own ${what}`,
      });
    }
  }
  return problems;
}

/** stageWrites already reports a field rule writing a stage property, with a clearer message. */
function sameStageWrite(earlier: Use, use: Use): boolean {
  return earlier.file === 'status-map.yaml' && use.path.startsWith('fields[');
}

/** Fields Handoff itself writes on the Lead must not flow back to HubSpot, or our own writes would look like news. */
function echoReads(file: string, mapping: FieldMapping): MappingProblem[] {
  const own = [mapping.salesforce.fields.syncStatus, 'SystemModstamp', 'LastModifiedById'].map((n) => n.toLowerCase());
  return mapping.fields.flatMap((field, i) =>
    field.direction !== 'to_salesforce' && own.includes(field.salesforce.toLowerCase())
      ? [
          {
            file,
            path: `fields[${i}].salesforce`,
            message: `${field.salesforce} changes whenever Handoff writes the Lead; it cannot be copied to HubSpot`,
          },
        ]
      : [],
  );
}
