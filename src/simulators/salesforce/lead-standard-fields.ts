import { type FieldDef, f, ro } from './field-def.ts';

/**
 * The standard Lead fields of an Enterprise Edition org without Sales Engagement, as the Object Reference
 * for the Salesforce Platform ("Lead") and the Salesforce Field Reference Guide ("Lead") list them: types,
 * lengths and which are createable/updateable. Fields that need a feature turned on (Data.com, person
 * accounts, middle names and suffixes, multi-currency, Sales Engagement) are left out, as a standard org
 * has none of them.
 */

/** Salesforce's standard Lead/Account Industry picklist values. */
const STANDARD_INDUSTRIES = [
  'Agriculture',
  'Apparel',
  'Banking',
  'Biotechnology',
  'Chemicals',
  'Communications',
  'Construction',
  'Consulting',
  'Education',
  'Electronics',
  'Energy',
  'Engineering',
  'Entertainment',
  'Environmental',
  'Finance',
  'Food & Beverage',
  'Government',
  'Healthcare',
  'Hospitality',
  'Insurance',
  'Machinery',
  'Manufacturing',
  'Media',
  'Not For Profit',
  'Recreation',
  'Retail',
  'Shipping',
  'Technology',
  'Telecommunications',
  'Transportation',
  'Utilities',
  'Other',
];

/** The default Salutation and Rating values of a new org. */
const SALUTATIONS = ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.'];
const RATINGS = ['Hot', 'Warm', 'Cold'];
const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];

/** Lead fields besides the system fields every object has (Id, OwnerId, CreatedDate, …, SystemModstamp). */
export function leadStandardFields(statuses: string[], defaultStatus: string | undefined): FieldDef[] {
  return [
    f('IsDeleted', 'boolean', { ...ro, label: 'Deleted', defaultValue: false }),
    f('MasterRecordId', 'reference', { ...ro, referenceTo: ['Lead'], length: 18 }),
    f('Salutation', 'picklist', { picklistValues: SALUTATIONS }),
    f('FirstName', 'string', { length: 40 }),
    f('LastName', 'string', { length: 80, required: true }),
    f('Company', 'string', { length: 255, required: true }),
    f('Title', 'string', { length: 128 }),
    f('Street', 'textarea', { length: 255 }),
    f('City', 'string', { length: 40 }),
    f('State', 'string', { length: 80, label: 'State/Province' }),
    f('PostalCode', 'string', { length: 20, label: 'Zip/Postal Code' }),
    f('Country', 'string', { length: 80 }),
    f('Email', 'email', { length: 80 }),
    f('Phone', 'phone', { length: 40 }),
    f('MobilePhone', 'phone', { length: 40, label: 'Mobile Phone' }),
    f('Fax', 'phone', { length: 40 }),
    f('Website', 'url', { length: 255 }),
    f('Industry', 'picklist', { picklistValues: STANDARD_INDUSTRIES }),
    f('AnnualRevenue', 'currency', { precision: 18, scale: 0, label: 'Annual Revenue' }),
    f('NumberOfEmployees', 'int', { precision: 8, scale: 0, label: 'Employees' }),
    f('Rating', 'picklist', { picklistValues: RATINGS }),
    f('LeadSource', 'picklist', { picklistValues: LEAD_SOURCES, label: 'Lead Source' }),
    f('Status', 'picklist', { label: 'Lead Status', picklistValues: statuses, restrictedPicklist: true, defaultValue: defaultStatus }),
    f('Description', 'textarea', { length: 32000 }),
    f('IsUnreadByOwner', 'boolean', { label: 'Unread By Owner', defaultValue: false }),
    f('DoNotCall', 'boolean', { label: 'Do Not Call', defaultValue: false }),
    f('HasOptedOutOfEmail', 'boolean', { label: 'Email Opt Out', defaultValue: false }),
    f('HasOptedOutOfFax', 'boolean', { label: 'Fax Opt Out', defaultValue: false }),
    f('EmailBouncedReason', 'string', { length: 255, label: 'Email Bounced Reason' }),
    f('EmailBouncedDate', 'datetime', { label: 'Email Bounced Date' }),
    f('IsConverted', 'boolean', ro),
    f('ConvertedAccountId', 'reference', { ...ro, referenceTo: ['Account'] }),
    f('ConvertedContactId', 'reference', { ...ro, referenceTo: ['Contact'] }),
    f('ConvertedOpportunityId', 'reference', { ...ro, referenceTo: ['Opportunity'] }),
    f('ConvertedDate', 'date', ro),
    // Set by Salesforce when a task or event is logged on the Lead: the activityLogged first-touch signal.
    f('LastActivityDate', 'date', { ...ro, label: 'Last Activity' }),
    f('LastViewedDate', 'datetime', ro),
    f('LastReferencedDate', 'datetime', ro),
  ];
}

/**
 * Lead fields that exist only in orgs with Sales Engagement (formerly High Velocity Sales) turned on; the
 * Object Reference says so field by field ("available … if you enabled High Velocity Sales"). Salesforce
 * fills FirstCallDateTime / FirstEmailDateTime itself when a rep logs the first call or sends the first e-mail.
 */
export function salesEngagementLeadFields(): FieldDef[] {
  return [
    f('ActionCadenceId', 'reference', { ...ro, label: 'Cadence ID', referenceTo: ['ActionCadence'], length: 18 }),
    f('ActionCadenceAssigneeId', 'reference', { ...ro, label: 'Cadence Assignee ID', referenceTo: ['User'], length: 18 }),
    f('FirstCallDateTime', 'datetime', { ...ro, label: 'First Call Date' }),
    f('FirstEmailDateTime', 'datetime', { ...ro, label: 'First Email Date' }),
  ];
}
