import type { HubSpotContact } from '../contact.ts';
import { formatBreakdown } from '../definitions/format-breakdown.ts';
import { type MqlResult, qualifyMql } from '../definitions/qualify-mql.ts';
import { type MappingProblemItem, toSalesforce } from '../field-mapping/apply-mapping.ts';
import type { MappingsBundle } from '../mappings/bundle.ts';
import { hubspotValuesFor, salesforceStatusFor } from '../status-map/status-map.ts';
import { buildLead, type LeadFields } from './build-lead.ts';

export type { LeadFields } from './build-lead.ts';

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
  const lead = buildLead(
    {
      kind: 'mql',
      contactId: contact.id,
      mapped: mapped.fields,
      status: salesforceStatusFor('mql', bundle.statusMap),
      mql: {
        score: qualification.score,
        breakdown: formatBreakdown(qualification),
        definitionVersion: qualification.version,
        handedOffAt: now,
      },
    },
    bundle.fieldMapping.salesforce,
  );
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
  const lead = buildLead({ kind: 'update', contactId: contact.id, mapped: mapped.fields }, bundle.fieldMapping.salesforce);
  return { lead, mappingProblems: mapped.problems };
}
