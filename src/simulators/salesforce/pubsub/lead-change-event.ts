import avro from 'avsc';
import type { RecordChange } from '../store.ts';
import type { Row } from '../validate.ts';

export const LEAD_CHANGE_TOPIC = '/data/LeadChangeEvent';

const nullable = (type: unknown) => ({ type: ['null', type], default: null });
const strings = { type: 'array', items: 'string' };

/**
 * The ChangeEventHeader, field by field as "ChangeEventHeader Fields" (Change Data Capture Developer Guide) names
 * them; changeType is an enum of the operations and gap types listed there.
 */
const CHANGE_EVENT_HEADER = {
  type: 'record',
  name: 'ChangeEventHeader',
  fields: [
    { name: 'entityName', type: 'string' },
    { name: 'recordIds', type: strings },
    {
      name: 'changeType',
      type: {
        type: 'enum',
        name: 'ChangeType',
        symbols: ['CREATE', 'UPDATE', 'DELETE', 'UNDELETE', 'GAP_CREATE', 'GAP_UPDATE', 'GAP_DELETE', 'GAP_UNDELETE', 'GAP_OVERFLOW'],
      },
    },
    { name: 'changeOrigin', type: 'string' },
    { name: 'transactionKey', type: 'string' },
    { name: 'sequenceNumber', type: 'int' },
    { name: 'commitTimestamp', type: 'long' },
    { name: 'commitNumber', type: 'long' },
    { name: 'commitUser', type: 'string' },
    { name: 'nulledFields', type: strings },
    { name: 'diffFields', type: strings },
    { name: 'changedFields', type: strings },
  ],
};

/** Lead fields the event carries: set on create, changed on update, else null (CDC sends only what changed). */
const LEAD_FIELDS: Array<{ name: string; type: 'string' | 'boolean' | 'double' }> = [
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

export const LEAD_CHANGE_EVENT_TYPE = avro.Type.forSchema({
  type: 'record',
  name: 'LeadChangeEvent',
  namespace: 'com.sforce.eventbus',
  fields: [
    { name: 'ChangeEventHeader', type: CHANGE_EVENT_HEADER },
    ...LEAD_FIELDS.map((field) => ({ name: field.name, ...nullable(field.type) })),
  ],
} as avro.Schema);

/** Salesforce's schema ids are opaque fingerprints of the schema; this one is the MD5 fingerprint, base64url. */
export const LEAD_CHANGE_SCHEMA_ID = LEAD_CHANGE_EVENT_TYPE.fingerprint('md5').toString('base64url');
export const LEAD_CHANGE_SCHEMA_JSON = JSON.stringify(LEAD_CHANGE_EVENT_TYPE.schema());

/** Where one commit sits: its number, and the key and sequence the records saved in it share. */
export interface CommitInfo {
  commitNumber: number;
  transactionKey: string;
  sequenceNumber: number;
}

const SYSTEM_FIELDS = new Set(['SystemModstamp', 'LastModifiedById']);

/** Fields an update changed, LastModifiedDate included ("changedFields": the update's fields and LastModifiedDate). */
function changedFields(before: Row, after: Row): string[] {
  return Object.keys(after).filter((name) => !SYSTEM_FIELDS.has(name) && before[name] !== after[name]);
}

function fieldValue(value: unknown, type: 'string' | 'boolean' | 'double'): unknown {
  if (value === undefined || value === null) return null;
  if (type === 'string') return String(value);
  if (type === 'boolean') return Boolean(value);
  return Number(value);
}

/** The event's record: the header, and the carried fields that this change set. */
export function leadChangeEvent(change: RecordChange, commit: CommitInfo): Record<string, unknown> {
  const changed = change.before ? changedFields(change.before, change.after) : [];
  const sent = change.changeType === 'CREATE' ? new Set(Object.keys(change.after)) : new Set(changed);
  const nulled = changed.filter((name) => change.after[name] === null || change.after[name] === undefined);
  const event: Record<string, unknown> = {
    ChangeEventHeader: {
      entityName: 'Lead',
      recordIds: [String(change.after.Id)],
      changeType: change.changeType,
      // The simulator does not know which API or client made the save, so the origin stays empty.
      changeOrigin: '',
      transactionKey: commit.transactionKey,
      sequenceNumber: commit.sequenceNumber,
      commitTimestamp: Date.parse(String(change.after.SystemModstamp)),
      commitNumber: commit.commitNumber,
      commitUser: change.userId,
      nulledFields: nulled,
      diffFields: [],
      changedFields: changed,
    },
  };
  for (const field of LEAD_FIELDS) {
    event[field.name] = sent.has(field.name) ? fieldValue(change.after[field.name], field.type) : null;
  }
  return event;
}

export function encodeLeadChange(event: Record<string, unknown>): Buffer {
  return LEAD_CHANGE_EVENT_TYPE.toBuffer(event);
}
