import express, { type Request, type Response } from 'express';
import { SALESFORCE_LIMITS } from '../../adapters/salesforce/limits.ts';
import { SimApiError } from './api-error.ts';
import { ASSIGNMENT_HEADER, type AssignmentDirective, readAssignmentHeader } from './assignment-rules.ts';
import { answerSObjectWrite } from './composite-writes.ts';
import type { SimContext } from './context.ts';
import { firstPage } from './query.ts';

interface Subrequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
}

const QUERY_PATH = /^\/services\/data\/(v\d+\.\d)\/query\/?\?q=(.*)$/;

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
  const subrequests = list.map((item: { method?: unknown; url?: unknown; referenceId?: unknown; body?: unknown }) => ({
    method: String(item.method ?? ''),
    url: String(item.url ?? ''),
    referenceId: String(item.referenceId ?? ''),
    body: item.body,
  }));
  if (subrequests.filter((sub) => QUERY_PATH.test(sub.url)).length > maxQuerySubrequests) {
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
  try {
    const write = answerSObjectWrite(context, sub.method, sub.url, sub.body, directive);
    if (write) return { ...write, httpHeaders: {}, referenceId: sub.referenceId };
    if (sub.method !== 'GET' || !match?.[1]) {
      throw new SimApiError(
        400,
        'NOT_SUPPORTED',
        `the simulator's composite runs GET query and sObject create/update/upsert subrequests only, not ${sub.method} ${sub.url}`,
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
 * limit). The simulator supports query subrequests and single-record sObject writes.
 */
export function compositeRouter(context: SimContext): express.Router {
  const router = express.Router({ mergeParams: true });
  router.post('/composite', (req: Request, res: Response) => {
    const subrequests = readSubrequests(req);
    const directive = readAssignmentHeader(req.get(ASSIGNMENT_HEADER));
    res.json({ compositeResponse: subrequests.map((sub) => answer(context, sub, directive)) });
  });
  return router;
}
