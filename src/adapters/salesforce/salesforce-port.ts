import type { ProviderError } from '../../errors.ts';

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
  /** The Lead's owner right after the write (createLeads with readOwners). */
  ownerId?: string;
}

export interface LeadMatch {
  id: string;
  email: string;
  externalId: string | null;
  isConverted: boolean;
  /** The Contact a converted Lead became; null while it is open. */
  convertedContactId: string | null;
  status: string;
}

/**
 * Who a created Lead goes to (REST API Developer Guide, "Assignment Rule Header"): the org's active lead assignment
 * rule (TRUE), no rule so the Lead keeps the owner we send or the integration user (FALSE), or one named rule by
 * its id. Only creates choose: every update sends FALSE, so a Lead a rep owns is never re-routed by our writes.
 */
export type LeadAssignment = { kind: 'active-rule' } | { kind: 'none' } | { kind: 'rule'; ruleId: string };

export interface ContactMatch {
  id: string;
  email: string;
}

export interface EmailMatches {
  leads: LeadMatch[];
  contacts: ContactMatch[];
  /** With `accountDomains` asked: the Accounts whose website holds one of them, and their owners (routing). */
  accounts?: AccountOwner[];
}

export interface AccountOwner {
  accountId: string;
  accountName: string;
  ownerId: string;
  /** The asked domain the account's website matched. */
  domain: string;
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
  /** Active picklist values only. */
  picklistValues: string[];
  /** What the org shows (REST API "sObject Describe": label, nillable, length, picklistValues[].label). */
  label?: string;
  nillable?: boolean;
  length?: number;
  picklistLabels?: Record<string, string>;
}

export interface ObjectDescription {
  name: string;
  fields: FieldDescription[];
}

/** One input's answer from the custom notification action. */
export type NotificationSendResult = { ok: true } | { ok: false; error: ProviderError };

export interface ApiUsage {
  used: number;
  limit: number;
}

/** One custom notification (Actions Developer Guide, "Custom Notification Actions"): title ≤ 250, body ≤ 750 characters. */
export interface CustomNotificationInput {
  notificationTypeId: string;
  recipientIds: string[];
  title: string;
  body: string;
  targetId: string;
}

export interface SalesforcePort {
  /**
   * Open Leads and Contacts with these e-mails; with `accountDomains`, also the Accounts routing looks up by domain,
   * asked in the same composite requests (no extra call while they fit).
   */
  findByEmails(emails: string[], options?: { accountDomains?: string[] }): Promise<EmailMatches>;
  /**
   * Creates Leads (never touches an existing one), owners given per `assignment`. With `readOwners`, each create
   * travels with a query of the Leads' owners by external id in one composite request, and every result carries
   * `ownerId`: the owner the assignment chose, or, for a create refused because the Lead already exists, its owner.
   */
  createLeads(records: Record<string, unknown>[], assignment: LeadAssignment, options?: { readOwners?: boolean }): Promise<SaveResult[]>;
  /** Upsert by external id: a record that hits an existing Lead is an update, so pass `{ kind: 'none' }` unless it cannot. */
  upsertLeads(records: Record<string, unknown>[], externalIdField: string, assignment: LeadAssignment): Promise<SaveResult[]>;
  /** Updates by Id; always without assignment rules (Sforce-Auto-Assign: FALSE). */
  updateRecords(object: string, records: Array<Record<string, unknown> & { Id: string }>): Promise<SaveResult[]>;
  /** Creates records of other objects (Tasks); without assignment rules. Leads are created with createLeads. */
  createRecords(object: string, records: Record<string, unknown>[]): Promise<SaveResult[]>;
  query<T extends Record<string, unknown>>(soql: string, options?: { pageSize?: number }): Promise<T[]>;
  queryPage<T extends Record<string, unknown>>(soqlOrNextUrl: string, options?: { pageSize?: number }): Promise<QueryPage<T>>;
  describe(object: string): Promise<ObjectDescription>;
  /** Sends one custom notification; a refusal in the action's answer is a ProviderError with Salesforce's message. */
  sendCustomNotification(input: CustomNotificationInput): Promise<void>;
  /**
   * Sends several custom notifications in as few calls as possible (the action takes a list of inputs), answering
   * each input's result in order: a refused input is its own ProviderError, never the others'. A whole call that
   * fails throws.
   */
  sendCustomNotifications(inputs: CustomNotificationInput[]): Promise<NotificationSendResult[]>;
  /** The Id of the CustomNotificationType with this DeveloperName, or undefined when the org has none. */
  customNotificationTypeId(developerName: string): Promise<string | undefined>;
  /** Latest Sforce-Limit-Info seen, if any response carried one. */
  apiUsage(): ApiUsage | undefined;
  /**
   * The User Id our calls run as (the integration user), known once a call has logged in; what a record's
   * LastModifiedById holds after a write of ours. Local, not an API call.
   */
  integrationUserId(): string | undefined;
}
