import type { Priority } from '../../core/budget/priority.ts';
import { withoutNul } from '../../core/storable-text.ts';
import {
  createSalesforceClient,
  type HttpCall,
  type PubSubCredentials,
  type SalesforceAdapterOptions,
  type SalesforceClient,
} from './client.ts';
import { findByEmails as findByEmailsInComposites } from './email-match.ts';
import { createLeadsReadingOwners } from './lead-create.ts';
import { SALESFORCE_LIMITS } from './limits.ts';
import { customNotificationTypeId, sendCustomNotification, sendCustomNotifications } from './notification-api.ts';
import type {
  CustomNotificationInput,
  EmailMatches,
  FieldDescription,
  LeadAssignment,
  ObjectDescription,
  QueryPage,
  SalesforcePort,
  SaveResult,
} from './salesforce-port.ts';
import { type RawSaveResult, toSaveResult } from './save-results.ts';
import { chunk, soqlName } from './soql.ts';

export type { PubSubCredentials, SalesforceAdapterOptions } from './client.ts';

const DEFAULT_LEAD_EXTERNAL_ID = 'Handoff_HubSpot_Id__c';

interface RawQueryResult<T> {
  records: Array<T & { attributes?: unknown }>;
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
}

/** Sforce-Query-Options batchSize must be within 200..2,000 (Salesforce query options header rule). */
function queryHeaders(pageSize: number | undefined): Record<string, string> {
  if (pageSize === undefined) return {};
  const { min, max } = SALESFORCE_LIMITS.queryBatch;
  return { [SALESFORCE_LIMITS.queryOptionsHeader]: `batchSize=${Math.min(max, Math.max(min, Math.floor(pageSize)))}` };
}

/** A queried record without its `attributes`, its text storable in PostgreSQL (see withoutNul). */
function withoutAttributes<T>(record: T & { attributes?: unknown }): T {
  const { attributes: _attributes, ...rest } = record;
  return withoutNul(rest) as T;
}

/** The Assignment Rule header for a Lead create or upsert, as chosen; see SALESFORCE_LIMITS.assignmentRuleHeader. */
function assignmentHeader(assignment: LeadAssignment): Record<string, string> {
  const { name, activeRule, noRule } = SALESFORCE_LIMITS.assignmentRuleHeader;
  const value = assignment.kind === 'active-rule' ? activeRule : assignment.kind === 'none' ? noRule : assignment.ruleId;
  return { [name]: value };
}

/** Every write that is not a Lead create: no assignment rule runs, so no owner a rep holds ever changes. */
const NO_ASSIGNMENT = assignmentHeader({ kind: 'none' });

/** Runs one collections call per ≤200 records, in order, and lines results up with inputs. */
async function inCollections<R>(
  records: R[],
  send: (batch: R[]) => Promise<RawSaveResult[]>,
  label: (record: R) => string | undefined,
): Promise<SaveResult[]> {
  const results: SaveResult[] = [];
  for (const batch of chunk(records, SALESFORCE_LIMITS.collectionBatchSize)) {
    const raw = await send(batch);
    batch.forEach((record, index) => {
      results.push(toSaveResult(raw[index], label(record)));
    });
  }
  return results;
}

/** The port plus views of the same connection and budget at another priority (a backfill passes `bulk`). */
export interface SalesforceAdapter extends SalesforcePort {
  readonly priority: Priority;
  withPriority(priority: Priority): SalesforceAdapter;
  /** The org's instance URL (after login: the one Salesforce answered), for links to records. */
  instanceUrl(): string;
  /** The Pub/Sub API's credentials from this connection's login (see SalesforceClient.pubSubCredentials). */
  pubSubCredentials(): Promise<PubSubCredentials>;
  /** A new access token now, for the Pub/Sub client after an UNAUTHENTICATED answer. */
  renewAccessToken(): Promise<void>;
}

/** One field of an sObject Describe answer (REST API "sObject Describe"), as the ports use it. */
function describedField(f: Record<string, unknown>): FieldDescription {
  const picklist = ((f.picklistValues ?? []) as Array<{ value: string; label?: string; active?: boolean }>).filter(
    (p) => p.active !== false,
  );
  return {
    name: String(f.name),
    type: String(f.type),
    createable: f.createable === true,
    updateable: f.updateable === true,
    externalId: f.externalId === true,
    picklistValues: picklist.map((p) => p.value),
    ...(typeof f.label === 'string' ? { label: f.label } : {}),
    ...(typeof f.nillable === 'boolean' ? { nillable: f.nillable } : {}),
    ...(typeof f.length === 'number' ? { length: f.length } : {}),
    ...(picklist.length > 0 ? { picklistLabels: Object.fromEntries(picklist.map((p) => [p.value, p.label ?? p.value])) } : {}),
  };
}

export function createSalesforceAdapter(options: SalesforceAdapterOptions): SalesforceAdapter {
  const client = createSalesforceClient(options);
  const leadExternalId = soqlName(options.leadExternalIdField ?? DEFAULT_LEAD_EXTERNAL_ID);
  const build = (priority: Priority): SalesforceAdapter => ({
    ...portMethods(client, priority, leadExternalId),
    priority,
    withPriority: build,
    instanceUrl: () => client.instanceUrl(),
    pubSubCredentials: () => client.pubSubCredentials(),
    renewAccessToken: () => client.renewAccessToken(),
  });
  return build(options.priority ?? 'sync');
}

