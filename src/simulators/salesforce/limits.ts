import express, { type Request, type Response } from 'express';
import type { SimContext } from './context.ts';

/**
 * GET /limits, as Salesforce's "List Organization Limits" answers it: each limit as `{ Max, Remaining }`.
 * The gate has already counted this call like any other (and refused it once the budget is spent).
 */
export function limitsRouter(context: SimContext): express.Router {
  const router = express.Router();
  router.get('/limits', (_req: Request, res: Response) => {
    const { apiLimit } = context.settings;
    res.json({
      DailyApiRequests: { Max: apiLimit, Remaining: Math.max(0, apiLimit - context.apiUsed) },
      DailyBulkApiBatches: { Max: 15000, Remaining: 15000 },
      ConcurrentSyncReportRuns: { Max: 20, Remaining: 20 },
    });
  });
  return router;
}
