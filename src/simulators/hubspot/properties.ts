import { HUBSPOT_LIMITS } from '../../adapters/hubspot/limits.ts';

/** A property definition, in the shape GET /crm/v3/properties/{contacts|companies} answers. */
export interface PropertyDefinition {
  name: string;
  label: string;
  type: 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool';
  fieldType: string;
  groupName: string;
  description?: string;
  options?: { label: string; value: string; displayOrder: number; hidden: boolean }[];
  hubspotDefined?: boolean;
  modificationMetadata?: { readOnlyValue: boolean; readOnlyDefinition: boolean; archivable: boolean };
  createdAt?: string;
}

/**
 * Properties HubSpot maintains itself: never writable through the API. `associatedcompanyid` holds the contact's
 * primary company id and has been read-only since April 2019; associations set it (developer changelog, "Update: The
 * associatedcompanyid contact property will become read-only on April 26th").
 */
export const READ_ONLY_PROPERTIES = new Set(['hs_object_id', 'createdate', 'lastmodifieddate', 'associatedcompanyid']);

/** What a batch read or GET returns when the caller names no properties. */
export const DEFAULT_READ_PROPERTIES = ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'];

/** Always returned, whatever was asked. */
export const ALWAYS_RETURNED = ['createdate', 'hs_object_id', 'lastmodifieddate'];

function builtin(
  name: string,
  label: string,
  type: PropertyDefinition['type'],
  fieldType: string,
  extra: Partial<PropertyDefinition> = {},
): PropertyDefinition {
  return {
    name,
    label,
    type,
    fieldType,
    groupName: 'contactinformation',
    hubspotDefined: true,
    modificationMetadata: { readOnlyValue: READ_ONLY_PROPERTIES.has(name), readOnlyDefinition: true, archivable: false },
    ...extra,
  };
}

const stageLabel = (stage: string) => stage.replace(/qualifiedlead$/, ' qualified lead');

const options = (values: readonly string[]) => values.map((value, displayOrder) => ({ label: value, value, displayOrder, hidden: false }));

/**
 * The contact's "Number of Employees" (`numemployees`) is a dropdown of bands, not a number (HubSpot's
 * knowledge base, "HubSpot's default contact properties"; the properties API lists it as enumeration/select).
 * The number lives on the company (`numberofemployees`).
 */
const CONTACT_EMPLOYEE_BANDS = ['1-5', '5-25', '25-50', '50-100', '100-500', '500-1000', '1000+'] as const;

/** HubSpot's default contact properties the simulator knows (a standard portal before any custom property). */
export function builtinProperties(): PropertyDefinition[] {
  return [
    builtin('hs_object_id', 'Record ID', 'number', 'number'),
    builtin('createdate', 'Create Date', 'datetime', 'date'),
    builtin('lastmodifieddate', 'Last Modified Date', 'datetime', 'date'),
    builtin('email', 'Email', 'string', 'text'),
    builtin('firstname', 'First Name', 'string', 'text'),
    builtin('lastname', 'Last Name', 'string', 'text'),
    builtin('company', 'Company Name', 'string', 'text'),
    builtin('jobtitle', 'Job Title', 'string', 'text'),
    builtin('phone', 'Phone Number', 'string', 'phonenumber'),
    builtin('country', 'Country/Region', 'string', 'text'),
    builtin('mobilephone', 'Mobile Phone Number', 'string', 'phonenumber'),
    builtin('city', 'City', 'string', 'text'),
    builtin('state', 'State/Region', 'string', 'text'),
    builtin('zip', 'Postal Code', 'string', 'text'),
    builtin('website', 'Website URL', 'string', 'text'),
    // HubSpot's industry and original-source properties are enumerations with long option lists; the
    // simulator keeps them as free text rather than copy every option.
    builtin('industry', 'Industry', 'string', 'text'),
    builtin('hs_analytics_source', 'Original Source', 'string', 'text'),
    builtin('numemployees', 'Number of Employees', 'enumeration', 'select', { options: options(CONTACT_EMPLOYEE_BANDS) }),
    // On contacts Annual Revenue is free text; the company's is a number.
    builtin('annualrevenue', 'Annual Revenue', 'string', 'text'),
    builtin('associatedcompanyid', 'Associated Company ID', 'number', 'number'),
    builtin('hs_analytics_num_page_views', 'Number of Pageviews', 'number', 'number'),
    builtin('num_conversion_events', 'Number of Form Submissions', 'number', 'number'),
    builtin('hubspotscore', 'HubSpot Score', 'number', 'number'),
    builtin('hubspot_owner_id', 'Contact owner', 'enumeration', 'select'),
    builtin('hs_lead_status', 'Lead Status', 'enumeration', 'radio', {
      options: options(['NEW', 'OPEN', 'IN_PROGRESS', 'OPEN_DEAL', 'UNQUALIFIED', 'ATTEMPTED_TO_CONTACT', 'CONNECTED', 'BAD_TIMING']),
    }),
    builtin('lifecyclestage', 'Lifecycle Stage', 'enumeration', 'radio', {
      options: HUBSPOT_LIMITS.lifecycleStages.map((value, displayOrder) => ({
        label: stageLabel(value),
        value,
        displayOrder,
        hidden: false,
      })),
    }),
  ];
}

