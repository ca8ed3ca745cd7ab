import { randomBytes } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { SimApiError } from './api-error.ts';
import type { Cursor, SimContext } from './context.ts';
import { planQuery, runQuery } from './soql-eval.ts';
import type { Row } from './validate.ts';

/** Salesforce honours Sforce-Query-Options batchSize between 200 and 2000 (and may return fewer). */
const BATCH_MIN = 200;
const BATCH_MAX = 2000;

function batchSize(header: string | undefined, serverBatch: number): number {
  const match = /batchSize\s*=\s*(\d+)/i.exec(header ?? '');
  const asked = match?.[1] ? Math.min(BATCH_MAX, Math.max(BATCH_MIN, Number(match[1]))) : BATCH_MAX;
  return Math.max(1, Math.min(asked, serverBatch));
}

function page(context: SimContext, version: string, locator: string, cursor: Cursor, offset: number): Row {
  const { rows, size } = cursor;
  const records = rows.slice(offset, offset + size);
  const done = offset + size >= rows.length;
  if (done) context.cursors.delete(locator);
  return {
    totalSize: rows.length,
    done,
    ...(done ? {} : { nextRecordsUrl: `/services/data/${version}/query/${locator}-${offset + size}` }),
    records,
  };
}

/** Runs a SOQL query and answers its first page, opening a cursor for the rest (shared by GET /query and composite). */
export function firstPage(context: SimContext, version: string, soql: string, batchHeader: string | undefined): Row {
  if (soql.trim() === '') throw new SimApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  const plan = planQuery(context.store.schema, soql);
  const rows = runQuery(plan, context.store.all(plan.object.name), context.settings.apiVersion, (name) => context.store.all(name));
  const locator = `01gHs${randomBytes(8).toString('hex').slice(0, 13)}`;
  const cursor = { rows, size: batchSize(batchHeader, context.settings.queryBatchSize) };
  context.cursors.set(locator, cursor);
  return page(context, version, locator, cursor, 0);
}

function getQuery(context: SimContext) {
  return (req: Request, res: Response): void => {
    const soql = typeof req.query.q === 'string' ? req.query.q : '';
    res.json(firstPage(context, String(req.params.version), soql, req.get('sforce-query-options')));
  };
}

/** Follows a query locator ("01g…-2000": cursor id, then the offset of the next batch); the batch size stays the first call's. */
function getQueryMore(context: SimContext) {
  return (req: Request, res: Response): void => {
    const match = /^(.+)-(\d+)$/.exec(String(req.params.locator));
    const cursor = match?.[1] ? context.cursors.get(match[1]) : undefined;
    if (!match?.[1] || !cursor) throw new SimApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    res.json(page(context, String(req.params.version), match[1], cursor, Number(match[2])));
  };
}

export function queryRouter(context: SimContext): express.Router {
  const router = express.Router({ mergeParams: true });
  router.get('/query', getQuery(context));
  router.get('/query/:locator', getQueryMore(context));
  return router;
}
