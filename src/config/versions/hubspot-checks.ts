import type { HubSpotPort, PropertyInfo } from '../../adapters/hubspot/hubspot-port.ts';
import { conditionsOf, type When } from '../../core/definitions/conditions.ts';
import { MAPPING_FILES, type MappingsBundle } from '../../core/mappings/bundle.ts';
import { companyPropertyName, isCompanyProperty } from '../../core/mappings/company-properties.ts';
import { isHubSpotDefaultProperty } from '../../core/mappings/hubspot-setup.ts';
import { isFollowed } from '../../core/revenue/revenue-schema.ts';
import type { ConfigProblem } from './config-versions-port.ts';

/** Where a mappings file names a HubSpot contact property. */
interface PropertyUse {
  file: string;
  path: string;
  name: string;
}

/** A value Handoff writes into a HubSpot property; must be one of its options when it has options. */
interface OptionUse {
  file: string;
  path: string;
  property: string;
  value: string;
}

/** Whether the mappings read any `company.<name>` property (then live validation lists company properties too). */
function readsCompanies(bundle: MappingsBundle): boolean {
  return bundle.hubspotProperties.some(isCompanyProperty);
}

/** The property definitions live validation checks against: contacts always, companies when the mappings read them. */
export async function hubspotSchema(
  bundle: MappingsBundle,
  hubspot: Pick<HubSpotPort, 'listProperties'>,
): Promise<{ contacts: PropertyInfo[]; companies: PropertyInfo[] }> {
  const [contacts, companies] = await Promise.all([
    hubspot.listProperties(),
    readsCompanies(bundle) ? hubspot.listProperties('companies') : [],
  ]);
  return { contacts, companies };
}

/**
 * Checks the mappings against HubSpot's property definitions: every contact property read or written exists
 * on contacts, every `company.<name>` read exists on companies, and every value written into a property with
 * options (dropdowns, Lead Status) is one of them.
 */
export function hubspotProblems(
  bundle: MappingsBundle,
  properties: PropertyInfo[],
  companyProperties: PropertyInfo[] = [],
): ConfigProblem[] {
  const byName = new Map(properties.map((p) => [p.name, p]));
  const companyNames = new Set(companyProperties.map((p) => p.name));
  const toCreate = new Set(bundle.hubspotSetup.properties.map((p) => p.name));
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  for (const use of propertyUses(bundle)) {
    const key = `${use.file}|${use.path}|${use.name}`;
    const company = isCompanyProperty(use.name);
    const exists = company ? companyNames.has(companyPropertyName(use.name)) : byName.has(use.name);
    if (exists || seen.has(key)) continue;
    seen.add(key);
    const message = company ? missingCompanyMessage(companyPropertyName(use.name)) : missingMessage(use.name, toCreate, companyNames);
    problems.push({ file: use.file, path: use.path, source: 'hubspot', message });
  }
  for (const use of optionUses(bundle)) {
    const options = byName.get(use.property)?.options ?? [];
    if (options.length === 0 || options.some((o) => o.value === use.value)) continue;
    const hint = toCreate.has(use.property) ? '; run setup to add it' : '';
    problems.push({
      file: use.file,
      path: use.path,
      source: 'hubspot',
      message: `"${use.value}" is not an option of the HubSpot property ${use.property}${hint}`,
    });
  }
  return problems;
}

function missingCompanyMessage(name: string): string {
  return `HubSpot has no company property ${name} (read as company.${name}); setup does not create company properties: check the internal name or create it in HubSpot`;
}

function missingMessage(name: string, toCreate: Set<string>, companyNames: Set<string>): string {
  if (companyNames.has(name)) return `HubSpot has no contact property ${name}; it is a company property: read it as company.${name}`;
  if (toCreate.has(name)) return `HubSpot has no contact property ${name}; run setup (node src/cli/setup.ts) to create it`;
  if (isHubSpotDefaultProperty(name)) return `HubSpot has no contact property ${name}; check the internal name (not the label)`;
  return `HubSpot has no contact property ${name}`;
}

