import type { RecordChange } from '../store.ts';
import { type CarriedField, type CommitInfo, changeEventSchema } from './change-event-schema.ts';

export type { CommitInfo } from './change-event-schema.ts';

export const LEAD_CHANGE_TOPIC = '/data/LeadChangeEvent';

/** Lead fields the event carries: set on create, changed on update, else null (CDC sends only what changed). */
const LEAD_FIELDS: CarriedField[] = [
  { name: 'FirstName', type: 'string' },
  { name: 'LastName', type: 'string' },
  { name: 'Company', type: 'string' },
  { name: 'Email', type: 'string' },
  { name: 'Status', type: 'string' },
  { name: 'OwnerId', type: 'string' },
  { name: 'IsConverted', type: 'boolean' },
  { name: 'Rejection_Reason__c', type: 'string' },
  { name: 'Handoff_HubSpot_Id__c', type: 'string' },
  { name: 'MQL_Score__c', type: 'double' },
  { name: 'LastModifiedDate', type: 'string' },
];

export const LEAD_CHANGE = changeEventSchema('Lead', LEAD_FIELDS);
export const LEAD_CHANGE_EVENT_TYPE = LEAD_CHANGE.type;
export const LEAD_CHANGE_SCHEMA_ID = LEAD_CHANGE.schemaId;
export const LEAD_CHANGE_SCHEMA_JSON = LEAD_CHANGE.schemaJson;

/** The event's record: the header, and the carried fields that this change set. */
export function leadChangeEvent(change: RecordChange, commit: CommitInfo): Record<string, unknown> {
  return LEAD_CHANGE.record(change, commit);
}

export function encodeLeadChange(event: Record<string, unknown>): Buffer {
  return LEAD_CHANGE_EVENT_TYPE.toBuffer(event);
}
