import { HUBSPOT_LIMITS } from '../../adapters/hubspot/limits.ts';

/** A contact property definition, in the shape GET /crm/v3/properties/contacts answers. */
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

/** Properties HubSpot maintains itself: never writable through the API. */
export const READ_ONLY_PROPERTIES = new Set(['hs_object_id', 'createdate', 'lastmodifieddate']);

/** What a batch read or GET returns when the caller names no properties. */
export const DEFAULT_READ_PROPERTIES = ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'];

/** Always returned, whatever was asked. */
export const ALWAYS_RETURNED = ['createdate', 'hs_object_id', 'lastmodifieddate'];

function builtin(name: string, label: string, type: PropertyDefinition['type'], fieldType: string, extra: Partial<PropertyDefinition> = {}): PropertyDefinition {
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
    builtin('numberofemployees', 'Number of Employees', 'number', 'number'),
    builtin('annualrevenue', 'Annual Revenue', 'number', 'number'),
    builtin('hs_analytics_num_page_views', 'Number of Pageviews', 'number', 'number'),
    builtin('num_conversion_events', 'Number of Form Submissions', 'number', 'number'),
    builtin('hubspotscore', 'HubSpot Score', 'number', 'number'),
    builtin('hubspot_owner_id', 'Contact owner', 'enumeration', 'select'),
    builtin('hs_lead_status', 'Lead Status', 'enumeration', 'radio', {
      options: ['NEW', 'OPEN', 'IN_PROGRESS', 'OPEN_DEAL', 'UNQUALIFIED', 'ATTEMPTED_TO_CONTACT', 'CONNECTED', 'BAD_TIMING'].map(
        (value, displayOrder) => ({ label: value, value, displayOrder, hidden: false }),
      ),
    }),
    builtin('lifecyclestage', 'Lifecycle Stage', 'enumeration', 'radio', {
      options: HUBSPOT_LIMITS.lifecycleStages.map((value, displayOrder) => ({ label: stageLabel(value), value, displayOrder, hidden: false })),
    }),
  ];
}
