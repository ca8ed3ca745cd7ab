import type { CustomFieldOption } from './field-def.ts';

/**
 * The org shape the Salesforce metadata package (salesforce-metadata/) deploys, as simulator
 * options. test/simulators/salesforce/package-parity.test.ts reads the package's XML and fails
 * when the two drift apart, so change both together.
 */

/** Every Lead Status mappings/status-map.yaml writes or reads, in funnel order (LeadStatus value set). */
export const DEFAULT_LEAD_STATUSES = [
  'Marketing Accepted',
  'Open - Not Contacted',
  'Accepted',
  'Working - Contacted',
  'Qualified',
  'Closed - Converted',
  'Rejected',
  'Closed - Not Converted',
  'Recycled',
];

/** The value set's default: a new Lead starts in the MQL status. */
export const DEFAULT_LEAD_STATUS = 'Open - Not Contacted';

/** BANT timeline buckets (Timeline__c, a restricted picklist). */
const TIMELINE_VALUES = ['0-3 months', '3-6 months', '6-12 months', '12+ months'];

/**
 * Handoff's custom Lead fields. Rejection_Reason__c is a restricted picklist of the taxonomy
 * codes when `rejectionReasons` is given; without it any text is accepted, which lets tests
 * send a code the taxonomy does not know (as an org without the package would).
 */
export function leadPackageFields(rejectionReasons?: string[]): CustomFieldOption[] {
  const lead = (option: Omit<CustomFieldOption, 'object'>): CustomFieldOption => ({ object: 'Lead', ...option });
  return [
    lead({ name: 'Handoff_HubSpot_Id__c', label: 'HubSpot Contact Id', type: 'string', length: 40, externalId: true, unique: true }),
    lead({ name: 'MQL_Score__c', label: 'MQL Score', type: 'double', precision: 5, scale: 0 }),
    lead({ name: 'MQL_Breakdown__c', label: 'MQL Breakdown', type: 'textarea', length: 32768 }),
    lead({ name: 'MQL_Definition_Version__c', label: 'MQL Definition Version', type: 'string', length: 80 }),
    lead({ name: 'MQL_Date__c', label: 'MQL Date', type: 'datetime' }),
    lead({
      name: 'Rejection_Reason__c',
      label: 'Rejection Reason',
      type: 'picklist',
      ...(rejectionReasons ? { picklistValues: [...rejectionReasons], restrictedPicklist: true } : {}),
    }),
    lead({ name: 'Rejection_Note__c', label: 'Rejection Note', type: 'string', length: 255 }),
    lead({ name: 'Handoff_Sync_Status__c', label: 'Handoff Sync Status', type: 'string', length: 255 }),
    lead({ name: 'SLA_Due__c', label: 'SLA Due', type: 'datetime' }),
    lead({ name: 'SLA_Breached__c', label: 'SLA Breached', type: 'boolean', defaultValue: false }),
    lead({ name: 'Budget_Confirmed__c', label: 'Budget Confirmed', type: 'boolean', defaultValue: false }),
    lead({ name: 'Decision_Maker__c', label: 'Decision Maker', type: 'boolean', defaultValue: false }),
    lead({ name: 'Need__c', label: 'Need', type: 'string', length: 255 }),
    lead({ name: 'Timeline__c', label: 'Timeline', type: 'picklist', picklistValues: [...TIMELINE_VALUES], restrictedPicklist: true }),
  ];
}

/**
 * Handoff's custom Opportunity field: why a deal was lost, a restricted picklist of the loss-reason codes of
 * mappings/revenue.yaml when `lossReasons` is given (any text without it, like Rejection_Reason__c).
 */
export function opportunityPackageFields(lossReasons?: string[]): CustomFieldOption[] {
  return [
    {
      object: 'Opportunity',
      name: 'Handoff_Loss_Reason__c',
      label: 'Loss Reason',
      type: 'picklist',
      ...(lossReasons ? { picklistValues: [...lossReasons], restrictedPicklist: true } : {}),
    },
  ];
}

/** Every custom field the package deploys, on Lead and Opportunity. */
export function packageFields(rejectionReasons?: string[], lossReasons?: string[]): CustomFieldOption[] {
  return [...leadPackageFields(rejectionReasons), ...opportunityPackageFields(lossReasons)];
}

/** The package's fields with unrestricted reason picklists. */
export const DEFAULT_CUSTOM_FIELDS: CustomFieldOption[] = packageFields();
