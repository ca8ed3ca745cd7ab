import { type Condition, conditionsOf, type When } from '../definitions/conditions.ts';
import type { MqlDefinition } from '../definitions/mql-schema.ts';
import type { FieldMapping } from '../field-mapping/field-schema.ts';
import type { Transform } from '../field-mapping/transforms.ts';
import { isFollowed, type RevenueConfig, revenueLists } from '../revenue/revenue-schema.ts';
import { nurtureLists, type RejectionTaxonomy } from '../sales/rejection-schema.ts';
import type { HubSpotSetupSpec, PropertySpec } from '../setup-spec.ts';
import { isCompanyProperty, splitPropertyNames } from './company-properties.ts';

/**
 * HubSpot's own contact properties that a mapping may name: they exist in every portal and are never created
 * (HubSpot's knowledge base, "HubSpot's default contact properties"). Firmographics differ between the objects:
 * on a contact, `numemployees` is a dropdown of bands and `annualrevenue` and `industry` are text; the number
 * `numberofemployees` exists only on companies (read it as `company.numberofemployees`).
 * HubSpot also reserves the `hs_` prefix for its properties, so any `hs_…` name counts as a default as well.
 */
export const HUBSPOT_DEFAULT_CONTACT_PROPERTIES: ReadonlySet<string> = new Set([
  'email',
  'firstname',
  'lastname',
  'company',
  'jobtitle',
  'phone',
  'mobilephone',
  'fax',
  'address',
  'city',
  'state',
  'zip',
  'country',
  'website',
  'industry',
  'numemployees',
  'annualrevenue',
  'lifecyclestage',
  'createdate',
  'lastmodifieddate',
  'closedate',
  'hubspot_owner_id',
  'notes_last_contacted',
  'num_conversion_events',
  'num_unique_conversion_events',
  'first_conversion_event_name',
  'recent_conversion_event_name',
  'salutation',
  'message',
  'twitterhandle',
  'linkedinbio',
  'associatedcompanyid',
  'ip_city',
  'ip_country',
]);

export function isHubSpotDefaultProperty(name: string): boolean {
  return name.startsWith('hs_') || HUBSPOT_DEFAULT_CONTACT_PROPERTIES.has(name);
}

/** Setup creates custom contact properties only: never HubSpot's own, never a company's. */
function isCreatable(name: string): boolean {
  return !isHubSpotDefaultProperty(name) && !isCompanyProperty(name);
}

/** Where Handoff's properties live in the portal: HubSpot's built-in contact group exists everywhere. */
const HANDOFF_PROPERTY_GROUP = 'contactinformation';

type Kind = 'string' | 'text' | 'number' | 'bool' | 'date' | 'datetime';

/** HubSpot's valid fieldType per type (properties API: bool → booleancheckbox, date/datetime → date, …). */
const KIND_SPEC: Record<Kind, Pick<PropertySpec, 'type' | 'fieldType'>> = {
  string: { type: 'string', fieldType: 'text' },
  text: { type: 'string', fieldType: 'textarea' },
  number: { type: 'number', fieldType: 'number' },
  bool: { type: 'bool', fieldType: 'booleancheckbox' },
  date: { type: 'date', fieldType: 'date' },
  datetime: { type: 'datetime', fieldType: 'date' },
};
const BOOL_OPTIONS = [
  { label: 'Yes', value: 'true' },
  { label: 'No', value: 'false' },
];

/**
 * Everything the mappings need in a HubSpot portal: custom properties (read or written) and the lists they name,
 * plus what they read but setup cannot create (HubSpot's own contact properties, `company.<name>` ones), which
 * setup only checks.
 */
export function hubspotSetupFor(
  mql: MqlDefinition,
  mapping: FieldMapping,
  taxonomy: RejectionTaxonomy,
  revenue?: RevenueConfig,
): HubSpotSetupSpec {
  const specs = new Map<string, PropertySpec>();
  const add = (spec: PropertySpec): void => {
    if (isCreatable(spec.name) && !specs.has(spec.name)) specs.set(spec.name, spec);
  };
  writeBackProperties(mapping, taxonomy).forEach(add);
  if (revenue) revenueProperties(revenue).forEach(add);
  for (const [name, kind] of definitionProperties(mql)) add(property(name, humanise(name), kind, 'Read by the MQL definition'));
  for (const [name, kind] of mappedProperties(mapping)) add(property(name, humanise(name), kind, 'Synced with the Salesforce Lead'));
  const lists = [...new Set([...nurtureLists(taxonomy), taxonomy.salesReadyList, ...(revenue ? revenueLists(revenue) : [])])];
  const read = [...definitionProperties(mql).keys(), ...mappedProperties(mapping).keys()];
  const { contact, company } = splitPropertyNames(read.filter((name) => !isCreatable(name)));
  return {
    properties: [...specs.values()].sort((a, b) => a.name.localeCompare(b.name)),
    lists,
    expected: { contacts: contact, companies: company },
  };
}

