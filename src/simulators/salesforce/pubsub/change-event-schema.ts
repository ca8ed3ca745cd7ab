import avro from 'avsc';
import type { RecordChange } from '../store.ts';
import type { Row } from '../validate.ts';

const nullable = (type: unknown) => ({ type: ['null', type], default: null });
const strings = { type: 'array', items: 'string' };

/**
 * The ChangeEventHeader, field by field as "ChangeEventHeader Fields" (Change Data Capture Developer Guide) names
 * them; changeType is an enum of the operations and gap types listed there. Every change event schema shares it.
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

/** A record field an event carries, with the Avro type its (nullable) value has. */
export interface CarriedField {
  name: string;
  type: 'string' | 'boolean' | 'double';
}

/** Where one commit sits: its number, and the key and sequence the records saved in it share. */
export interface CommitInfo {
  commitNumber: number;
  transactionKey: string;
  sequenceNumber: number;
}

/** One entity's change event as the Pub/Sub API serves it: its Avro type, schema id and schema JSON. */
export interface ChangeEventSchema {
  entity: string;
  type: avro.Type;
  /** Salesforce's schema ids are opaque fingerprints of the schema; these are MD5 fingerprints, base64url. */
  schemaId: string;
  schemaJson: string;
  /** The event's record for one committed change. */
  record(change: RecordChange, commit: CommitInfo): Record<string, unknown>;
  encode(change: RecordChange, commit: CommitInfo): Buffer;
}

const SYSTEM_FIELDS = new Set(['SystemModstamp', 'LastModifiedById']);

/** Fields an update changed, LastModifiedDate included ("changedFields": the update's fields and LastModifiedDate). */
function changedFields(before: Row, after: Row): string[] {
  return Object.keys(after).filter((name) => !SYSTEM_FIELDS.has(name) && before[name] !== after[name]);
}

function fieldValue(value: unknown, type: CarriedField['type']): unknown {
  if (value === undefined || value === null) return null;
  if (type === 'string') return String(value);
  if (type === 'boolean') return Boolean(value);
  return Number(value);
}

/** The event's record: the header, and the carried fields that this change set (CDC sends only what changed). */
function eventRecord(entity: string, fields: CarriedField[], change: RecordChange, commit: CommitInfo): Record<string, unknown> {
  const changed = change.before ? changedFields(change.before, change.after) : [];
  const sent = change.changeType === 'CREATE' ? new Set(Object.keys(change.after)) : new Set(changed);
  const nulled = changed.filter((name) => change.after[name] === null || change.after[name] === undefined);
  const event: Record<string, unknown> = {
    ChangeEventHeader: {
      entityName: entity,
      recordIds: [String(change.after.Id)],
      changeType: change.changeType,
      changeOrigin: change.changeOrigin,
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
  for (const field of fields) event[field.name] = sent.has(field.name) ? fieldValue(change.after[field.name], field.type) : null;
  return event;
}

/** `<Entity>ChangeEvent` in namespace com.sforce.eventbus: the header, then each carried field as a nullable value. */
export function changeEventSchema(entity: string, fields: CarriedField[]): ChangeEventSchema {
  const type = avro.Type.forSchema({
    type: 'record',
    name: `${entity}ChangeEvent`,
    namespace: 'com.sforce.eventbus',
    fields: [
      { name: 'ChangeEventHeader', type: CHANGE_EVENT_HEADER },
      ...fields.map((field) => ({ name: field.name, ...nullable(field.type) })),
    ],
  } as avro.Schema);
  const record = (change: RecordChange, commit: CommitInfo) => eventRecord(entity, fields, change, commit);
  return {
    entity,
    type,
    schemaId: type.fingerprint('md5').toString('base64url'),
    schemaJson: JSON.stringify(type.schema()),
    record,
    encode: (change, commit) => type.toBuffer(record(change, commit)),
  };
}
