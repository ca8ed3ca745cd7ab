import { parseMqlDefinition, type MqlDefinition } from '../definitions/mql-schema.ts';
import { requiredProperties } from '../definitions/qualify-mql.ts';
import { parseFieldMapping, type FieldMapping } from '../mapping/field-schema.ts';
import { mappedHubSpotProperties } from '../mapping/apply-mapping.ts';
import { parseStatusMap, type StatusMap } from '../status-map/status-schema.ts';
import type { MappingProblem, Parsed } from './problems.ts';

/** The three files in the mappings directory, by role. */
export const MAPPING_FILES = {
  mql: 'mql-definition.yaml',
  fieldMapping: 'field-mapping.yaml',
  statusMap: 'status-map.yaml',
} as const;
export type MappingRole = keyof typeof MAPPING_FILES;
export const MAPPING_ROLES = Object.keys(MAPPING_FILES) as MappingRole[];

/** One file already read as YAML: its data and the first 7 hex digits of the sha256 of its text. */
export interface MappingDocument {
  data: unknown;
  hash7: string;
}

export interface MappingsBundle {
  /** Each `version` below is stamped `${version}@${hash7}`: the recorded definition version. */
  mql: MqlDefinition;
  fieldMapping: FieldMapping;
  statusMap: StatusMap;
  versions: Record<MappingRole, string>;
  /** Everything the worker must request in HubSpot's batch read (definition, mapping, stage, link property). */
  hubspotProperties: string[];
}

/** HubSpot properties owned by the status map: a field mapping must not write them too. */
const STAGE_PROPERTIES = ['lifecyclestage', 'hs_lead_status'];

/** Validates the three documents together and returns the bundle, or every problem of every file. */
export function buildBundle(docs: Record<MappingRole, MappingDocument>): Parsed<MappingsBundle> {
  const mql = parseMqlDefinition(MAPPING_FILES.mql, docs.mql.data);
  const fieldMapping = parseFieldMapping(MAPPING_FILES.fieldMapping, docs.fieldMapping.data);
  const statusMap = parseStatusMap(MAPPING_FILES.statusMap, docs.statusMap.data);
  const problems: MappingProblem[] = [mql, fieldMapping, statusMap].flatMap((r) => (r.ok ? [] : r.problems));
  if (fieldMapping.ok) problems.push(...crossFileProblems(fieldMapping.value));
  if (!mql.ok || !fieldMapping.ok || !statusMap.ok || problems.length > 0) return { ok: false, problems };

  const versions = {
    mql: `${mql.value.version}@${docs.mql.hash7}`,
    fieldMapping: `${fieldMapping.value.version}@${docs.fieldMapping.hash7}`,
    statusMap: `${statusMap.value.version}@${docs.statusMap.hash7}`,
  };
  const bundle: MappingsBundle = {
    mql: { ...mql.value, version: versions.mql },
    fieldMapping: { ...fieldMapping.value, version: versions.fieldMapping },
    statusMap: { ...statusMap.value, version: versions.statusMap },
    versions,
    hubspotProperties: hubspotPropertiesFor(mql.value, fieldMapping.value),
  };
  return { ok: true, value: bundle };
}

function crossFileProblems(mapping: FieldMapping): MappingProblem[] {
  return mapping.fields.flatMap((field, i) =>
    field.direction !== 'to_salesforce' && STAGE_PROPERTIES.includes(field.hubspot)
      ? [{ file: MAPPING_FILES.fieldMapping, path: `fields[${i}].hubspot`, message: `${field.hubspot} is set from ${MAPPING_FILES.statusMap}; map it to_salesforce only` }]
      : [],
  );
}

export function hubspotPropertiesFor(mql: MqlDefinition, mapping: FieldMapping): string[] {
  const all = new Set([
    ...requiredProperties(mql),
    ...mappedHubSpotProperties(mapping),
    ...STAGE_PROPERTIES,
    mapping.hubspot.salesforceIdProperty,
  ]);
  return [...all].sort();
}
