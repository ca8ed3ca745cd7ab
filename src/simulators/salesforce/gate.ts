import type { NextFunction, Request, Response } from 'express';
import { kindOf } from './call-kind.ts';
import { countCall, type SimContext, takeFault } from './context.ts';

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

export function defaultFaultMessage(errorCode: string): string {
  switch (errorCode) {
    case 'REQUEST_LIMIT_EXCEEDED':
      return 'TotalRequests Limit exceeded.';
    case 'SERVER_UNAVAILABLE':
      return 'Server temporarily unavailable';
    case 'UNABLE_TO_LOCK_ROW':
      return 'unable to obtain exclusive access to this record or 1 records';
    default:
      return `simulated ${errorCode}`;
  }
}
