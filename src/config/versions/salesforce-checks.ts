import type { FieldDescription, ObjectDescription } from '../../adapters/salesforce/salesforce-port.ts';
import { MAPPING_FILES, type MappingsBundle } from '../../core/mappings/bundle.ts';
import { missingSlaDetectorFields } from '../../core/sales/lead-reads.ts';
import { BANT_CRITERIA } from '../../core/sales/sql-schema.ts';
import type { ConfigProblem } from './config-versions-port.ts';

type Access = 'create' | 'update';

/** A value Handoff writes (or compares with) that must be one of the field's picklist values. */
interface PicklistValue {
  file: string;
  path: string;
  value: string;
}

/** Where a mappings file names a field of the Lead object and what Handoff does with it. */
interface FieldUse {
  file: string;
  path: string;
  name: string;
  needs: Access[];
  externalId?: boolean;
  values?: PicklistValue[];
}

/** Salesforce describe field types whose values come from a fixed list. */
const PICKLIST_TYPES = ['picklist', 'multipicklist'];

/**
 * Checks the mappings against describe(object): every field exists, is createable/updateable for what
 * Handoff does with it, every value a value map, the status map, the rejection taxonomy or a BANT
 * criterion names is a real picklist value, and every first-touch detector's fields exist.
 */
export function salesforceProblems(bundle: MappingsBundle, object: ObjectDescription): ConfigProblem[] {
  const byName = new Map(object.fields.map((f) => [f.name.toLowerCase(), f]));
  const fieldProblems = fieldUses(bundle).flatMap((use) => {
    const field = byName.get(use.name.toLowerCase());
    if (!field)
      return [problem(use.file, use.path, `${object.name} has no field ${use.name} (check the API name; custom fields end in __c)`)];
    return [...accessProblems(use, field, object.name), ...picklistProblems(use, field, object.name)];
  });
  // First-touch detectors read standard fields some orgs lack (Sales Engagement's FirstCallDateTime, …).
  const detectorProblems = missingSlaDetectorFields(
    bundle.sla,
    object.fields.map((f) => f.name),
  ).map((m) => problem(m.file, m.path, m.message));
  return [...fieldProblems, ...detectorProblems];
}

function problem(file: string, path: string, message: string): ConfigProblem {
  return { file, path, message, source: 'salesforce' };
}

function accessProblems(use: FieldUse, field: FieldDescription, object: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (use.needs.includes('create') && !field.createable)
    problems.push(
      problem(use.file, use.path, `${object}.${field.name} is not createable, but Handoff sets it when it creates a ${object}`),
    );
  if (use.needs.includes('update') && !field.updateable)
    problems.push(problem(use.file, use.path, `${object}.${field.name} is not updateable, but Handoff writes it on existing ${object}s`));
  if (use.externalId && !field.externalId)
    problems.push(problem(use.file, use.path, `${object}.${field.name} is not an External ID field; upserts need one`));
  return problems;
}

/** A picklist without values in describe accepts anything we could say about it, so it is not judged. */
function picklistProblems(use: FieldUse, field: FieldDescription, object: string): ConfigProblem[] {
  if (!PICKLIST_TYPES.includes(field.type) || field.picklistValues.length === 0) return [];
  return (use.values ?? []).flatMap((v) => {
    if (field.picklistValues.includes(v.value)) return [];
    const near = field.picklistValues.find((p) => p.toLowerCase() === v.value.toLowerCase());
    const hint = near ? `; did you mean "${near}"?` : '';
    return [problem(v.file, v.path, `"${v.value}" is not a picklist value of ${object}.${field.name}${hint}`)];
  });
}

