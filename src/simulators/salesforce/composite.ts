import express, { type Request, type Response } from 'express';
import { SALESFORCE_LIMITS } from '../../adapters/salesforce/limits.ts';
import { SimApiError } from './api-error.ts';
import { ASSIGNMENT_HEADER, type AssignmentDirective, readAssignmentHeader } from './assignment-rules.ts';
import { type CallKind, kindOf } from './call-kind.ts';
import { committing } from './change-origin.ts';
import { createCollection } from './collections.ts';
import { answerSObjectWrite } from './composite-writes.ts';
import { type SimContext, takeFault } from './context.ts';
import { defaultFaultMessage } from './gate.ts';
import { firstPage } from './query.ts';

interface Subrequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders: Record<string, string>;
}

const WRITE_KINDS: ReadonlySet<CallKind> = new Set(['create', 'update', 'upsert']);
const QUERY_PATH = /^\/services\/data\/(v\d+\.\d)\/query\/?\?q=(.*)$/;
const COLLECTION_PATH = /^\/services\/data\/v\d+\.\d\/composite\/sobjects(?:\/|$)/;
const COLLECTION_CREATE_PATH = /^\/services\/data\/v\d+\.\d\/composite\/sobjects\/?$/;

/** A subrequest's own headers, names compared without case (HTTP header names are case-insensitive). */
function readHeaders(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new SimApiError(400, 'JSON_PARSER_ERROR', "A subrequest's httpHeaders must be an object of header names and values");
  return Object.fromEntries(Object.entries(value).map(([name, text]) => [name.toLowerCase(), String(text)]));
}

function readSubrequests(req: Request): Subrequest[] {
  const body = req.body as { compositeRequest?: unknown } | undefined;
  const list = body?.compositeRequest;
  if (!Array.isArray(list) || list.length === 0) {
    throw new SimApiError(400, 'JSON_PARSER_ERROR', 'The request body must be { compositeRequest: [...] }');
  }
  const { maxSubrequests, maxQuerySubrequests } = SALESFORCE_LIMITS.composite;
  if (list.length > maxSubrequests) {
    throw new SimApiError(400, 'LIMIT_EXCEEDED', `A composite request can have at most ${maxSubrequests} subrequests`);
  }
  const subrequests = list.map(
    (item: { method?: unknown; url?: unknown; referenceId?: unknown; body?: unknown; httpHeaders?: unknown }) => ({
      method: String(item.method ?? ''),
      url: String(item.url ?? ''),
      referenceId: String(item.referenceId ?? ''),
      body: item.body,
      httpHeaders: readHeaders(item.httpHeaders),
    }),
  );
  // "Up to 5 of these subrequests can be sObject Collections or query operations" (REST API Developer Guide, "Composite").
  if (subrequests.filter((sub) => QUERY_PATH.test(sub.url) || COLLECTION_PATH.test(sub.url)).length > maxQuerySubrequests) {
    throw new SimApiError(
      400,
      'LIMIT_EXCEEDED',
      `A composite request can have at most ${maxQuerySubrequests} query or collection subrequests`,
    );
  }
  return subrequests;
}

/** One subrequest's answer; failures are answered in the subrequest, as Salesforce does with allOrNone false. */
function answer(
  context: SimContext,
  sub: Subrequest,
  directive: AssignmentDirective,
): { body: unknown; httpHeaders: Record<string, string>; httpStatusCode: number; referenceId: string } {
  const match = QUERY_PATH.exec(sub.url);
  // A fault injected for this kind of write (a validation rule, say) answers a write subrequest too, in the
  // subrequest, as Salesforce answers a failing subrequest. Only faults naming the kind: the composite call itself
  // already took its share of the others.
  const kind = kindOf(sub.method, sub.url.replace(/^\/services\/data/, ''));
  const fault = WRITE_KINDS.has(kind) ? takeFault(context, kind, { namedOnly: true }) : undefined;
  if (fault)
    return {
      body: [{ message: fault.message ?? defaultFaultMessage(fault.errorCode), errorCode: fault.errorCode }],
      httpHeaders: {},
      httpStatusCode: fault.status,
      referenceId: sub.referenceId,
    };
  try {
    // A subrequest may carry any header its resource supports (Composite Subrequest, httpHeaders); its own
    // Sforce-Auto-Assign wins over the composite request's.
    const own = sub.httpHeaders[ASSIGNMENT_HEADER.toLowerCase()];
    const applied = own === undefined ? directive : readAssignmentHeader(own);
    if (sub.method === 'POST' && COLLECTION_CREATE_PATH.test(sub.url))
      return { body: createCollection(context, sub.body, applied), httpHeaders: {}, httpStatusCode: 200, referenceId: sub.referenceId };
    const write = answerSObjectWrite(context, sub.method, sub.url, sub.body, applied);
    if (write) return { ...write, httpHeaders: {}, referenceId: sub.referenceId };
    if (sub.method !== 'GET' || !match?.[1]) {
      throw new SimApiError(
        400,
        'NOT_SUPPORTED',
        `the simulator's composite runs GET query, sObject create/update/upsert and collection create subrequests only, not ${sub.method} ${sub.url}`,
      );
    }
    const body = firstPage(context, match[1], decodeURIComponent(match[2] ?? ''), undefined);
    return { body, httpHeaders: {}, httpStatusCode: 200, referenceId: sub.referenceId };
  } catch (error) {
    if (!(error instanceof SimApiError)) throw error;
    return { body: error.body(), httpHeaders: {}, httpStatusCode: error.status, referenceId: sub.referenceId };
  }
}

/**
 * POST /composite: several subrequests in one API call (the whole request counts once against the org's
 * limit). The simulator supports query subrequests, single-record sObject writes and collection creates.
 */
export function compositeRouter(context: SimContext): express.Router {
  const router = express.Router({ mergeParams: true });
  router.post(
    '/composite',
    committing(context, (req: Request, res: Response) => {
      const subrequests = readSubrequests(req);
      const directive = readAssignmentHeader(req.get(ASSIGNMENT_HEADER));
      res.json({ compositeResponse: subrequests.map((sub) => answer(context, sub, directive)) });
    }),
  );
  return router;
}
