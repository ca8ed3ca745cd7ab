import type { Client } from '@hubspot/api-client';
import type { Logger } from '../../log.ts';
import { chunk, idsOf, NOT_FOUND_CATEGORY, unique, type BatchErrorLike } from './batch.ts';
import type { HubSpotCall } from './call.ts';
import { toContact, type SdkContactRecord } from './contact-record.ts';
import type { HubSpotPort, ReadCompaniesResult } from './hubspot-port.ts';
import { HUBSPOT_LIMITS } from './limits.ts';

interface SdkAssociationAnswer {
  /** The wire field is `from`; the v14 client renames it `_from` (a reserved word in its generator). */
  results: { _from?: { id: string }; from?: { id: string }; to: { toObjectId: string | number; associationTypes: { typeId: number }[] }[] }[];
  errors?: (BatchErrorLike & { subCategory?: string })[];
}

/** What HubSpot says of a contact without companies in an associations batch read (207, one error per contact). */
const NO_ASSOCIATIONS = 'crm.associations.NO_ASSOCIATIONS_FOUND';

/** Companies and contact–company associations, each HTTP request through `call` (so the budget counts it). */
export function companyMethods(client: Client, call: HubSpotCall, logger: Logger): Pick<HubSpotPort, 'readCompanies' | 'readPrimaryCompanyIds'> {
  return {
    async readCompanies(ids, properties) {
      const result: ReadCompaniesResult = { companies: [], missing: [] };
      for (const part of chunk(unique(ids), HUBSPOT_LIMITS.batchMaxInputs)) {
        const answer = (await call('companies.batchRead', () =>
          client.crm.companies.batchApi.read({ inputs: part.map((id) => ({ id })), properties: unique(properties), propertiesWithHistory: [] }),
        )) as unknown as { results: SdkContactRecord[]; errors?: BatchErrorLike[] };
        const companies = answer.results.map(toContact);
        result.companies.push(...companies);
        const found = new Set(companies.map((company) => company.id));
        for (const error of answer.errors ?? []) {
          if (error.category !== NOT_FOUND_CATEGORY) logger.warn('hubspot company batch read reported an error', { category: error.category, message: error.message });
        }
        result.missing.push(...part.filter((id) => !found.has(id)));
      }
      return result;
    },

    /**
     * Each contact's primary company (association typeId 1), from the v4 associations batch read. A contact with
     * companies but none marked primary has none here: Handoff reads only what HubSpot calls the primary company.
     */
    async readPrimaryCompanyIds(contactIds) {
      const primary = new Map<string, string>();
      const primaryType = HUBSPOT_LIMITS.contactToCompanyTypeIds.primary;
      for (const part of chunk(unique(contactIds), HUBSPOT_LIMITS.associationsBatchMaxInputs)) {
        const answer = (await call('associations.batchRead', () =>
          client.crm.associations.v4.batchApi.getPage('contacts', 'companies', { inputs: part.map((id) => ({ id })) }),
        )) as unknown as SdkAssociationAnswer;
        for (const result of answer.results) {
          const first = result.to.find((to) => to.associationTypes.some((type) => type.typeId === primaryType));
          const from = result._from ?? result.from;
          if (first && from) primary.set(String(from.id), String(first.toObjectId));
        }
        for (const error of answer.errors ?? []) {
          if (error.subCategory === NO_ASSOCIATIONS || error.category === NOT_FOUND_CATEGORY) continue;
          logger.warn('hubspot association batch read reported an error', { category: error.category, message: error.message, ids: idsOf(error).length });
        }
      }
      return primary;
    },
  };
}
