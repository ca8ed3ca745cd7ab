/** What the rest of Handoff needs from Salesforce; the jsforce adapter and test doubles implement it. */

export interface RecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

/** One per input record, in input order. A failed record is a result, not an exception. */
export interface SaveResult {
  externalId?: string;
  id?: string;
  created?: boolean;
  success: boolean;
  errors: RecordError[];
}

export interface LeadMatch {
  id: string;
  email: string;
  externalId: string | null;
  isConverted: boolean;
  status: string;
}

export interface ContactMatch {
  id: string;
  email: string;
}

export interface EmailMatches {
  leads: LeadMatch[];
  contacts: ContactMatch[];
}

export interface QueryPage<T> {
  records: T[];
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
}

export interface FieldDescription {
  name: string;
  type: string;
  createable: boolean;
  updateable: boolean;
  externalId: boolean;
  picklistValues: string[];
}

export interface ObjectDescription {
  name: string;
  fields: FieldDescription[];
}

export interface ApiUsage {
  used: number;
  limit: number;
}

export interface SalesforcePort {
  findByEmails(emails: string[]): Promise<EmailMatches>;
  upsertLeads(records: Record<string, unknown>[], externalIdField: string): Promise<SaveResult[]>;
  updateRecords(object: string, records: Array<Record<string, unknown> & { Id: string }>): Promise<SaveResult[]>;
  createRecords(object: string, records: Record<string, unknown>[]): Promise<SaveResult[]>;
  query<T extends Record<string, unknown>>(soql: string, options?: { pageSize?: number }): Promise<T[]>;
  queryPage<T extends Record<string, unknown>>(soqlOrNextUrl: string, options?: { pageSize?: number }): Promise<QueryPage<T>>;
  describe(object: string): Promise<ObjectDescription>;
  /** Latest Sforce-Limit-Info seen, if any response carried one. */
  apiUsage(): ApiUsage | undefined;
}
