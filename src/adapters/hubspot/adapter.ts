import { Client } from '@hubspot/api-client';
import type { HubSpotContact } from '../../core/contact.ts';
import type { Logger } from '../../log.ts';
import type { RetryPolicy } from '../retry.ts';
import { chunk, idsOf, mergeUpdates, NOT_FOUND_CATEGORY, unique, type BatchErrorLike } from './batch.ts';
import { createHubSpotCall } from './call.ts';
import { contactPageMethods } from './contact-pages.ts';
import { nonJsonErrorMiddleware } from './errors.ts';
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
import { listMethods } from './list-api.ts';
import { propertyMethods } from './property-api.ts';

export interface HubSpotAdapterOptions {
  accessToken: string;
  baseUrl?: string;
  logger: Logger;
  retryPolicy?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
}

/** A record as the v14 client returns it (dates already parsed). */
interface SdkObject {
  id: string;
  properties: Record<string, string | null>;
  updatedAt?: Date;
}

interface SdkBatchAnswer {
  results: SdkObject[];
  errors?: BatchErrorLike[];
}

function toContact(record: SdkObject): HubSpotContact {
  const contact: HubSpotContact = { id: String(record.id), properties: { ...record.properties } };
  if (record.updatedAt instanceof Date && !Number.isNaN(record.updatedAt.getTime())) {
    contact.updatedAt = record.updatedAt.toISOString();
  }
  return contact;
}

export function createHubSpotAdapter(options: HubSpotAdapterOptions): HubSpotPort {
  // Retries are ours (p-retry via withRetry); the client's own retry decorator stays off.
  const client = new Client({
    accessToken: options.accessToken,
    basePath: options.baseUrl ?? HUBSPOT_LIMITS.baseUrl,
    numberOfApiCallRetries: 0,
    middleware: [nonJsonErrorMiddleware],
  });
  const logger = options.logger.child({ module: 'adapters/hubspot' });

  const call = createHubSpotCall({ logger, retryPolicy: options.retryPolicy, sleep: options.sleep });

  async function readChunk(ids: string[], properties: string[]): Promise<ReadContactsResult> {
    const answer = (await call('contacts.batchRead', () =>
      client.crm.contacts.batchApi.read({ inputs: ids.map((id) => ({ id })), properties, propertiesWithHistory: [] }),
    )) as unknown as SdkBatchAnswer;
    const contacts = answer.results.map(toContact);
    const found = new Set(contacts.map((contact) => contact.id));
    const missing = new Set<string>();
    for (const error of answer.errors ?? []) {
      if (error.category === NOT_FOUND_CATEGORY) idsOf(error).forEach((id) => missing.add(id));
      else logger.warn('hubspot batch read reported an error', { category: error.category, message: error.message });
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
    ...propertyMethods(client, call),
    ...listMethods(client, call),
    ...contactPageMethods(client, call),

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
