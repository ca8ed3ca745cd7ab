import { HttpError } from '../errors.ts';
import type { ParkedWorkPort } from './parked-work.ts';
import { EmailLookupUnavailable, type RecordLookup } from './record-lookup.ts';
import { defineRoute, notFoundError, type AdminRoute } from './route.ts';
import {
  emptyObject, parkedIdParams, parkedList, parkedListQuery, recordKeyParams, recordView, retryAllOutcome, retryOutcome,
} from './schemas.ts';

/** Per-record sync status and history. */
export function recordRoutes(records: RecordLookup): AdminRoute[] {
  return [
    defineRoute({
      method: 'get', path: '/api/records/:key', tag: 'records',
      summary: 'A contact or Lead: its link and every step taken with reasons',
      params: recordKeyParams,
      responses: {
        200: { description: 'The record', schema: recordView },
        400: { description: 'E-mail look-up is not available' },
        404: { description: 'Nothing known under this key' },
      },
      handle: async ({ params }) => {
        try {
          const view = await records.find(params.key);
          if (!view) throw notFoundError('record', params.key);
          return { json: view };
        } catch (error) {
          if (error instanceof EmailLookupUnavailable) throw new HttpError(400, 'unsupported_key', error.message);
          throw error;
        }
      },
    }),
  ];
}

/** Parked errors and their retry. */
export function parkedRoutes(parked: ParkedWorkPort): AdminRoute[] {
  return [
    defineRoute({
      method: 'get', path: '/api/parked', tag: 'parked', summary: 'Parked work, newest first',
      query: parkedListQuery,
      responses: { 200: { description: 'Items', schema: parkedList } },
      handle: async ({ query }) => {
        const items = await parked.list({ open: query.open === 'true', ...(query.limit ? { limit: Number(query.limit) } : {}) });
        return { json: { items } };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/parked/retry-all', tag: 'parked', summary: 'Retry every open parked item',
      body: emptyObject,
      responses: { 200: { description: 'What was retried and what failed', schema: retryAllOutcome } },
      handle: async () => ({ json: await parked.retryAll() }),
    }),
    defineRoute({
      method: 'post', path: '/api/parked/:id/retry', tag: 'parked', summary: 'Retry one parked item and resolve it',
      params: parkedIdParams, body: emptyObject,
      responses: { 200: { description: 'Retried', schema: retryOutcome }, 404: { description: 'No open item with this id' } },
      handle: async ({ params }) => {
        if (!(await parked.retry(params.id))) throw notFoundError('open parked item', params.id);
        return { json: { id: params.id, retried: true } };
      },
    }),
  ];
}
