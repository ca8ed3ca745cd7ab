import type { NextFunction, Request, Response } from 'express';
import { countCall, takeFault, type CallKind, type SimContext } from './context.ts';

/** Names the endpoint kind from method and path (relative to /services/data). */
export function kindOf(method: string, path: string): CallKind {
  const parts = path.split('/').filter(Boolean);
  const rest = parts.slice(1);
  if (parts.length === 0) return 'versions';
  if (rest[0] === 'query') return 'query';
  if (rest[0] === 'limits') return 'limits';
  if (rest[0] === 'composite' && rest.length === 1) return 'composite';
  if (rest[0] === 'sobjects' && rest[2] === 'describe') return 'describe';
  if (rest[0] === 'composite' && rest[1] === 'sobjects') {
    if (method === 'POST') return 'create';
    if (method === 'PATCH') return rest.length >= 4 ? 'upsert' : 'update';
  }
  if (rest[0] === 'sobjects') {
    if (method === 'POST' && rest.length === 2) return 'create';
    if (method === 'GET' && rest.length >= 3) return 'retrieve';
    if (method === 'PATCH') return rest.length >= 4 ? 'upsert' : 'update';
  }
  return 'other';
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function bearer(req: Request): string | undefined {
  const header = req.get('authorization') ?? '';
  const match = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header);
  return match?.[1];
}

/**
 * Runs before every /services/data call: latency, counters, injected faults, the session check
 * (401 INVALID_SESSION_ID) and the org's daily API budget (403 REQUEST_LIMIT_EXCEEDED), and
 * stamps Sforce-Limit-Info on the response.
 */
export function dataGate(context: SimContext) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const kind = kindOf(req.method, req.path);
    context.onCall?.({ at: Date.now(), kind });
    if (context.settings.latencyMs > 0) await sleep(context.settings.latencyMs);
    countCall(context, kind);
    const fault = takeFault(context, kind);
    if (fault) {
      res.status(fault.status).json([{ message: fault.message ?? defaultFaultMessage(fault.errorCode), errorCode: fault.errorCode }]);
      return;
    }
    if (kind === 'versions') {
      next();
      return;
    }
    const token = bearer(req);
    if (!token || !context.tokens.has(token)) {
      res.status(401).json([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
      return;
    }
    if (context.apiUsed >= context.settings.apiLimit) {
      res.status(403).json([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
      return;
    }
    context.apiUsed += 1;
    res.set('Sforce-Limit-Info', `api-usage=${context.apiUsed}/${context.settings.apiLimit}`);
    next();
  };
}

function defaultFaultMessage(errorCode: string): string {
  switch (errorCode) {
    case 'REQUEST_LIMIT_EXCEEDED': return 'TotalRequests Limit exceeded.';
    case 'SERVER_UNAVAILABLE': return 'Server temporarily unavailable';
    case 'UNABLE_TO_LOCK_ROW': return 'unable to obtain exclusive access to this record or 1 records';
    default: return `simulated ${errorCode}`;
  }
}
