import type { Client } from '@hubspot/api-client';
import type { Logger } from '../../log.ts';
import { type BatchErrorLike, chunk, NOT_FOUND_CATEGORY, unique } from './batch.ts';
import type { HubSpotCall } from './call.ts';
import { type SdkContactRecord, toContact } from './contact-record.ts';
import type { HubSpotPort, ReadCompaniesResult } from './hubspot-port.ts';
import { HUBSPOT_LIMITS } from './limits.ts';

/** Companies by id, each HTTP request through `call` (so the budget counts it). */
export function companyMethods(client: Client, call: HubSpotCall, logger: Logger): Pick<HubSpotPort, 'readCompanies'> {
  return {
    async readCompanies(ids, properties) {
      const result: ReadCompaniesResult = { companies: [], missing: [] };
      for (const part of chunk(unique(ids), HUBSPOT_LIMITS.batchMaxInputs)) {
        const answer = (await call('companies.batchRead', () =>
          client.crm.companies.batchApi.read({
            inputs: part.map((id) => ({ id })),
            properties: unique(properties),
            propertiesWithHistory: [],
          }),
        )) as unknown as { results: SdkContactRecord[]; errors?: BatchErrorLike[] };
        const companies = answer.results.map(toContact);
        result.companies.push(...companies);
        const found = new Set(companies.map((company) => company.id));
        for (const error of answer.errors ?? []) {
          if (error.category !== NOT_FOUND_CATEGORY)
            logger.warn('hubspot company batch read reported an error', { category: error.category, message: error.message });
        }
        result.missing.push(...part.filter((id) => !found.has(id)));
      }
      return result;
    },
  };
}
