import express, { type Router } from 'express';

export type ReadinessCheck = () => Promise<void>;

/**
 * /healthz says the process answers; /readyz says its database and job queue work, and how many
 * accepted webhook events still wait to be processed (the backlog an operator watches).
 */
export function healthRouter(
  checks: Record<string, ReadinessCheck>,
  isDraining: () => boolean,
  backlog: () => Promise<number>,
  /** What an operator wants to see beside readiness without it failing readiness (which path carries Salesforce changes). */
  details: () => Promise<Record<string, unknown>> = async () => ({}),
): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const results: Record<string, string> = {};
    let ready = !isDraining();
    if (!ready) results.shutdown = 'draining';
    for (const [name, check] of Object.entries(checks)) {
      try {
        await check();
        results[name] = 'ok';
      } catch (error) {
        ready = false;
        results[name] = `failed: ${(error as Error).message}`;
      }
    }
    const pendingEvents = ready ? await backlog().catch(() => null) : null;
    const extra = await details().catch((error: Error) => ({ error: `could not read: ${error.message}` }));
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks: results, pendingEvents, details: extra });
  });
  return router;
}
