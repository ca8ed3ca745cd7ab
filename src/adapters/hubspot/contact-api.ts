import type { Client } from '@hubspot/api-client';
import type { Logger } from '../../log.ts';
import { type BatchErrorLike, chunk, idsOf, mergeUpdates, NOT_FOUND_CATEGORY, unique } from './batch.ts';
import type { HubSpotCall } from './call.ts';
import { type SdkContactRecord, toContact } from './contact-record.ts';
import type {
  ContactUpdate,
  HubSpotPort,
  ReadContactsResult,
  SearchContactsRequest,
  SearchContactsResult,
  UpdateContactsResult,
  UpdateFailure,
} from './hubspot-port.ts';
import { HUBSPOT_LIMITS } from './limits.ts';

interface SdkBatchAnswer {
  results: SdkContactRecord[];
  errors?: BatchErrorLike[];
}

/** Batch read, batch update and search of contacts, each HTTP request through `call`. */
export function contactMethods(
  client: Client,
  call: HubSpotCall,
  logger: Logger,
): Pick<HubSpotPort, 'readContacts' | 'updateContacts' | 'searchContacts'> {
  async function readChunk(ids: string[], properties: string[]): Promise<ReadContactsResult> {
    const answer = (await call('contacts.batchRead', () =>
      client.crm.contacts.batchApi.read({ inputs: ids.map((id) => ({ id })), properties, propertiesWithHistory: [] }),
    )) as unknown as SdkBatchAnswer;
    const contacts = answer.results.map(toContact);
    const found = new Set(contacts.map((contact) => contact.id));
    const missing = new Set<string>();
    for (const error of answer.errors ?? []) {
      if (error.category === NOT_FOUND_CATEGORY) {
        for (const id of idsOf(error)) missing.add(id);
      } else logger.warn('hubspot batch read reported an error', { category: error.category, message: error.message });
    }
    // An id neither returned nor reported is as good as missing; say so rather than drop it silently.
    for (const id of ids) if (!found.has(id)) missing.add(id);
    return { contacts, missing: [...missing] };
  }

  async function updateChunk(updates: ContactUpdate[]): Promise<UpdateContactsResult> {
    let answer: SdkBatchAnswer;
    try {
      answer = (await call('contacts.batchUpdate', () =>
        client.crm.contacts.batchApi.update({ inputs: updates.map(({ id, properties }) => ({ id, properties })) }),
      )) as unknown as SdkBatchAnswer;
    } catch (error) {
      // A permanent 4xx about the payload (bad property, bad value) fails this chunk, not the run;
      // auth failures and exhausted retries still throw.
      const status = (error as { status?: number }).status;
      if (status === undefined || ![400, 404, 409, 422].includes(status)) throw error;
      const message = (error as Error).message;
      return { updated: [], failed: updates.map(({ id }) => ({ id, message, status })) };
    }
    const updated = answer.results.map((record) => String(record.id));
    const failed: UpdateFailure[] = [];
    const accounted = new Set(updated);
    for (const error of answer.errors ?? []) {
      const status = error.category === NOT_FOUND_CATEGORY ? 404 : 400;
      for (const id of idsOf(error)) {
        failed.push({ id, message: `${error.category ?? 'ERROR'}: ${error.message ?? 'no message'}`, status });
        accounted.add(id);
      }
    }
    for (const { id } of updates) {
      if (!accounted.has(id)) failed.push({ id, message: 'HubSpot did not confirm the update' });
    }
    return { updated, failed };
  }

  return {
    async readContacts(ids, properties) {
      const result: ReadContactsResult = { contacts: [], missing: [] };
      for (const part of chunk(unique(ids), HUBSPOT_LIMITS.batchMaxInputs)) {
        const answer = await readChunk(part, unique(properties));
        result.contacts.push(...answer.contacts);
        result.missing.push(...answer.missing);
      }
      return result;
    },

    async updateContacts(updates) {
      const result: UpdateContactsResult = { updated: [], failed: [] };
      for (const part of chunk(mergeUpdates(updates), HUBSPOT_LIMITS.batchMaxInputs)) {
        const answer = await updateChunk(part);
        result.updated.push(...answer.updated);
        result.failed.push(...answer.failed);
      }
      return result;
    },

    async searchContacts(request: SearchContactsRequest): Promise<SearchContactsResult> {
      const body = {
        filterGroups: request.filterGroups ?? [],
        // The generated type says string[]; the API takes {propertyName, direction} objects.
        sorts: (request.sorts ?? []) as unknown as string[],
        properties: unique(request.properties),
        limit: Math.min(Math.max(1, request.limit), HUBSPOT_LIMITS.searchMaxPageSize),
        after: request.after,
      };
      const answer = (await call('contacts.search', () =>
        client.crm.contacts.searchApi.doSearch(body as Parameters<typeof client.crm.contacts.searchApi.doSearch>[0]),
      )) as unknown as SdkBatchAnswer & { paging?: { next?: { after?: string } } };
      const result: SearchContactsResult = { contacts: answer.results.map(toContact) };
      const after = answer.paging?.next?.after;
      if (after) result.after = after;
      return result;
    },
  };
}
