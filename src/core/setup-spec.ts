/**
 * What a HubSpot portal must have for Handoff to write to it: custom contact properties and lists.
 * Computed (purely) from the mappings; applied idempotently by the `setup` command and the sandbox.
 */
export interface PropertySpec {
  name: string;
  label: string;
  type: 'string' | 'number' | 'datetime' | 'date' | 'enumeration' | 'bool';
  fieldType: 'text' | 'textarea' | 'number' | 'date' | 'select' | 'booleancheckbox';
  groupName: string;
  description?: string;
  options?: { label: string; value: string }[];
}

export interface HubSpotSetupSpec {
  properties: PropertySpec[];
  /**
   * Properties the mappings read that setup cannot create and so only checks: HubSpot's own contact properties,
   * and company properties (read as `company.<name>`; listed here without the prefix).
   */
  expected?: { contacts: string[]; companies: string[] };
  /** MANUAL contact lists by name: every nurture list a rejection reason names, and the sales-ready list. */
  lists: string[];
}
