import type { RecordError, SaveResult } from './salesforce-port.ts';

/** One record's answer from an sObject Collections write, as Salesforce sends it. */
export interface RawSaveResult {
  id?: string | null;
  success: boolean;
  created?: boolean;
  errors?: Array<Partial<RecordError>>;
}

/** Salesforce's answer for one record, in the port's shape; a missing answer is a failure, never a silent success. */
export function toSaveResult(raw: RawSaveResult | undefined, externalId?: string): SaveResult {
  const errors = (raw?.errors ?? []).map((e) => ({
    statusCode: e.statusCode ?? 'UNKNOWN',
    message: e.message ?? '',
    fields: e.fields ?? [],
  }));
  return {
    ...(externalId !== undefined ? { externalId } : {}),
    ...(raw?.id ? { id: raw.id } : {}),
    ...(raw?.created !== undefined ? { created: raw.created } : {}),
    success: raw?.success === true,
    errors: raw ? errors : [{ statusCode: 'NO_RESULT', message: 'Salesforce returned no result for this record', fields: [] }],
  };
}