function propertyUses(bundle: MappingsBundle): PropertyUse[] {
  const mqlFile = MAPPING_FILES.mql;
  const mapFile = MAPPING_FILES.fieldMapping;
  const uses: PropertyUse[] = [];
  const fromWhen = (path: string, when: When | undefined): void => {
    if (!when) return;
    if ('all' in when) {
      when.all.forEach((c, i) => {
        uses.push({ file: mqlFile, path: `${path}.all[${i}].property`, name: c.property });
      });
    } else if ('any' in when) {
      when.any.forEach((c, i) => {
        uses.push({ file: mqlFile, path: `${path}.any[${i}].property`, name: c.property });
      });
    } else for (const c of conditionsOf(when)) uses.push({ file: mqlFile, path: `${path}.property`, name: c.property });
  };
  const { mql, fieldMapping } = bundle;
  for (const key of ['fit', 'behaviour'] as const) {
    mql[key].forEach((rule, i) => {
      fromWhen(`${key}[${i}].when`, rule.when);
      if (rule.perUnit) uses.push({ file: mqlFile, path: `${key}[${i}].perUnit.property`, name: rule.perUnit.property });
    });
  }
  mql.segments.forEach((s, i) => {
    fromWhen(`segments[${i}].when`, s.when);
  });
  mql.fastTrack.forEach((r, i) => {
    fromWhen(`fastTrack[${i}].when`, r.when);
  });
  mql.exclusions.forEach((r, i) => {
    fromWhen(`exclusions[${i}].when`, r.when);
  });
  fieldMapping.fields.forEach((f, i) => {
    uses.push({ file: mapFile, path: `fields[${i}].hubspot`, name: f.hubspot });
  });
  for (const [key, name] of Object.entries(fieldMapping.hubspot)) {
    if (name) uses.push({ file: mapFile, path: `hubspot.${key}`, name });
  }
  for (const [stage, mapping] of Object.entries(bundle.statusMap.stages)) {
    if (!mapping) continue;
    for (const name of ['lifecyclestage', 'hs_lead_status'] as const) {
      uses.push({ file: MAPPING_FILES.statusMap, path: `stages.${stage}.hubspot.${name}`, name });
    }
  }
  return [...uses, ...revenuePropertyUses(bundle)];
}

/** What a won or lost deal writes (revenue.yaml), while the follow-up is on. */
function revenuePropertyUses(bundle: MappingsBundle): PropertyUse[] {
  const { revenue } = bundle;
  if (!isFollowed(revenue)) return [];
  const file = MAPPING_FILES.revenue;
  return [
    { file, path: 'won.amountProperty', name: revenue.won.amountProperty },
    { file, path: 'won.closeDateProperty', name: revenue.won.closeDateProperty },
    { file, path: 'won.lifecyclestage', name: 'lifecyclestage' },
    { file, path: 'lost.hs_lead_status', name: 'hs_lead_status' },
  ];
}

function revenueOptionUses(bundle: MappingsBundle): OptionUse[] {
  const { revenue } = bundle;
  if (!isFollowed(revenue)) return [];
  const file = MAPPING_FILES.revenue;
  return [
    { file, path: 'won.lifecyclestage', property: 'lifecyclestage', value: revenue.won.lifecyclestage },
    { file, path: 'lost.hs_lead_status', property: 'hs_lead_status', value: revenue.lost.hs_lead_status },
  ];
}

function optionUses(bundle: MappingsBundle): OptionUse[] {
  const uses: OptionUse[] = [];
  for (const [stage, mapping] of Object.entries(bundle.statusMap.stages)) {
    if (!mapping) continue;
    for (const name of ['lifecyclestage', 'hs_lead_status'] as const) {
      uses.push({ file: MAPPING_FILES.statusMap, path: `stages.${stage}.hubspot.${name}`, property: name, value: mapping.hubspot[name] });
    }
  }
  bundle.fieldMapping.fields.forEach((field, i) => {
    if (field.direction === 'to_salesforce') return;
    field.reverseTransforms.forEach((t, k) => {
      if (typeof t === 'string' || !('picklist' in t)) return;
      const base = `fields[${i}].reverseTransforms[${k}].picklist`;
      for (const [from, to] of Object.entries(t.picklist.values)) {
        uses.push({ file: MAPPING_FILES.fieldMapping, path: `${base}.values.${from}`, property: field.hubspot, value: String(to) });
      }
      if (t.picklist.fallback !== undefined && t.picklist.fallback !== null) {
        uses.push({
          file: MAPPING_FILES.fieldMapping,
          path: `${base}.fallback`,
          property: field.hubspot,
          value: String(t.picklist.fallback),
        });
      }
    });
  });
  bundle.rejection.reasons.forEach((reason, i) => {
    uses.push({
      file: MAPPING_FILES.rejection,
      path: `reasons[${i}].code`,
      property: bundle.fieldMapping.hubspot.rejectionReasonProperty,
      value: reason.code,
    });
  });
  return [...uses, ...revenueOptionUses(bundle)];
}