function writeBackProperties(mapping: FieldMapping, taxonomy: RejectionTaxonomy): PropertySpec[] {
  const hs = mapping.hubspot;
  const specs = [
    property(hs.salesforceIdProperty, 'Handoff: Salesforce Lead id', 'string', 'The Salesforce Lead this contact was handed to'),
    property(hs.rejectionNoteProperty, 'Handoff: rejection note', 'text', 'What the rep wrote when rejecting'),
    property(hs.rejectedAtProperty, 'Handoff: rejected at', 'datetime', 'When sales rejected the lead'),
    property(hs.rejectedByProperty, 'Handoff: rejected by', 'string', 'Salesforce user id of the rep who rejected the lead'),
    property(hs.recycleAfterProperty, 'Handoff: recycle after', 'date', 'The contact may be re-qualified from this date'),
    property(hs.sqlCriteriaProperty, 'Handoff: SQL criteria', 'string', 'The BANT criteria met when sales qualified the lead'),
    {
      ...property(
        hs.rejectionReasonProperty,
        'Handoff: rejection reason',
        'string',
        'Why sales rejected the lead (rejection-reasons.yaml)',
      ),
      type: 'enumeration' as const,
      fieldType: 'select' as const,
      options: taxonomy.reasons.map((r) => ({ label: r.label, value: r.code })),
    },
  ];
  if (hs.mqlScoreProperty) specs.push(property(hs.mqlScoreProperty, 'Handoff: MQL score', 'number', 'Score when handed to sales'));
  if (hs.definitionVersionProperty) {
    specs.push(
      property(hs.definitionVersionProperty, 'Handoff: MQL definition version', 'string', 'Definition version that qualified the contact'),
    );
  }
  return specs;
}

/** What a won deal writes on the contact (revenue.yaml); nothing while the follow-up is off. */
function revenueProperties(revenue: RevenueConfig): PropertySpec[] {
  if (!isFollowed(revenue)) return [];
  return [
    property(revenue.won.amountProperty, 'Handoff: won amount', 'number', "The Amount of the contact's won Salesforce Opportunity"),
    property(
      revenue.won.closeDateProperty,
      'Handoff: won close date',
      'date',
      "The Close Date of the contact's won Salesforce Opportunity",
    ),
  ];
}

function property(name: string, label: string, kind: Kind, description: string): PropertySpec {
  return {
    name,
    label,
    ...KIND_SPEC[kind],
    groupName: HANDOFF_PROPERTY_GROUP,
    description,
    ...(kind === 'bool' ? { options: BOOL_OPTIONS } : {}),
  };
}

/** Property → kind as the definition uses it: per-unit and numeric comparisons are numbers, isTrue is a yes/no. */
function definitionProperties(mql: MqlDefinition): Map<string, Kind> {
  const kinds = new Map<string, Kind>();
  const note = (name: string, kind: Kind): void => {
    if (kinds.get(name) === undefined || kinds.get(name) === 'string') kinds.set(name, kind);
  };
  const whens: When[] = [
    ...[...mql.fit, ...mql.behaviour].flatMap((r) => (r.when ? [r.when] : [])),
    ...[...mql.fastTrack, ...mql.exclusions].map((r) => r.when),
    ...mql.segments.flatMap((s) => (s.when ? [s.when] : [])),
  ];
  for (const c of whens.flatMap(conditionsOf)) note(c.property, conditionKind(c));
  for (const rule of [...mql.fit, ...mql.behaviour]) if (rule.perUnit) note(rule.perUnit.property, 'number');
  return kinds;
}

function conditionKind(c: Condition): Kind {
  if (['gt', 'gte', 'lt', 'lte', 'between'].includes(c.op)) return 'number';
  if (c.op === 'isTrue') return 'bool';
  const values = c.values ?? (c.value === undefined ? [] : [c.value]);
  if (values.length > 0 && values.every((v) => typeof v === 'number')) return 'number';
  if (values.length > 0 && values.every((v) => typeof v === 'boolean')) return 'bool';
  return 'string';
}

/** A mapped property's kind from the transform that makes its HubSpot value (reverse first, then forward). */
function mappedProperties(mapping: FieldMapping): Map<string, Kind> {
  const kinds = new Map<string, Kind>();
  for (const rule of mapping.fields) {
    const reverse = rule.direction === 'to_salesforce' ? undefined : typedKind(rule.reverseTransforms.at(-1));
    const forward = rule.direction === 'to_hubspot' ? undefined : typedKind(rule.transforms[0]);
    kinds.set(rule.hubspot, reverse ?? forward ?? 'string');
  }
  return kinds;
}

function typedKind(t: Transform | undefined): Kind | undefined {
  if (t === 'number' || t === 'integer') return 'number';
  if (t === 'boolean') return 'bool';
  if (t === 'date' || t === 'datetime') return t;
  return undefined;
}

/** `pricing_page_views` → `Pricing page views`. */
function humanise(name: string): string {
  const words = name.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
