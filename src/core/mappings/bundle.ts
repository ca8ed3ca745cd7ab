import { type MqlDefinition, parseMqlDefinition } from '../definitions/mql-schema.ts';
import { requiredProperties } from '../definitions/qualify-mql.ts';
import { mappedHubSpotProperties } from '../field-mapping/apply-mapping.ts';
import { type FieldMapping, parseFieldMapping } from '../field-mapping/field-schema.ts';
import { revenueCrossProblems } from '../revenue/revenue-checks.ts';
import { parseRevenue, REVENUE_BEFORE_FILE_EXISTED, type RevenueConfig } from '../revenue/revenue-schema.ts';
import { ROUTING_BEFORE_FILE_EXISTED, routingProperties } from '../routing/routing-references.ts';
import { parseRouting, type RoutingConfig } from '../routing/routing-schema.ts';
import { parseRejectionTaxonomy, type RejectionTaxonomy } from '../sales/rejection-schema.ts';
import { parseSqlDefinition, type SqlDefinition } from '../sales/sql-schema.ts';
import type { HubSpotSetupSpec } from '../setup-spec.ts';
import { parseSlaRules, type SlaRules, unknownSegmentProblems } from '../sla/sla-schema.ts';
import { parseStatusMap, type StatusMap } from '../status-map/status-schema.ts';
import { crossFileProblems, STAGE_PROPERTIES } from './cross-checks.ts';
import { hubspotSetupFor } from './hubspot-setup.ts';
import type { MappingProblem, Parsed } from './problems.ts';

/** The files in the mappings directory, by role. */
export const MAPPING_FILES = {
  mql: 'mql-definition.yaml',
  fieldMapping: 'field-mapping.yaml',
  statusMap: 'status-map.yaml',
  rejection: 'rejection-reasons.yaml',
  sql: 'sql-definition.yaml',
  sla: 'sla-rules.yaml',
  routing: 'routing.yaml',
  revenue: 'revenue.yaml',
} as const;
export type MappingRole = keyof typeof MAPPING_FILES;
export const MAPPING_ROLES = Object.keys(MAPPING_FILES) as MappingRole[];

/**
 * Files added after the first release, with what a version saved before them means: such a version (or an older
 * mappings folder) loads with this text in the file's place, so an upgrade changes nothing until an admin edits it.
 */
export const FILES_ADDED_LATER: Partial<Record<MappingRole, string>> = {
  routing: ROUTING_BEFORE_FILE_EXISTED,
  revenue: REVENUE_BEFORE_FILE_EXISTED,
};

/** A file set with every later-added file that is missing put in, as FILES_ADDED_LATER says. */
export function withFilesAddedLater(files: Record<string, string>): Record<string, string> {
  const full = { ...files };
  for (const [role, text] of Object.entries(FILES_ADDED_LATER)) {
    const name = MAPPING_FILES[role as MappingRole];
    if (full[name] === undefined && text !== undefined) full[name] = text;
  }
  return full;
}

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
  /** The rejection taxonomy: reason codes and their feedback (nurture list, recycle or hold). */
  rejection: RejectionTaxonomy;
  /** SQL = BANT on Lead fields. */
  sql: SqlDefinition;
  /** SLA rules and the business calendar their clocks count in. */
  sla: SlaRules;
  /** Who a new Lead goes to (rules, pools, fallback) and how the owner is told. */
  routing: RoutingConfig;
  /** Following converted Leads' Opportunities to won or lost, and what each means in HubSpot. */
  revenue: RevenueConfig;
  versions: Record<MappingRole, string>;
  /** Everything the worker must request in HubSpot's batch read (definition, mapping, stage, link property). */
  hubspotProperties: string[];
  /** Custom HubSpot properties and lists the `setup` command must create. */
  hubspotSetup: HubSpotSetupSpec;
}

