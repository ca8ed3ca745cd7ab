import type { HubSpotContact } from '../../core/contact.ts';
import type { PropertySpec } from '../../core/setup-spec.ts';

/** What the jobs need from HubSpot. Tests fake this; the real one is createHubSpotAdapter. */
export interface HubSpotPort {
  readContacts(ids: string[], properties: string[]): Promise<ReadContactsResult>;
  updateContacts(updates: ContactUpdate[]): Promise<UpdateContactsResult>;
  searchContacts(request: SearchContactsRequest): Promise<SearchContactsResult>;
  /** One page of every contact in HubSpot's order (the CRM list endpoint); `after` from the page before. */
  listContactsPage(request: ListContactsRequest): Promise<SearchContactsResult>;
  /** How many contacts match these filter groups (search `total`); none counts every contact. */
  countContacts(filterGroups: SearchFilterGroup[]): Promise<number>;
  /** Property definitions (HubSpot's own and custom ones) of contacts (the default) or companies. */
  listProperties(objectType?: PropertyObjectType): Promise<PropertyInfo[]>;
  /** Companies by id with the named company properties; ids HubSpot does not know come back as missing. */
  readCompanies(ids: string[], properties: string[]): Promise<ReadCompaniesResult>;
  /** Creates a custom contact property; a name that is already taken (409) answers 'exists'. */
  createProperty(spec: PropertySpec): Promise<CreatePropertyOutcome>;
  /**
   * A contact list by its exact name; undefined when HubSpot has none, which is logged as a warning unless the
   * caller is about to create it (`missingIsExpected`: setup, the sandbox).
   */
  findListByName(name: string, options?: { missingIsExpected?: boolean }): Promise<ListRef | undefined>;
  /** Creates a MANUAL contact list. */
  createList(name: string): Promise<ListRef>;
  /** Adds contacts to a MANUAL list, in chunks; current members are left as they are. */
  addToList(listId: string, contactIds: string[]): Promise<MembershipResult>;
  /** Removes contacts from a MANUAL list, in chunks; non-members are ignored. */
  removeFromList(listId: string, contactIds: string[]): Promise<MembershipResult>;
  /** E-mail of each HubSpot owner by owner id; an owner HubSpot does not know (404) or without e-mail is absent. */
  ownerEmails(ownerIds: string[]): Promise<Map<string, string>>;
}

export type PropertyObjectType = 'contacts' | 'companies';

export interface ReadCompaniesResult {
  /** A company in the same shape as a contact: its id and string-valued properties. */
  companies: HubSpotContact[];
  missing: string[];
}

export interface PropertyInfo {
  name: string;
  type: string;
  /** What the portal shows (CRM Properties API, "Read all properties"). */
  label?: string;
  /** How HubSpot shows it: text, select, checkbox, … */
  fieldType?: string;
  /** modificationMetadata.readOnlyValue: HubSpot computes the value and refuses writes to it. */
  readOnly?: boolean;
  options?: { label: string; value: string }[];
}

export type CreatePropertyOutcome = 'created' | 'exists';

export interface ListRef {
  listId: string;
  name: string;
}

export interface MembershipResult {
  /** Ids HubSpot reports added (addToList) or removed (removeFromList). */
  changed: string[];
  /** Ids HubSpot does not know as records; they were neither added nor removed. */
  missing: string[];
}

export interface ReadContactsResult {
  contacts: HubSpotContact[];
  /** Ids HubSpot does not know (deleted, merged away, never existed). */
  missing: string[];
}

export interface ContactUpdate {
  id: string;
  properties: Record<string, string>;
}

export interface UpdateFailure {
  id: string;
  message: string;
  status?: number;
}

export interface UpdateContactsResult {
  updated: string[];
  failed: UpdateFailure[];
}

export type FilterOperator =
  | 'EQ'
  | 'NEQ'
  | 'LT'
  | 'LTE'
  | 'GT'
  | 'GTE'
  | 'BETWEEN'
  | 'IN'
  | 'NOT_IN'
  | 'HAS_PROPERTY'
  | 'NOT_HAS_PROPERTY'
  | 'CONTAINS_TOKEN'
  | 'NOT_CONTAINS_TOKEN';

export interface SearchFilter {
  propertyName: string;
  operator: FilterOperator;
  value?: string;
  values?: string[];
  highValue?: string;
}

export interface SearchFilterGroup {
  filters: SearchFilter[];
}

export interface SearchSort {
  propertyName: string;
  direction: 'ASCENDING' | 'DESCENDING';
}

export interface SearchContactsRequest {
  filterGroups?: SearchFilterGroup[];
  sorts?: SearchSort[];
  properties: string[];
  after?: string;
  /** Page size; HubSpot caps it at 200 (larger values are clamped). */
  limit: number;
}

export interface ListContactsRequest {
  properties: string[];
  after?: string;
  /** Page size; the list endpoint takes at most 100. */
  limit: number;
}

export interface SearchContactsResult {
  contacts: HubSpotContact[];
  /** Cursor for the next page; absent on the last page. */
  after?: string;
}
