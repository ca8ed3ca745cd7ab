import type { ChangeEventHeaderView } from '../../../core/sales/change-events/change-event-types.ts';

/**
 * One Change Data Capture event, decoded with the schema it was written with. The header fields are Salesforce's
 * ("ChangeEventHeader Fields", Change Data Capture Developer Guide); `fields` is the rest of the record.
 *
 * Left out on purpose: changedFields, diffFields and nulledFields. Over the Pub/Sub API they arrive as bitmaps, hex
 * strings whose set bits point at field positions in the Avro schema ("Event Deserialization Considerations",
 * Pub/Sub API Developer Guide), not as field names. We do not need them: the service re-reads every changed record
 * and decides from the record as it is now, so which fields moved does not matter here.
 */
export interface ChangeEvent extends ChangeEventHeaderView {
  /** The event's position in the stream; opaque, kept to resume after it. */
  replayId: Buffer;
  transactionKey: string;
  sequenceNumber: number;
  /** The record's fields as the event carries them: on an update, unchanged fields are null. */
  fields: Record<string, unknown>;
}

const HEADER = 'ChangeEventHeader';

const text = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

/** Builds a ChangeEvent from an Avro-decoded record; undefined when the record has no ChangeEventHeader. */
export function toChangeEvent(record: Record<string, unknown>, replayId: Buffer): ChangeEvent | undefined {
  const header = record[HEADER];
  if (typeof header !== 'object' || header === null) return undefined;
  const h = header as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record)) if (name !== HEADER) fields[name] = value;
  return {
    replayId,
    entityName: text(h.entityName),
    changeType: text(h.changeType),
    recordIds: Array.isArray(h.recordIds) ? h.recordIds.map(text) : [],
    commitUser: text(h.commitUser),
    commitTimestamp: Number(h.commitTimestamp),
    changeOrigin: text(h.changeOrigin),
    transactionKey: text(h.transactionKey),
    sequenceNumber: Number(h.sequenceNumber),
    fields,
  };
}