/** Properties HubSpot maintains on companies: never writable through the API. */
export const READ_ONLY_COMPANY_PROPERTIES = new Set(['hs_object_id', 'createdate', 'hs_lastmodifieddate']);

/** What a company read returns when the caller names no properties (CRM API, companies guide). */
export const DEFAULT_COMPANY_READ_PROPERTIES = ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'];

/** Always returned on companies, whatever was asked. */
export const ALWAYS_RETURNED_COMPANY = ['createdate', 'hs_lastmodifieddate', 'hs_object_id'];

function companyProperty(name: string, label: string, type: PropertyDefinition['type'], fieldType: string): PropertyDefinition {
  return {
    name,
    label,
    type,
    fieldType,
    groupName: 'companyinformation',
    hubspotDefined: true,
    modificationMetadata: { readOnlyValue: READ_ONLY_COMPANY_PROPERTIES.has(name), readOnlyDefinition: true, archivable: false },
  };
}

/**
 * HubSpot's default company properties the simulator knows (HubSpot's knowledge base, "HubSpot's default
 * company properties"): on companies `numberofemployees` and `annualrevenue` are numbers. Companies stamp
 * `hs_lastmodifieddate`, not contacts' `lastmodifieddate`. Industry is a long dropdown in HubSpot; the
 * simulator keeps it as free text rather than copy every option.
 */
export function builtinCompanyProperties(): PropertyDefinition[] {
  return [
    companyProperty('hs_object_id', 'Record ID', 'number', 'number'),
    companyProperty('createdate', 'Create Date', 'datetime', 'date'),
    companyProperty('hs_lastmodifieddate', 'Last Modified Date', 'datetime', 'date'),
    companyProperty('name', 'Company name', 'string', 'text'),
    companyProperty('domain', 'Company Domain Name', 'string', 'text'),
    companyProperty('website', 'Website URL', 'string', 'text'),
    companyProperty('industry', 'Industry', 'string', 'text'),
    companyProperty('numberofemployees', 'Number of Employees', 'number', 'number'),
    companyProperty('annualrevenue', 'Annual Revenue', 'number', 'number'),
    companyProperty('country', 'Country/Region', 'string', 'text'),
    companyProperty('city', 'City', 'string', 'text'),
    companyProperty('state', 'State/Region', 'string', 'text'),
    companyProperty('zip', 'Postal Code', 'string', 'text'),
    companyProperty('phone', 'Phone Number', 'string', 'phonenumber'),
    companyProperty('description', 'Description', 'string', 'textarea'),
    companyProperty('type', 'Type', 'string', 'text'),
    companyProperty('timezone', 'Time Zone', 'string', 'text'),
    companyProperty('lifecyclestage', 'Lifecycle Stage', 'string', 'text'),
    companyProperty('hubspot_owner_id', 'Company owner', 'string', 'text'),
  ];
}