/** Every port method, each HTTP request sent at `priority`. */
function portMethods(client: SalesforceClient, priority: Priority, leadExternalId: string): SalesforcePort {
  const base = `/services/data/v${client.apiVersion}`;
  const send = <T>(operation: string, call: HttpCall): Promise<T> => client.send<T>(operation, call, priority);

  const queryPage = async <T extends Record<string, unknown>>(
    soqlOrNextUrl: string,
    pageOptions: { pageSize?: number } = {},
  ): Promise<QueryPage<T>> => {
    const url = soqlOrNextUrl.startsWith('/services/data/') ? soqlOrNextUrl : `${base}/query?q=${encodeURIComponent(soqlOrNextUrl)}`;
    const raw = await send<RawQueryResult<T>>('salesforce.query', { method: 'GET', url, headers: queryHeaders(pageOptions.pageSize) });
    return {
      records: raw.records.map((record) => withoutAttributes<T>(record)),
      totalSize: raw.totalSize,
      done: raw.done,
      ...(raw.nextRecordsUrl ? { nextRecordsUrl: raw.nextRecordsUrl } : {}),
    };
  };

  const query = async <T extends Record<string, unknown>>(soql: string, queryOptions: { pageSize?: number } = {}): Promise<T[]> => {
    const records: T[] = [];
    let page = await queryPage<T>(soql, queryOptions);
    records.push(...page.records);
    while (!page.done && page.nextRecordsUrl) {
      page = await queryPage<T>(page.nextRecordsUrl, queryOptions);
      records.push(...page.records);
    }
    return records;
  };

  const findByEmails = (emails: string[], options: { accountDomains?: string[] } = {}): Promise<EmailMatches> =>
    findByEmailsInComposites({ send, base, leadExternalId, queryPage: (next) => queryPage(next) }, emails, options);

  const createLeads = (
    records: Record<string, unknown>[],
    assignment: LeadAssignment,
    options: { readOwners?: boolean } = {},
  ): Promise<SaveResult[]> =>
    options.readOwners
      ? createLeadsReadingOwners({ send, base, leadExternalId }, records, assignmentHeader(assignment))
      : inCollections(
          records,
          (batch) =>
            send<RawSaveResult[]>('salesforce.createLeads', {
              method: 'POST',
              url: `${base}/composite/sobjects`,
              headers: assignmentHeader(assignment),
              body: { allOrNone: false, records: batch.map((r) => ({ attributes: { type: 'Lead' }, ...r })) },
            }),
          () => undefined,
        );

  const upsertLeads = (records: Record<string, unknown>[], externalIdField: string, assignment: LeadAssignment): Promise<SaveResult[]> => {
    const field = soqlName(externalIdField);
    return inCollections(
      records,
      (batch) =>
        send<RawSaveResult[]>('salesforce.upsertLeads', {
          method: 'PATCH',
          url: `${base}/composite/sobjects/Lead/${field}`,
          headers: assignmentHeader(assignment),
          body: { allOrNone: false, records: batch.map((r) => ({ attributes: { type: 'Lead' }, ...r })) },
        }),
      (record) => (record[field] === undefined || record[field] === null ? undefined : String(record[field])),
    );
  };

  const updateRecords = (object: string, records: Array<Record<string, unknown> & { Id: string }>): Promise<SaveResult[]> => {
    const type = soqlName(object);
    return inCollections(
      records,
      (batch) =>
        send<RawSaveResult[]>('salesforce.updateRecords', {
          method: 'PATCH',
          url: `${base}/composite/sobjects`,
          headers: NO_ASSIGNMENT,
          body: { allOrNone: false, records: batch.map((r) => ({ attributes: { type }, ...r })) },
        }),
      () => undefined,
    );
  };

  const createRecords = (object: string, records: Record<string, unknown>[]): Promise<SaveResult[]> => {
    const type = soqlName(object);
    return inCollections(
      records,
      (batch) =>
        send<RawSaveResult[]>('salesforce.createRecords', {
          method: 'POST',
          url: `${base}/composite/sobjects`,
          headers: NO_ASSIGNMENT,
          body: { allOrNone: false, records: batch.map((r) => ({ attributes: { type }, ...r })) },
        }),
      () => undefined,
    );
  };

  const describe = async (object: string): Promise<ObjectDescription> => {
    const raw = await send<{ name: string; fields: Array<Record<string, unknown>> }>('salesforce.describe', {
      method: 'GET',
      url: `${base}/sobjects/${soqlName(object)}/describe`,
    });
    return {
      name: raw.name,
      fields: raw.fields.map((f) => describedField(f)),
    };
  };

  return {
    findByEmails,
    createLeads,
    upsertLeads,
    updateRecords,
    createRecords,
    query,
    queryPage,
    describe,
    sendCustomNotification: (input: CustomNotificationInput) => sendCustomNotification(send, base, input),
    sendCustomNotifications: (inputs: CustomNotificationInput[]) => sendCustomNotifications(send, base, inputs),
    customNotificationTypeId: (developerName: string) => customNotificationTypeId(query, developerName),
    apiUsage: client.apiUsage,
    integrationUserId: client.integrationUserId,
  };
}
