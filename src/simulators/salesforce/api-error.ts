/** A whole-request failure, rendered the way Salesforce does: an array of { message, errorCode, fields? }. */
export class SimApiError extends Error {
  readonly status: number;
  readonly errorCode: string;
  readonly fields: string[] | undefined;
  constructor(status: number, errorCode: string, message: string, fields?: string[]) {
    super(message);
    this.name = 'SimApiError';
    this.status = status;
    this.errorCode = errorCode;
    this.fields = fields;
  }

  body(): Array<{ message: string; errorCode: string; fields?: string[] }> {
    return [{ message: this.message, errorCode: this.errorCode, ...(this.fields ? { fields: this.fields } : {}) }];
  }
}

/** One record's failure inside a collections result (note: `statusCode`, not `errorCode`). */
export interface RecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

export function notFound(): SimApiError {
  return new SimApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
}
