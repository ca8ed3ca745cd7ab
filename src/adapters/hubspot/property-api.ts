import type { Client } from '@hubspot/api-client';
import type { PropertySpec } from '../../core/setup-spec.ts';
import { ProviderError } from '../../errors.ts';
import type { HubSpotCall } from './call.ts';
import type { CreatePropertyOutcome, PropertyInfo, PropertyObjectType } from './hubspot-port.ts';

/** CRM v3 properties API addresses contact properties by the object type name. */
const CONTACTS: PropertyObjectType = 'contacts';

type PropertyCreateBody = Parameters<Client['crm']['properties']['coreApi']['create']>[1];

/** The request body HubSpot's `POST /crm/v3/properties/contacts` takes for one spec. */
function propertyCreateBody(spec: PropertySpec): PropertyCreateBody {
  const body: Record<string, unknown> = {
    name: spec.name,
    label: spec.label,
    type: spec.type,
    fieldType: spec.fieldType,
    groupName: spec.groupName,
  };
  if (spec.description !== undefined) body.description = spec.description;
  if (spec.options) {
    // HubSpot requires `hidden` on every option; the order in the spec is the order shown in HubSpot.
    body.options = spec.options.map((option, displayOrder) => ({ label: option.label, value: option.value, displayOrder, hidden: false }));
  }
  // The SDK types `type`/`fieldType` as its own enums; the strings are the same values.
  return body as unknown as PropertyCreateBody;
}

interface SdkProperty {
  name: string;
  type: string;
  label?: string;
  fieldType?: string;
  modificationMetadata?: { readOnlyValue?: boolean };
  options?: { label: string; value: string }[];
}

export function propertyMethods(client: Client, call: HubSpotCall) {
  return {
    async listProperties(objectType: PropertyObjectType = CONTACTS): Promise<PropertyInfo[]> {
      const operation = objectType === CONTACTS ? 'properties.getAll' : `properties.getAll.${objectType}`;
      const answer = (await call(operation, () => client.crm.properties.coreApi.getAll(objectType))) as unknown as {
        results: SdkProperty[];
      };
      return answer.results.map(({ name, type, label, fieldType, modificationMetadata, options }) => {
        const info: PropertyInfo = { name, type };
        if (label !== undefined) info.label = label;
        if (fieldType !== undefined) info.fieldType = fieldType;
        if (modificationMetadata?.readOnlyValue !== undefined) info.readOnly = modificationMetadata.readOnlyValue;
        if (options && options.length > 0) info.options = options.map(({ label, value }) => ({ label, value }));
        return info;
      });
    },

    async createProperty(spec: PropertySpec): Promise<CreatePropertyOutcome> {
      try {
        await call('properties.create', () => client.crm.properties.coreApi.create(CONTACTS, propertyCreateBody(spec)));
        return 'created';
      } catch (error) {
        // 409 OBJECT_ALREADY_EXISTS: the name is taken, which is what setup wanted to ensure.
        if (error instanceof ProviderError && error.status === 409) return 'exists';
        throw error;
      }
    },
  };
}
