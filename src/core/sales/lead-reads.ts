import { MAPPING_FILES, type MappingsBundle } from '../mappings/bundle.ts';
import { LEAD_SYSTEM_FIELDS } from '../mappings/cross-checks.ts';
import { SLA_LEAD_FIELDS } from '../sla/first-touch.ts';
import type { FirstTouchDetector, SlaRules } from '../sla/sla-schema.ts';
import { BANT_CRITERIA } from './sql-schema.ts';

/**
 * Which Lead fields the sales-side poll may read, given the fields the org's describe lists. A SOQL query
 * naming a field the org lacks fails as a whole (400 INVALID_FIELD "No such column"), so a missing field is
 * left out of the select list and said as a problem with its fix, instead of failing every poll round.
 */

/** Why the poll reads a field: this decides what is lost without it, and the fix. */
type Purpose =
  | { kind: 'poll' }
  | { kind: 'package'; key: string }
  | { kind: 'bant'; criterion: string }
  | { kind: 'mapping' }
  | { kind: 'slaDetector'; detector: FirstTouchDetector };

export interface LeadReadNeed {
  /** Every field this use reads; those the org has are still read when others are missing. */
  fields: string[];
  file: string;
  path: string;
  purpose: Purpose;
}

/** A use whose fields the org lacks. `essential`: the poll cannot run at all without them. */
export interface MissingLeadFields {
  file: string;
  path: string;
  fields: string[];
  essential: boolean;
  message: string;
}

export interface LeadReadPlan {
  /** The select list: every wanted field the org has, once each (SOQL names are case-insensitive). */
  fields: string[];
  missing: MissingLeadFields[];
}

/** Detectors and the standard Lead fields they read (see detectFirstTouch). */
const DETECTOR_FIELDS: Record<FirstTouchDetector, string[]> = {
  statusLeavesInitial: [],
  firstCallOrEmail: [SLA_LEAD_FIELDS.firstCall, SLA_LEAD_FIELDS.firstEmail],
  activityLogged: [SLA_LEAD_FIELDS.lastActivity],
};

/** What the poll reads and why, in select-list order. */
function leadReadNeeds(bundle: MappingsBundle): LeadReadNeed[] {
  const file = MAPPING_FILES.fieldMapping;
  const sf = bundle.fieldMapping.salesforce;
  const poll: Purpose = { kind: 'poll' };
  const [id = 'Id', ...system] = LEAD_SYSTEM_FIELDS;
  const needs: LeadReadNeed[] = [
    { fields: [id], file: 'Salesforce', path: 'Lead', purpose: poll },
    { fields: [sf.statusField], file, path: 'salesforce.statusField', purpose: poll },
    ...system.map((name): LeadReadNeed => ({ fields: [name], file: 'Salesforce', path: 'Lead', purpose: poll })),
    { fields: [sf.externalIdField], file, path: 'salesforce.externalIdField', purpose: poll },
    ...(['rejectionReason', 'rejectionNote', 'syncStatus'] as const).map((key) => packageNeed(sf.fields[key], key)),
    ...BANT_CRITERIA.map(
      (criterion): LeadReadNeed => ({
        fields: [bundle.sql.criteria[criterion].field],
        file: MAPPING_FILES.sql,
        path: `criteria.${criterion}.field`,
        purpose: { kind: 'bant', criterion },
      }),
    ),
    ...bundle.fieldMapping.fields.flatMap((rule, i): LeadReadNeed[] =>
      rule.direction === 'to_salesforce'
        ? []
        : [{ fields: [rule.salesforce], file, path: `fields[${i}].salesforce`, purpose: { kind: 'mapping' } }],
    ),
    ...slaDetectorNeeds(bundle.sla),
    packageNeed(sf.fields.slaDue, 'slaDue'),
  ];
  return needs;
}

function packageNeed(field: string, key: string): LeadReadNeed {
  return { fields: [field], file: MAPPING_FILES.fieldMapping, path: `salesforce.fields.${key}`, purpose: { kind: 'package', key } };
}

function slaDetectorNeeds(sla: SlaRules): LeadReadNeed[] {
  return sla.firstTouch.detectBy.flatMap((detector, i): LeadReadNeed[] => {
    const fields = DETECTOR_FIELDS[detector];
    return fields.length === 0
      ? []
      : [{ fields, file: MAPPING_FILES.sla, path: `firstTouch.detectBy[${i}]`, purpose: { kind: 'slaDetector', detector } }];
  });
}

/** The select list for the org's fields (any case), and every use that lacks a field. */
export function planLeadReads(bundle: MappingsBundle, orgFields: Iterable<string>): LeadReadPlan {
  return planFor(leadReadNeeds(bundle), orgFields);
}

/** The SLA detectors' missing fields alone: live validation already checks the other uses field by field. */
export function missingSlaDetectorFields(sla: SlaRules, orgFields: Iterable<string>): MissingLeadFields[] {
  return planFor(slaDetectorNeeds(sla), orgFields).missing;
}

function planFor(needs: LeadReadNeed[], orgFields: Iterable<string>): LeadReadPlan {
  const has = new Set([...orgFields].map((name) => name.toLowerCase()));
  const seen = new Set<string>();
  const fields: string[] = [];
  const missing: MissingLeadFields[] = [];
  for (const need of needs) {
    const lacking = need.fields.filter((name) => !has.has(name.toLowerCase()));
    if (lacking.length > 0) missing.push(missingFor(need, lacking));
    for (const name of need.fields) {
      const key = name.toLowerCase();
      if (!has.has(key) || seen.has(key)) continue;
      seen.add(key);
      fields.push(name);
    }
  }
  return { fields, missing };
}

function missingFor(need: LeadReadNeed, lacking: string[]): MissingLeadFields {
  const names = lacking.map((name) => `Lead.${name}`).join(' and ');
  const base = { file: need.file, path: need.path, fields: lacking };
  const purpose = need.purpose;
  switch (purpose.kind) {
    case 'poll':
      return {
        ...base,
        essential: true,
        message: `${names} cannot be read (missing, or hidden from the integration user by field-level security): the Salesforce poll cannot run without it; ${need.file === 'Salesforce' ? 'grant the integration user read access to it' : `deploy salesforce-metadata/ or correct ${need.path}`}`,
      };
    case 'package':
      return {
        ...base,
        essential: false,
        message: `${names} does not exist, so the poll reads Leads without it; deploy salesforce-metadata/ or correct ${need.path}`,
      };
    case 'bant':
      return {
        ...base,
        essential: false,
        message: `${names} does not exist: the BANT criterion ${purpose.criterion} counts as not met until it does; create the field or name another in ${need.path}`,
      };
    case 'mapping':
      return {
        ...base,
        essential: false,
        message: `${names} does not exist: it is not copied back to HubSpot; create the field or correct ${need.path}`,
      };
    case 'slaDetector':
      return { ...base, essential: false, message: detectorMessage(purpose.detector, names) };
  }
}

function detectorMessage(detector: FirstTouchDetector, names: string): string {
  if (detector === 'firstCallOrEmail') {
    return `firstCallOrEmail needs ${names}, which ${names.includes(' and ') ? 'exist' : 'exists'} only with Sales Engagement (High Velocity Sales): enable Sales Engagement in the org or remove firstCallOrEmail from firstTouch.detectBy`;
  }
  return `${detector} needs ${names}, which the integration user cannot read: grant read access to it or remove ${detector} from firstTouch.detectBy`;
}
