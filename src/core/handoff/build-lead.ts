import type { FieldMapping } from '../field-mapping/field-schema.ts';
import type { FieldValue } from '../field-mapping/transforms.ts';

export type LeadFields = Record<string, FieldValue>;

/** Where the handoff writes in Salesforce (the field mapping's `salesforce` part). */
export type SalesforceNames = FieldMapping['salesforce'];

/** What the MQL fields on a Lead say: the qualification that handed it off, and when. */
export interface MqlStamp {
  score: number;
  breakdown: string;
  definitionVersion: string;
  /** The handoff moment, recorded as the MQL date. */
  handedOffAt: Date;
}

/** The Lead records the handoff writes; every one is built by buildLead. */
export type LeadPlan =
  /** A qualified contact's Lead as decided: mapped fields, external id, MQL status and the MQL fields. */
  | { kind: 'mql'; contactId: string; mapped: LeadFields; status: string; mql: MqlStamp }
  /**
   * That Lead as sent to Salesforce: a fresh MQL carries no rejection from an earlier round, and the rep sees the
   * first-touch due time from the start (null: the SLA rule has no first-touch clock).
   */
  | { kind: 'sent'; lead: LeadFields; firstTouchDue: Date | null }
  /** A linked contact's mapped fields (update mode, no defaults) with the external id: never Status or MQL fields. */
  | { kind: 'update'; contactId: string; mapped: LeadFields }
  /** An open Lead nobody handed off, adopted: the contact's update fields plus the handoff's own fields, rep's Status kept. */
  | { kind: 'adopt'; update: LeadFields; sent: LeadFields };

/** Pure: the one place a Lead record is assembled from a decision, the mapping and the clocks. */
export function buildLead(plan: LeadPlan, sf: SalesforceNames): LeadFields {
  switch (plan.kind) {
    case 'mql':
      return {
        ...plan.mapped,
        [sf.externalIdField]: plan.contactId,
        [sf.statusField]: plan.status,
        [sf.fields.score]: plan.mql.score,
        [sf.fields.breakdown]: plan.mql.breakdown,
        [sf.fields.definitionVersion]: plan.mql.definitionVersion,
        [sf.fields.mqlDate]:
          sf.mqlDateType === 'date' ? plan.mql.handedOffAt.toISOString().slice(0, 10) : plan.mql.handedOffAt.toISOString(),
      };
    case 'sent':
      return {
        ...plan.lead,
        [sf.fields.rejectionReason]: null,
        [sf.fields.rejectionNote]: null,
        [sf.fields.slaDue]: plan.firstTouchDue?.toISOString() ?? null,
      };
    case 'update':
      return { ...plan.mapped, [sf.externalIdField]: plan.contactId };
    case 'adopt': {
      const record: LeadFields = { ...plan.update };
      for (const field of handoffFields(sf)) record[field] = plan.sent[field] ?? null;
      return record;
    }
  }
}

/** The fields an adopted Lead takes from the handoff (its Status and rejection fields stay the rep's). */
function handoffFields(sf: SalesforceNames): string[] {
  return [sf.externalIdField, sf.fields.score, sf.fields.breakdown, sf.fields.definitionVersion, sf.fields.mqlDate];
}

/**
 * A Lead to be created with the owner routing chose (a User or a queue: Lead.OwnerId is polymorphic). Sent with
 * Sforce-Auto-Assign: FALSE, so no assignment rule overrides it.
 */
export function withLeadOwner(lead: LeadFields, ownerId: string): LeadFields {
  return { ...lead, OwnerId: ownerId };
}

/** A Lead record addressed by its Salesforce Id, for an update. */
export function withLeadId(lead: LeadFields, leadId: string): LeadFields & { Id: string } {
  return { ...lead, Id: leadId };
}

/** The field values of a record without its Id (what the last-written store and write intents keep). */
export function withoutLeadId(record: LeadFields & { Id?: string }): LeadFields {
  const { Id: _id, ...rest } = record;
  return rest;
}
