import type { HubSpotContact } from '../contact.ts';
import { formatBreakdown } from '../definitions/format-breakdown.ts';
import { qualifyMql, type MqlResult } from '../definitions/qualify-mql.ts';
import { toSalesforce, type MappingProblemItem } from '../mapping/apply-mapping.ts';
import type { FieldValue } from '../mapping/transforms.ts';
import type { MappingsBundle } from '../mappings/bundle.ts';
import { hubspotValuesFor, salesforceStatusFor } from '../status-map/status-map.ts';

export type LeadFields = Record<string, FieldValue>;

export type HandoffDecision =
  | {
      action: 'handoff';
      qualification: MqlResult;
      /** Upsert body for the Lead, keyed by the external id field (= HubSpot contact id). */
      lead: LeadFields;
      /** HubSpot properties marking the contact as an MQL. */
      hubspotUpdate: Record<string, string>;
      /** Non-blocking problems (a value a transform could not convert was left out). */
      mappingProblems: MappingProblemItem[];
    }
  | { action: 'skip'; qualification: MqlResult; reasons: string[]; mappingProblems: MappingProblemItem[] };

/**
 * Decides whether a contact is handed to sales now. Pure: `now` is the MQL date recorded on the Lead.
 * Skips when the contact does not qualify, or when a required Salesforce field would be empty.
 */
export function decideHandoff(contact: HubSpotContact, bundle: MappingsBundle, now: Date): HandoffDecision {
  const qualification = qualifyMql(contact, bundle.mql);
  if (!qualification.qualified) {
    return { action: 'skip', qualification, reasons: qualification.reasons, mappingProblems: [] };
  }
  const mapped = toSalesforce(contact, bundle.fieldMapping, { mode: 'create' });
  const blocking = mapped.problems.filter((p) => p.blocking);
  if (blocking.length > 0) {
    const reasons = blocking.map((p) => `Cannot create the Lead: ${p.message}`);
    return { action: 'skip', qualification, reasons, mappingProblems: mapped.problems };
  }
  const sf = bundle.fieldMapping.salesforce;
  const lead: LeadFields = {
    ...mapped.fields,
    [sf.externalIdField]: contact.id,
    [sf.statusField]: salesforceStatusFor('mql', bundle.statusMap),
    [sf.fields.score]: qualification.score,
    [sf.fields.breakdown]: formatBreakdown(qualification),
    [sf.fields.definitionVersion]: qualification.version,
    [sf.fields.mqlDate]: sf.mqlDateType === 'date' ? now.toISOString().slice(0, 10) : now.toISOString(),
  };
  const hubspotUpdate = { ...hubspotValuesFor('mql', bundle.statusMap) };
  return { action: 'handoff', qualification, lead, hubspotUpdate, mappingProblems: mapped.problems };
}

export interface LeadUpdate {
  /** Only mapped to_salesforce/both fields plus the external id: never Status, score or MQL date. */
  lead: LeadFields;
  mappingProblems: MappingProblemItem[];
}

/**
 * Field changes for a contact already handed off. Status, score, breakdown and MQL date belong to the
 * handoff moment and are left alone; defaults are not applied so a rep's edit in Salesforce survives.
 */
export function decideLeadUpdate(contact: HubSpotContact, bundle: MappingsBundle): LeadUpdate {
  const mapped = toSalesforce(contact, bundle.fieldMapping, { mode: 'update' });
  const lead: LeadFields = { ...mapped.fields, [bundle.fieldMapping.salesforce.externalIdField]: contact.id };
  return { lead, mappingProblems: mapped.problems };
}
