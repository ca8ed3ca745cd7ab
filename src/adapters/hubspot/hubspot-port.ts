import type { HubSpotContact } from '../../core/contact.ts';

/** What the jobs need from HubSpot. Tests fake this; the real one is createHubSpotAdapter. */
export interface HubSpotPort {
  readContacts(ids: string[], properties: string[]): Promise<ReadContactsResult>;
  updateContacts(updates: ContactUpdate[]): Promise<UpdateContactsResult>;
  searchContacts(request: SearchContactsRequest): Promise<SearchContactsResult>;
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

export interface SearchContactsResult {
  contacts: HubSpotContact[];
  /** Cursor for the next page; absent on the last page. */
  after?: string;
}
