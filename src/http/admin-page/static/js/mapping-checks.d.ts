// Types for mapping-checks.js, for the jest tests that import it in node (the page itself needs none).
export interface LiveProperty {
  name: string;
  type: string;
  readOnly: boolean;
  options: Array<{ value: string; label: string }>;
}
export interface LiveField {
  name: string;
  type: string;
  createable: boolean;
  updateable: boolean;
  picklistValues: Array<{ value: string; label: string; active: boolean }>;
}
export interface MappingRow {
  hubspot: string;
  salesforce: string;
  direction: 'to_salesforce' | 'to_hubspot' | 'both';
  transforms?: unknown[];
}
export interface RowFlag {
  kind: 'unknown' | 'read-only' | 'type' | 'picklist';
  text: string;
}
export function rowFlags(row: MappingRow, property: LiveProperty | undefined, field: LiveField | undefined): RowFlag[];
