import { HttpError } from '../errors.ts';
import type { ParkedWorkPort } from './parked-work.ts';
import { EmailLookupUnavailable, type RecordLookup } from './record-lookup.ts';
import { type AdminRoute, defineRoute, notFoundError } from './route.ts';
import {
  emptyObject,
  parkedIdParams,
  parkedList,
  parkedListQuery,
  parkedRetryAllBody,
  recordKeyParams,
  recordView,
  retryAllOutcome,
  retryOutcome,
} from './schemas.ts';

/** Per-record sync status and history. */
export function recordRoutes(records: RecordLookup): AdminRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/records/:key',
      tag: 'records',
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

/** Parked errors and their replay. */
export function parkedRoutes(parked: ParkedWorkPort): AdminRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/parked',
      tag: 'parked',
      summary: "Parked work, newest first, with each item's replays",
      query: parkedListQuery,
      responses: { 200: { description: 'Items', schema: parkedList } },
      handle: async ({ query }) => {
        const { open, limit, ...selection } = query;
        const items = await parked.list({ ...selection, open: open === 'true', ...(limit ? { limit: Number(limit) } : {}) });
        return { json: { items } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/parked/retry-all',
      tag: 'parked',
      authored: true,
      summary: 'Replay every open parked item matching the filter (by kind, provider, error code, waitingFor)',
      body: parkedRetryAllBody,
      responses: { 200: { description: 'What was replayed and what was not, with reasons', schema: retryAllOutcome } },
      handle: async ({ body, author }) => ({ json: await parked.retryAll(body, author) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/parked/:id/retry',
      tag: 'parked',
      authored: true,
      summary: 'Replay one parked item; it is resolved once the replay is handed off durably',
      params: parkedIdParams,
      body: emptyObject,
      responses: {
        200: { description: 'Replayed', schema: retryOutcome },
        404: { description: 'No open item with this id' },
        409: { description: 'No replay exists for this kind of work; the item stays open' },
        502: { description: 'The provider refused the work again; the item stays open with one more attempt' },
      },
      handle: async ({ params, author }) => {
        const result = await parked.retry(params.id, author);
        if (result.status === 'not_found') throw notFoundError('open parked item', params.id);
        if (result.status === 'replayed') {
          const { status: _status, ...replayed } = result;
          return { json: { ...replayed, retried: true } };
        }
        const { status: _status, code, message, ...details } = result;
        if (code === 'not_open') throw notFoundError('open parked item', params.id);
        throw new HttpError(code === 'unknown_kind' ? 409 : 502, code, message, details);
      },
    }),
  ];
}