function fieldUses(bundle: MappingsBundle): FieldUse[] {
  const file = MAPPING_FILES.fieldMapping;
  const sf = bundle.fieldMapping.salesforce;
  const uses: FieldUse[] = bundle.fieldMapping.fields.map((rule, i) => ({
    file,
    path: `fields[${i}].salesforce`,
    name: rule.salesforce,
    // Handoff creates Leads and later updates their mapped fields; to_hubspot fields are only read.
    needs: rule.direction === 'to_hubspot' ? [] : ['create', 'update'],
    values: rule.direction === 'to_hubspot' ? [] : valueMapValues(bundle, i),
  }));
  uses.push({ file, path: 'salesforce.externalIdField', name: sf.externalIdField, needs: ['create'], externalId: true });
  uses.push({ file, path: 'salesforce.statusField', name: sf.statusField, needs: ['create', 'update'], values: statusValues(bundle) });
  for (const key of ['score', 'breakdown', 'definitionVersion', 'mqlDate'] as const) {
    uses.push({ file, path: `salesforce.fields.${key}`, name: sf.fields[key], needs: ['create'] });
  }
  for (const key of ['syncStatus', 'slaDue', 'slaBreached'] as const)
    uses.push({ file, path: `salesforce.fields.${key}`, name: sf.fields[key], needs: ['update'] });
  uses.push({
    file,
    path: 'salesforce.fields.rejectionReason',
    name: sf.fields.rejectionReason,
    needs: [],
    values: rejectionValues(bundle),
  });
  uses.push({ file, path: 'salesforce.fields.rejectionNote', name: sf.fields.rejectionNote, needs: [] });
  for (const key of BANT_CRITERIA) uses.push(bantUse(bundle, key));
  return uses;
}

/** Outputs of the rule's picklist value maps (and a text default): what lands in the field. */
function valueMapValues(bundle: MappingsBundle, i: number): PicklistValue[] {
  const rule = bundle.fieldMapping.fields[i];
  if (!rule) return [];
  const file = MAPPING_FILES.fieldMapping;
  const values: PicklistValue[] = [];
  rule.transforms.forEach((t, k) => {
    if (typeof t === 'string' || !('picklist' in t)) return;
    const base = `fields[${i}].transforms[${k}].picklist`;
    for (const [from, to] of Object.entries(t.picklist.values)) values.push({ file, path: `${base}.values.${from}`, value: String(to) });
    if (t.picklist.fallback !== undefined && t.picklist.fallback !== null)
      values.push({ file, path: `${base}.fallback`, value: String(t.picklist.fallback) });
  });
  if (typeof rule.default === 'string') values.push({ file, path: `fields[${i}].default`, value: rule.default });
  return values;
}

function statusValues(bundle: MappingsBundle): PicklistValue[] {
  const file = MAPPING_FILES.statusMap;
  return Object.entries(bundle.statusMap.stages).flatMap(([stage, mapping]) =>
    mapping
      ? [
          { file, path: `stages.${stage}.salesforce.write`, value: mapping.salesforce.write },
          ...mapping.salesforce.read.map((value, j) => ({ file, path: `stages.${stage}.salesforce.read[${j}]`, value })),
        ]
      : [],
  );
}

function rejectionValues(bundle: MappingsBundle): PicklistValue[] {
  return bundle.rejection.reasons.map((reason, i) => ({ file: MAPPING_FILES.rejection, path: `reasons[${i}].code`, value: reason.code }));
}

/** BANT criteria read their field; values they compare with (eq, in, …) must be picklist values. */
function bantUse(bundle: MappingsBundle, key: (typeof BANT_CRITERIA)[number]): FieldUse {
  const criterion = bundle.sql.criteria[key];
  const file = MAPPING_FILES.sql;
  const base = `criteria.${key}.met`;
  const met = criterion.met;
  const values: PicklistValue[] = [];
  if (['eq', 'neq'].includes(met.op) && typeof met.value === 'string') values.push({ file, path: `${base}.value`, value: met.value });
  if (['in', 'notIn'].includes(met.op)) {
    (met.values ?? []).forEach((v, j) => {
      if (typeof v === 'string') values.push({ file, path: `${base}.values[${j}]`, value: v });
    });
  }
  return { file, path: `criteria.${key}.field`, name: criterion.field, needs: [], values };
}