/** Validates the documents together and returns the bundle, or every problem of every file. */
export function buildBundle(docs: Record<MappingRole, MappingDocument>): Parsed<MappingsBundle> {
  const mql = parseMqlDefinition(MAPPING_FILES.mql, docs.mql.data);
  const fieldMapping = parseFieldMapping(MAPPING_FILES.fieldMapping, docs.fieldMapping.data);
  const statusMap = parseStatusMap(MAPPING_FILES.statusMap, docs.statusMap.data);
  const rejection = parseRejectionTaxonomy(MAPPING_FILES.rejection, docs.rejection.data);
  const sql = parseSqlDefinition(MAPPING_FILES.sql, docs.sql.data);
  const sla = parseSlaRules(MAPPING_FILES.sla, docs.sla.data);
  const routing = parseRouting(MAPPING_FILES.routing, docs.routing.data);
  const revenue = parseRevenue(MAPPING_FILES.revenue, docs.revenue.data);
  const problems: MappingProblem[] = [mql, fieldMapping, statusMap, rejection, sql, sla, routing, revenue].flatMap((r) =>
    r.ok ? [] : r.problems,
  );
  if (fieldMapping.ok) problems.push(...crossFileProblems(MAPPING_FILES, fieldMapping.value, sql.ok ? sql.value : undefined));
  if (fieldMapping.ok && revenue.ok) problems.push(...revenueCrossProblems(MAPPING_FILES, revenue.value, fieldMapping.value));
  if (mql.ok && sla.ok)
    problems.push(
      ...unknownSegmentProblems(
        MAPPING_FILES.sla,
        sla.value.rules,
        mql.value.segments.map((s) => s.id),
      ),
    );
  if (mql.ok && routing.ok)
    problems.push(
      ...unknownSegmentProblems(
        MAPPING_FILES.routing,
        routing.value.rules,
        mql.value.segments.map((s) => s.id),
      ),
    );
  if (
    !mql.ok ||
    !fieldMapping.ok ||
    !statusMap.ok ||
    !rejection.ok ||
    !sql.ok ||
    !sla.ok ||
    !routing.ok ||
    !revenue.ok ||
    problems.length > 0
  )
    return { ok: false, problems };

  const stamp = (role: MappingRole, version: string): string => `${version}@${docs[role].hash7}`;
  const versions: Record<MappingRole, string> = {
    mql: stamp('mql', mql.value.version),
    fieldMapping: stamp('fieldMapping', fieldMapping.value.version),
    statusMap: stamp('statusMap', statusMap.value.version),
    rejection: stamp('rejection', rejection.value.version),
    sql: stamp('sql', sql.value.version),
    sla: stamp('sla', sla.value.version),
    routing: stamp('routing', routing.value.version),
    revenue: stamp('revenue', revenue.value.version),
  };
  const bundle: MappingsBundle = {
    mql: { ...mql.value, version: versions.mql },
    fieldMapping: { ...fieldMapping.value, version: versions.fieldMapping },
    statusMap: { ...statusMap.value, version: versions.statusMap },
    rejection: { ...rejection.value, version: versions.rejection },
    sql: { ...sql.value, version: versions.sql },
    sla: { ...sla.value, version: versions.sla },
    routing: { ...routing.value, version: versions.routing },
    revenue: { ...revenue.value, version: versions.revenue },
    versions,
    hubspotProperties: hubspotPropertiesFor(mql.value, fieldMapping.value, routing.value),
    hubspotSetup: hubspotSetupFor(mql.value, fieldMapping.value, rejection.value, revenue.value),
  };
  return { ok: true, value: bundle };
}

function hubspotPropertiesFor(mql: MqlDefinition, mapping: FieldMapping, routing: RoutingConfig): string[] {
  const all = new Set([
    ...requiredProperties(mql),
    ...routingProperties(routing),
    ...mappedHubSpotProperties(mapping),
    ...STAGE_PROPERTIES,
    mapping.hubspot.salesforceIdProperty,
  ]);
  return [...all].sort();
}
